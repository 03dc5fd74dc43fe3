import { describe, expect, it } from 'vitest';
import type { DirectChannel, ProcessInfo, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import {
  architectureGraph,
  directEdgeId,
  endedText,
  isLiveChannel,
  NODE_HEIGHT,
  NODE_WIDTH,
  RENDERERS_PER_ROW,
  statusText,
  type MapNode,
} from './architecture-map.ts';
import {
  countTraffic,
  directEdgeRates,
  edgeOfRecord,
  formatEdgeRate,
  peerIndex,
  pulseStrength,
  TrafficMeter,
} from './traffic.ts';
import { fromSnapshot, type BrowserSnapshot, type BrowserView } from '../connection/browser-state.ts';
import type { TraceRow } from '../ipc-inspector/ipc-inspector.ts';

const process = (
  id: string,
  kind: ProcessInfo['kind'],
  pid: number,
  extra: Partial<ProcessInfo> = {},
): ProcessInfo => ({
  id,
  kind,
  label: id,
  pid,
  startedAt: pid,
  state: 'running',
  restarts: 0,
  ...extra,
});
const tab = (id: string, pid: number, extra: Partial<TabInfo> = {}): TabInfo => ({
  id,
  url: 'lab://live',
  title: `Page ${id}`,
  rendererId: `renderer-${id}`,
  pid,
  state: 'live',
  ...extra,
});
const gpuChannel = (tabId: string, toPid = 300, from = `renderer-${tabId}`): DirectChannel => ({
  interface: 'TabGpu',
  tabId,
  from,
  to: 'gpu',
  toPid,
});
const pluginChannel = (tabId: string, toPid = 400, from = `renderer-${tabId}`): DirectChannel => ({
  interface: 'TabPlugin',
  tabId,
  from,
  to: 'plugin-host',
  toPid,
});

function view(extra: Partial<BrowserSnapshot> = {}): BrowserView {
  return fromSnapshot({
    tabs: [tab('tab-1', 201), tab('tab-2', 202), tab('tab-3', 203)],
    selectedTabId: 'tab-1',
    processes: [
      process('browser', 'browser', 100),
      process('gpu', 'gpu', 300),
      process('plugin-host', 'plugin-host', 400),
      // Registered out of tab order: the map follows the tabs.
      process('renderer-tab-3', 'renderer', 203),
      process('renderer-tab-1', 'renderer', 201),
      process('renderer-tab-2', 'renderer', 202),
    ],
    gpuMode: 'hardware',
    processModel: 'process-per-tab',
    pluginHost: { running: true, recentCrashes: 0 },
    badMessages: 0,
    channels: [gpuChannel('tab-1'), gpuChannel('tab-2'), gpuChannel('tab-3'), pluginChannel('tab-3')],
    events: [],
    ...extra,
  });
}

const node = (nodes: readonly MapNode[], id: string) => nodes.find((candidate) => candidate.id === id)!;
const overlaps = (a: MapNode, b: MapNode) =>
  a.x < b.x + NODE_WIDTH && b.x < a.x + NODE_WIDTH && a.y < b.y + NODE_HEIGHT && b.y < a.y + NODE_HEIGHT;

describe('architectureGraph: nodes', () => {
  it('has a node per process, with its kind, pid, state and what it serves', () => {
    const { nodes } = architectureGraph(view());
    expect(nodes.map((n) => n.id)).toEqual([
      'browser',
      'gpu',
      'plugin-host',
      'renderer-tab-1',
      'renderer-tab-2',
      'renderer-tab-3',
    ]);
    expect(node(nodes, 'browser')).toMatchObject({ title: 'Browser · pid 100', status: 'running', tone: 'running' });
    expect(node(nodes, 'gpu')).toMatchObject({
      title: 'GPU process · pid 300',
      serves: 'hardware compositing',
      software: false,
    });
    expect(node(nodes, 'plugin-host')).toMatchObject({
      title: 'Plugin host · pid 400',
      serves: 'plugins out of process',
    });
    expect(node(nodes, 'renderer-tab-2')).toMatchObject({
      title: 'Renderer · pid 202',
      serves: 'Page tab-2',
      tabIds: ['tab-2'],
      state: 'running',
      pid: 202,
    });
  });

  it('lays out deterministically: browser on top in the middle, GPU left, plugin host right, renderers in a row below in tab order', () => {
    const { nodes } = architectureGraph(view());
    expect(architectureGraph(view()).nodes).toEqual(nodes);
    const browser = node(nodes, 'browser');
    const gpu = node(nodes, 'gpu');
    const host = node(nodes, 'plugin-host');
    const renderers = ['renderer-tab-1', 'renderer-tab-2', 'renderer-tab-3'].map((id) => node(nodes, id));
    expect(browser.x + NODE_WIDTH / 2).toBe(0);
    expect(gpu.y).toBe(browser.y);
    expect(host.y).toBe(browser.y);
    expect(gpu.x + NODE_WIDTH).toBeLessThan(browser.x);
    expect(host.x).toBeGreaterThan(browser.x + NODE_WIDTH);
    for (const renderer of renderers) expect(renderer.y).toBeGreaterThan(browser.y + NODE_HEIGHT);
    expect(renderers.map((r) => r.x)).toEqual([...renderers.map((r) => r.x)].sort((a, b) => a - b));
    // The row is centred under the browser process.
    expect(renderers[0]!.x + renderers[2]!.x + NODE_WIDTH).toBe(0);
    for (const a of nodes)
      for (const b of nodes) if (a !== b) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
  });

  it('wraps many renderers into rows, each further row shifted half a column, none overlapping', () => {
    const count = RENDERERS_PER_ROW * 2 + 1;
    const ids = Array.from({ length: count }, (_, index) => `tab-${index + 1}`);
    const { nodes } = architectureGraph(
      view({
        tabs: ids.map((id, index) => tab(id, 500 + index)),
        processes: [
          process('browser', 'browser', 100),
          ...ids.map((id, index) => process(`renderer-${id}`, 'renderer', 500 + index)),
        ],
        channels: [],
      }),
    );
    const renderers = ids.map((id) => node(nodes, `renderer-${id}`));
    const rows = [...new Set(renderers.map((renderer) => renderer.y))];
    expect(rows).toHaveLength(3);
    expect(renderers.filter((renderer) => renderer.y === rows[0])).toHaveLength(RENDERERS_PER_ROW);
    expect(renderers[RENDERERS_PER_ROW]!.x).toBeGreaterThan(renderers[0]!.x);
    expect(renderers[2 * RENDERERS_PER_ROW]!.x).toBe(renderers[0]!.x);
    for (const a of nodes)
      for (const b of nodes) if (a !== b) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
  });

  it('turns a crashed process red and says why; a restarted one shows its new pid and restarts', () => {
    const tabs = [
      tab('tab-1', 201),
      tab('tab-2', 202, {
        state: 'crashed',
        crash: { reason: 'crashed', code: 'RESULT_CODE_CRASHED', at: 1, repeated: false },
      }),
    ];
    const processes = [
      process('browser', 'browser', 100),
      process('gpu', 'gpu', 310, { restarts: 2 }),
      process('plugin-host', 'plugin-host', 400, { state: 'crashed', exitReason: 'crashed', exitSignal: 'SIGSEGV' }),
      process('renderer-tab-1', 'renderer', 201, { state: 'killed', exitReason: 'killed', exitSignal: 'SIGKILL' }),
      process('renderer-tab-2', 'renderer', 202, { state: 'crashed', exitReason: 'crashed' }),
    ];
    const { nodes } = architectureGraph(view({ tabs, processes, channels: [] }));
    expect(node(nodes, 'renderer-tab-1')).toMatchObject({ tone: 'ended', state: 'killed', status: 'killed · SIGKILL' });
    expect(node(nodes, 'renderer-tab-2')).toMatchObject({ tone: 'ended', status: 'crashed · RESULT_CODE_CRASHED' });
    expect(node(nodes, 'plugin-host')).toMatchObject({
      tone: 'ended',
      status: 'crashed · SIGSEGV',
      serves: 'plugins down',
    });
    expect(node(nodes, 'gpu')).toMatchObject({
      title: 'GPU process · pid 310',
      status: 'running · 2 restarts',
      restarts: 2,
    });
  });

  it('says why a process ended: bad message, signal, code, reason', () => {
    const ended = (extra: Partial<ProcessInfo>) =>
      process('renderer-tab-1', 'renderer', 201, { state: 'killed', ...extra });
    expect(endedText(ended({ exitReason: 'bad-message', exitSignal: 'SIGKILL' }), [])).toBe('killed · bad-message');
    expect(endedText(ended({ state: 'crashed', exitReason: 'crashed', exitCode: 134 }), [])).toBe('crashed · code 134');
    expect(endedText(ended({ state: 'crashed', exitReason: 'oom' }), [])).toBe('crashed · out of memory');
    expect(endedText(ended({ state: 'crashed', exitReason: 'crashed', exitCode: 0 }), [])).toBe('crashed');
    expect(statusText(ended({ state: 'killed', exitReason: 'killed', exitSignal: 'SIGKILL', restarts: 1 }), [])).toBe(
      'killed · SIGKILL · 1 restart',
    );
    expect(statusText(process('gpu', 'gpu', 1, { state: 'unresponsive' }), [])).toBe('not responding');
    const hung = tab('tab-1', 201, {
      state: 'crashed',
      crash: { reason: 'killed', code: 'RESULT_CODE_HUNG', at: 1, repeated: false },
    });
    expect(endedText(ended({ exitReason: 'killed' }), [hung])).toBe('killed · RESULT_CODE_HUNG');
  });

  it('shows a renderer that is not registered yet (its tab is loading) as starting', () => {
    const v = view({ tabs: [tab('tab-1', 201), tab('tab-4', 0, { state: 'loading', pid: undefined })] });
    const pending = node(architectureGraph(v).nodes, 'renderer-tab-4');
    expect(pending).toMatchObject({
      title: 'Renderer · starting',
      state: 'starting',
      tone: 'starting',
      tabIds: ['tab-4'],
      pid: undefined,
    });
  });

  it('draws the spare renderer as what it is: no tab, started ahead for the next one', () => {
    const base = view();
    const spare = process('renderer-spare-2', 'renderer', 204, { label: 'Spare renderer', standby: true });
    const nodes = architectureGraph(view({ processes: [...base.processes, spare] })).nodes;
    expect(node(nodes, 'renderer-spare-2')).toMatchObject({
      title: 'Spare renderer · pid 204',
      serves: 'started ahead for the next new tab',
      tabIds: [],
      tone: 'running',
    });
    expect(node(nodes, 'renderer-tab-1').title).toBe('Renderer · pid 201');
  });

  it('draws one renderer for the tabs that share it (process per site), naming every tab', () => {
    const tabs = [
      tab('tab-1', 201, { rendererId: 'renderer-site-a', title: 'A' }),
      tab('tab-2', 201, { rendererId: 'renderer-site-a', title: 'B' }),
    ];
    const processes = [
      process('browser', 'browser', 100),
      process('gpu', 'gpu', 300),
      process('renderer-site-a', 'renderer', 201),
    ];
    const channels = [gpuChannel('tab-1', 300, 'renderer-site-a'), gpuChannel('tab-2', 300, 'renderer-site-a')];
    const graph = architectureGraph(view({ tabs, processes, channels, processModel: 'process-per-site' }));
    expect(graph.nodes.filter((n) => n.kind === 'renderer')).toMatchObject([
      { id: 'renderer-site-a', serves: 'A, B', tabIds: ['tab-1', 'tab-2'] },
    ]);
    expect(graph.edges.filter((e) => e.kind === 'direct')).toMatchObject([
      { id: 'TabGpu:renderer-site-a', label: 'TabGpu ×2' },
    ]);
  });

  it('draws the nodes a tour points at highlighted', () => {
    const { nodes } = architectureGraph(view(), new Set(['gpu', 'renderer-tab-2']));
    expect(nodes.filter((n) => n.highlighted).map((n) => n.id)).toEqual(['gpu', 'renderer-tab-2']);
  });
});

describe('architectureGraph: the hot-standby GPU process', () => {
  const withStandby = (standby: Partial<ProcessInfo> = {}, extra: Partial<BrowserSnapshot> = {}) =>
    view({
      processes: [
        process('browser', 'browser', 100),
        process('gpu', 'gpu', 300),
        process('gpu-standby', 'gpu', 310, { standby: true, ...standby }),
        process('plugin-host', 'plugin-host', 400),
        process('renderer-tab-1', 'renderer', 201),
        process('renderer-tab-2', 'renderer', 202),
        process('renderer-tab-3', 'renderer', 203),
      ],
      ...extra,
    });

  it('is drawn as what it is, above the GPU process it would replace, with its own channel to the browser', () => {
    const { nodes, edges } = architectureGraph(withStandby());
    const gpu = node(nodes, 'gpu');
    const standby = node(nodes, 'gpu-standby');
    expect(gpu).toMatchObject({ title: 'GPU process · pid 300', standby: false, serves: 'hardware compositing' });
    expect(standby).toMatchObject({
      kind: 'gpu',
      title: 'GPU process (standby) · pid 310',
      serves: 'idle; takes over if the GPU process crashes',
      standby: true,
      software: false,
    });
    expect(standby.x).toBe(gpu.x);
    expect(standby.y).toBeLessThan(gpu.y);
    for (const other of nodes) if (other !== standby) expect(overlaps(standby, other)).toBe(false);
    expect(edges.find((edge) => edge.id === 'ipc:gpu-standby')).toMatchObject({
      source: 'browser',
      channel: 'BrowserGpu',
    });
    // Tabs' channels stay on the active one.
    expect(edges.filter((edge) => edge.kind === 'direct' && edge.target === 'gpu-standby')).toEqual([]);
  });

  it('is named the GPU process wherever one is asked for, even when the standby is listed first', () => {
    const snapshot = withStandby();
    const reordered = { ...snapshot, processes: [...snapshot.processes].reverse() };
    expect(architectureGraph(reordered).nodes.find((n) => n.kind === 'gpu' && !n.standby)?.id).toBe('gpu');
  });

  it('says when the next one is on its way, and is not drawn once gone or in software compositing', () => {
    expect(
      node(architectureGraph(withStandby({ pid: undefined, state: 'starting' })).nodes, 'gpu-standby'),
    ).toMatchObject({ title: 'GPU process (standby) · starting', tone: 'starting' });
    expect(
      architectureGraph(withStandby({ state: 'exited', exitReason: 'clean-exit' })).nodes.map((n) => n.id),
    ).not.toContain('gpu-standby');
    expect(architectureGraph(withStandby({}, { gpuMode: 'software' })).nodes.map((n) => n.id)).not.toContain(
      'gpu-standby',
    );
  });
});

describe('architectureGraph: the lab host', () => {
  const labView = () =>
    view({
      processes: [...view().processes, process('lab-host', 'lab-host', 500)],
      channels: [
        gpuChannel('tab-1'),
        { interface: 'TabLab', tabId: 'tab-2', from: 'renderer-tab-2', to: 'lab-host', toPid: 500 },
      ],
    });

  it('is not drawn until a lab page started it', () => {
    expect(architectureGraph(view()).nodes.some((candidate) => candidate.kind === 'lab-host')).toBe(false);
  });

  it("is drawn above the plugin host, overlapping nothing, with its channel to the browser and a lab page's TabLab channel", () => {
    const { nodes, edges } = architectureGraph(labView());
    const lab = node(nodes, 'lab-host');
    expect(lab).toMatchObject({ kind: 'lab-host', title: 'Lab host · pid 500', x: node(nodes, 'plugin-host').x });
    expect(lab.y).toBeLessThan(node(nodes, 'plugin-host').y);
    for (const other of nodes) if (other !== lab) expect(overlaps(lab, other)).toBe(false);
    expect(edges.find((e) => e.id === 'ipc:lab-host')).toMatchObject({ source: 'browser', channel: 'BrowserLabHost' });
    expect(edges.find((e) => e.id === 'TabLab:renderer-tab-2')).toMatchObject({
      source: 'renderer-tab-2',
      target: 'lab-host',
      kind: 'direct',
      channel: 'TabLab',
    });
  });
});

describe('architectureGraph: edges', () => {
  it('joins the browser to every process and draws the direct channels it brokered', () => {
    const { edges } = architectureGraph(view());
    expect(edges.filter((e) => e.kind === 'ipc').map((e) => [e.id, e.source, e.target, e.channel])).toEqual([
      ['ipc:gpu', 'browser', 'gpu', 'BrowserGpu'],
      ['ipc:plugin-host', 'browser', 'plugin-host', 'BrowserPluginHost'],
      ['ipc:renderer-tab-1', 'browser', 'renderer-tab-1', 'BrowserTab'],
      ['ipc:renderer-tab-2', 'browser', 'renderer-tab-2', 'BrowserTab'],
      ['ipc:renderer-tab-3', 'browser', 'renderer-tab-3', 'BrowserTab'],
    ]);
    expect(edges.filter((e) => e.kind === 'direct').map((e) => [e.id, e.source, e.target, e.sourceHandle])).toEqual([
      ['TabGpu:renderer-tab-1', 'renderer-tab-1', 'gpu', 'top-left'],
      ['TabGpu:renderer-tab-2', 'renderer-tab-2', 'gpu', 'top-left'],
      ['TabGpu:renderer-tab-3', 'renderer-tab-3', 'gpu', 'top-left'],
      ['TabPlugin:renderer-tab-3', 'renderer-tab-3', 'plugin-host', 'top-right'],
    ]);
    expect(edges.every((e) => !e.broken)).toBe(true);
  });

  it('breaks the channel of an ended process and drops direct channels that ended with a process', () => {
    const v = view({
      processes: [
        process('browser', 'browser', 100),
        // Restarted: the tabs' channels to pid 300 are gone until they ask again.
        process('gpu', 'gpu', 301, { restarts: 1 }),
        process('plugin-host', 'plugin-host', 400, { state: 'crashed', exitReason: 'crashed', exitSignal: 'SIGSEGV' }),
        process('renderer-tab-1', 'renderer', 201, { state: 'crashed', exitReason: 'crashed' }),
        process('renderer-tab-2', 'renderer', 202),
        process('renderer-tab-3', 'renderer', 203),
      ],
      channels: [gpuChannel('tab-1', 301), gpuChannel('tab-2', 301), gpuChannel('tab-3', 300), pluginChannel('tab-3')],
    });
    const { edges } = architectureGraph(v);
    expect(edges.filter((e) => e.broken).map((e) => e.id)).toEqual(['ipc:plugin-host', 'ipc:renderer-tab-1']);
    expect(edges.filter((e) => e.kind === 'direct').map((e) => e.id)).toEqual(['TabGpu:renderer-tab-2']);
    expect(isLiveChannel(gpuChannel('tab-2', 301), v.processes)).toBe(true);
    expect(isLiveChannel(gpuChannel('tab-3', 300), v.processes)).toBe(false);
    expect(isLiveChannel(gpuChannel('tab-1', 301), v.processes)).toBe(false);
  });

  it('shows software compositing: the GPU node says so, each live renderer has a software edge instead of a GPU channel', () => {
    const v = view({
      gpuMode: 'software',
      processes: [
        process('browser', 'browser', 100),
        process('gpu', 'gpu', 302, { state: 'killed', exitReason: 'killed', exitSignal: 'SIGKILL', restarts: 2 }),
        process('plugin-host', 'plugin-host', 400),
        process('renderer-tab-1', 'renderer', 201),
        process('renderer-tab-2', 'renderer', 202, { state: 'crashed', exitReason: 'crashed' }),
        process('renderer-tab-3', 'renderer', 203),
      ],
      channels: [gpuChannel('tab-1', 302), pluginChannel('tab-3')],
    });
    const { nodes, edges } = architectureGraph(v);
    expect(node(nodes, 'gpu')).toMatchObject({
      software: true,
      serves: 'software compositing',
      status: 'killed · SIGKILL · 2 restarts',
    });
    expect(edges.filter((e) => e.kind === 'software').map((e) => [e.id, e.source, e.target, e.label])).toEqual([
      ['software:renderer-tab-1', 'renderer-tab-1', 'gpu', 'software'],
      ['software:renderer-tab-3', 'renderer-tab-3', 'gpu', 'software'],
    ]);
    expect(edges.filter((e) => e.channel === 'TabGpu')).toEqual([]);
    expect(edges.filter((e) => e.channel === 'TabPlugin').map((e) => e.id)).toEqual(['TabPlugin:renderer-tab-3']);
  });
});

describe('traffic', () => {
  const record = (
    direction: 'send' | 'receive',
    peer: TraceRow['from'],
  ): Pick<TraceRow, 'direction' | 'from' | 'to'> =>
    direction === 'send'
      ? { direction, from: { process: 'browser' }, to: peer }
      : { direction, from: peer, to: { process: 'browser' } };

  it('puts a record on the edge between the browser and its peer, and says which way it went', () => {
    const index = peerIndex(view());
    expect(edgeOfRecord(record('receive', { process: 'renderer', id: 'tab-2', pid: 202 }), index)).toEqual({
      edgeId: 'ipc:renderer-tab-2',
      outbound: false,
    });
    expect(edgeOfRecord(record('send', { process: 'renderer', id: 'tab-3' }), index)).toEqual({
      edgeId: 'ipc:renderer-tab-3',
      outbound: true,
    });
    expect(edgeOfRecord(record('send', { process: 'gpu' }), index)).toEqual({ edgeId: 'ipc:gpu', outbound: true });
    expect(edgeOfRecord(record('receive', { process: 'utility', pid: 400 }), index)).toEqual({
      edgeId: 'ipc:plugin-host',
      outbound: false,
    });
    // The UI page's own calls, and tabs that are gone, are on no edge.
    expect(edgeOfRecord(record('receive', { process: 'ui' }), index)).toBeUndefined();
    expect(edgeOfRecord(record('receive', { process: 'renderer', id: 'tab-9' }), index)).toBeUndefined();
  });

  it('maps a tab to the renderer it shares (process per site)', () => {
    const index = peerIndex({
      tabs: [
        tab('tab-1', 201, { rendererId: 'renderer-site-a' }),
        tab('tab-2', 201, { rendererId: 'renderer-site-a' }),
      ],
      processes: [],
    });
    expect(edgeOfRecord(record('receive', { process: 'renderer', id: 'tab-2' }), index)?.edgeId).toBe(
      'ipc:renderer-site-a',
    );
  });

  it('counts messages per edge and direction, scaled for records it did not read', () => {
    const index = peerIndex(view());
    const records = [
      record('send', { process: 'renderer', id: 'tab-1' }),
      record('receive', { process: 'renderer', id: 'tab-1' }),
      record('receive', { process: 'renderer', id: 'tab-1' }),
      record('send', { process: 'gpu' }),
      record('receive', { process: 'ui' }),
    ];
    expect(countTraffic(records, index)).toEqual(
      new Map([
        ['ipc:renderer-tab-1', { out: 1, in: 2 }],
        ['ipc:gpu', { out: 1, in: 0 }],
      ]),
    );
    expect(countTraffic(records, index, 10).get('ipc:renderer-tab-1')).toEqual({ out: 10, in: 20 });
  });

  it('makes one pulse stronger the more messages it stands for, up to 1', () => {
    expect(pulseStrength(0)).toBe(0);
    expect(pulseStrength(1)).toBeCloseTo(0.3);
    expect(pulseStrength(10)).toBeGreaterThan(pulseStrength(1));
    expect(pulseStrength(1000)).toBe(1);
    expect(pulseStrength(1_000_000)).toBe(1);
  });

  it('measures messages per second over a sliding window', () => {
    const meter = new TrafficMeter(1000);
    expect(meter.rate('ipc:gpu', 0)).toBeUndefined();
    meter.start(0);
    meter.add(500, new Map([['ipc:gpu', { out: 2, in: 3 }]]));
    // Half a second in: 5 messages in 0.5 s.
    expect(meter.rate('ipc:gpu', 500)).toBe(10);
    meter.add(1000, new Map([['ipc:gpu', { out: 1, in: 0 }]]));
    expect(meter.rate('ipc:gpu', 1000)).toBe(6);
    meter.add(1500, new Map());
    // The first sample has left the window.
    expect(meter.rate('ipc:gpu', 1500)).toBe(1);
    expect(meter.rate('ipc:renderer-tab-1', 1500)).toBe(0);
    expect(formatEdgeRate(0)).toBe('0/s');
    expect(formatEdgeRate(2.5)).toBe('2.5/s');
    expect(formatEdgeRate(148.2)).toBe('148/s');
  });
});

describe('directEdgeRates', () => {
  const tabs = [
    { id: 'tab-1', rendererId: 'r1' },
    { id: 'tab-2', rendererId: 'r1' },
    { id: 'tab-3', rendererId: 'r2' },
  ];
  const row = (iface: 'TabGpu' | 'TabPlugin', tabId: string, toChild: number, toTab: number) => ({
    interface: iface,
    tabId,
    perSecond: toChild + toTab,
    toChildPerSecond: toChild,
    toTabPerSecond: toTab,
  });

  it("puts each tab's rates on its renderer's edge of that interface, summed over the renderer's tabs", () => {
    const rates = directEdgeRates(
      [
        row('TabGpu', 'tab-1', 30, 30),
        row('TabGpu', 'tab-2', 15, 15),
        row('TabPlugin', 'tab-2', 1, 4),
        row('TabGpu', 'tab-3', 0, 0),
      ],
      tabs,
    );
    expect(rates).toEqual(
      new Map([
        [directEdgeId('TabGpu', 'r1'), { perSecond: 90, toChild: 45, toTab: 45 }],
        [directEdgeId('TabPlugin', 'r1'), { perSecond: 5, toChild: 1, toTab: 4 }],
        [directEdgeId('TabGpu', 'r2'), { perSecond: 0, toChild: 0, toTab: 0 }],
      ]),
    );
  });

  it('leaves out tabs the view does not know (closed since the sample)', () => {
    expect(directEdgeRates([row('TabGpu', 'gone', 30, 30)], tabs).size).toBe(0);
    expect(directEdgeRates([], tabs).size).toBe(0);
  });
});
