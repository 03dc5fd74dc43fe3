// What the architecture map draws: a node per process (the browser process, each renderer, the GPU
// process, the plugin host, the lab host once a lab page started it) and an edge per channel between them, laid out deterministically (which
// edge a traced message travels on is traffic.ts). Pure, so it runs in Node tests
// (architecture-map.test.ts); ArchitectureMap.tsx draws it with React Flow.
//
// Layout: the browser process in the middle of the top row, the GPU process to its left and the
// plugin host to its right (the lab host above it); the renderers in a row below, in tab order. Browser channels run down to
// the renderers and sideways to the GPU process and the plugin host; the direct channels the browser
// brokered run from a renderer up to the GPU process (TabGpu), the plugin host (TabPlugin) or the
// lab host (TabLab).
import type {
  DirectChannel,
  ProcessInfo,
  ProcessKind,
  ProcessState,
  TabInfo,
} from '../../../protocol/interfaces/browser-state.ts';
import { isEnded, type BrowserView } from '../connection/browser-state.ts';

export const NODE_WIDTH = 248;
export const NODE_HEIGHT = 76;
/** Between renderers in their row. */
const COLUMN_GAP = 28;
/** Between the top row and the renderers: room for the edges and their labels. */
const ROW_GAP = 100;
/** Between the browser process and the GPU process or plugin host: room for their channel's label. */
const SIDE_GAP = 160;
/** Renderers per row: more rows rather than one row so wide that fitting it makes the text unreadable. */
export const RENDERERS_PER_ROW = 5;
/** Between rows of renderers; each further row is shifted half a column so edges pass between nodes. */
const RENDERER_ROW_GAP = 36;
/** Between a standby and the process above which it waits: room for its channel's label. */
const STANDBY_GAP = 40;

/** Where an edge meets a node: a renderer's top takes its browser channel in the middle, TabGpu left of it, TabPlugin right. */
export type HandleSide = 'top' | 'top-left' | 'top-right' | 'bottom' | 'left' | 'right';
export type MapTone = 'running' | 'starting' | 'warning' | 'ended';

export interface MapNode {
  /** The registry id (ProcessInfo.id); a renderer not registered yet uses the id its tab names. */
  readonly id: string;
  readonly kind: ProcessKind;
  readonly state: ProcessState;
  readonly pid: number | undefined;
  readonly restarts: number;
  /** "Renderer · pid 1234", "GPU process · pid 77", "Renderer · starting". */
  readonly title: string;
  /** What it serves: its tabs' titles, "hardware compositing" / "software compositing", … */
  readonly serves: string;
  /** "running", "running · 1 restart", "crashed · SIGSEGV", "killed · bad-message". */
  readonly status: string;
  readonly tone: MapTone;
  /** The tabs a renderer serves, in tab order. */
  readonly tabIds: readonly string[];
  /** The GPU process node while compositing is in software. */
  readonly software: boolean;
  /** A hot-standby process (ProcessInfo.standby): started, idle, taking over when its active one crashes. */
  readonly standby: boolean;
  /** A guided tour points at it. */
  readonly highlighted: boolean;
  /** Top-left corner, in map units. */
  readonly x: number;
  readonly y: number;
}

/**
 * `ipc`: a channel of the browser process (it sees, and traces, every message on it). `direct`: a
 * channel the browser brokered between a renderer and the GPU process or plugin host (its messages
 * never pass the browser). `software`: no GPU channel, the renderer rasterizes itself.
 */
export type EdgeKind = 'ipc' | 'direct' | 'software';
export type ChannelName =
  'BrowserTab' | 'BrowserGpu' | 'BrowserPluginHost' | 'BrowserLabHost' | 'TabGpu' | 'TabPlugin' | 'TabLab';
/** The channels a tab's page has straight to a utility process (brokered by the browser). */
export type DirectChannelName = DirectChannel['interface'];

export interface MapEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly sourceHandle: HandleSide;
  readonly targetHandle: HandleSide;
  readonly kind: EdgeKind;
  /** The interface file it carries (protocol/interfaces/*.ts); absent for `software`. */
  readonly channel: ChannelName | undefined;
  /** "BrowserTab", "TabGpu ×2" (two tabs in one renderer), "software". */
  readonly label: string;
  /** One of its ends has ended: drawn broken, nothing flows. */
  readonly broken: boolean;
  /** For people: "TabGpu: Renderer pid 1234 to GPU process pid 77". */
  readonly description: string;
}

export interface ArchitectureGraph {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

const KIND_LABELS: Record<ProcessKind, string> = {
  browser: 'Browser',
  renderer: 'Renderer',
  gpu: 'GPU process',
  'plugin-host': 'Plugin host',
  'lab-host': 'Lab host',
};

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

/** The edge of the browser process's channel with a process. */
export const ipcEdgeId = (processId: string) => `ipc:${processId}`;
/** The edge of a renderer's brokered channels of one interface (merged over its tabs). */
export const directEdgeId = (channel: DirectChannelName, rendererId: string) => `${channel}:${rendererId}`;
/** The edge that says a renderer draws in software. */
export const softwareEdgeId = (rendererId: string) => `software:${rendererId}`;

/**
 * Why an ended process ended, as the node says it: "crashed · SIGSEGV", "killed · SIGKILL",
 * "killed · bad-message", "crashed · RESULT_CODE_CRASHED" (a renderer's code, as its sad tab shows it).
 */
export function endedText(process: ProcessInfo, tabs: readonly TabInfo[]): string {
  const state = process.state;
  if (process.exitReason === 'bad-message') return `${state} · bad-message`;
  if (process.exitSignal) return `${state} · ${process.exitSignal}`;
  if (process.exitCode !== undefined && process.exitCode !== 0) return `${state} · code ${process.exitCode}`;
  switch (process.exitReason) {
    case 'oom':
      return `${state} · out of memory`;
    case 'launch-failed':
      return `${state} · failed to launch`;
    case 'abnormal-exit':
      return `${state} · abnormal exit`;
  }
  const code =
    process.kind === 'renderer'
      ? tabs.find((tab) => tab.rendererId === process.id && tab.crash)?.crash?.code
      : undefined;
  return code ? `${state} · ${code}` : state;
}

/** The node's status line: its state (or why it ended) and how often it was started again. */
export function statusText(process: ProcessInfo, tabs: readonly TabInfo[]): string {
  const state = isEnded(process.state)
    ? endedText(process, tabs)
    : process.state === 'unresponsive'
      ? 'not responding'
      : process.state;
  return process.restarts > 0 ? `${state} · ${plural(process.restarts, 'restart')}` : state;
}

function toneOf(state: ProcessState): MapTone {
  if (isEnded(state)) return 'ended';
  if (state === 'unresponsive') return 'warning';
  return state === 'starting' ? 'starting' : 'running';
}

function servesText(process: ProcessInfo, view: BrowserView, tabs: readonly TabInfo[]): string {
  if (process.standby && process.kind === 'gpu') return 'idle; takes over if the GPU process crashes';
  switch (process.kind) {
    case 'browser':
      return 'window, tabs; IPC broker';
    case 'renderer':
      if (process.standby) return 'started ahead for the next new tab';
      return tabs.length ? tabs.map((tab) => tab.title.trim() || tab.url).join(', ') : process.label;
    case 'gpu':
      return view.gpuMode === 'software' ? 'software compositing' : 'hardware compositing';
    case 'plugin-host':
      return isEnded(process.state) ? 'plugins down' : 'plugins out of process';
    case 'lab-host':
      return isEnded(process.state) ? 'labs down' : "labs' real processes and threads";
  }
}

/** A renderer the browser has not registered yet (its tab's first load): shown as starting. */
function pendingRenderer(id: string): ProcessInfo {
  return { id, kind: 'renderer', label: id, startedAt: 0, state: 'starting', restarts: 0 };
}

/** Whether a brokered channel still stands: both ends alive, and its process the one it was granted by. */
export function isLiveChannel(channel: DirectChannel, processes: readonly ProcessInfo[]): boolean {
  const from = processes.find((process) => process.id === channel.from);
  const to = processes.find((process) => process.id === channel.to);
  return !!from && !!to && !isEnded(from.state) && !isEnded(to.state) && to.pid === channel.toPid;
}

/** The map of `view`: its nodes, laid out, and its edges. `highlighted`: process ids a tour points at. */
export function architectureGraph(view: BrowserView, highlighted: ReadonlySet<string> = new Set()): ArchitectureGraph {
  // The active process of a kind; a standby of that kind is drawn beside it, as what it is.
  const byKind = (kind: ProcessKind) => view.processes.find((process) => process.kind === kind && !process.standby);
  const browser = byKind('browser');
  const gpu = byKind('gpu');
  const gpuStandby = view.processes.find((process) => process.kind === 'gpu' && process.standby);
  const pluginHost = byKind('plugin-host');
  const labHost = byKind('lab-host');

  // Renderers in the order of their first tab; then any without a tab, oldest first.
  const rendererIds: string[] = [];
  for (const tab of view.tabs) if (!rendererIds.includes(tab.rendererId)) rendererIds.push(tab.rendererId);
  const registered = view.processes.filter((process) => process.kind === 'renderer');
  for (const process of [...registered].sort((a, b) => a.startedAt - b.startedAt)) {
    if (!rendererIds.includes(process.id)) rendererIds.push(process.id);
  }
  const renderers = rendererIds.map((id) => registered.find((process) => process.id === id) ?? pendingRenderer(id));

  // Layout, centred on x = 0.
  const perRow = Math.min(renderers.length, RENDERERS_PER_ROW);
  const rowWidth = perRow * NODE_WIDTH + Math.max(0, perRow - 1) * COLUMN_GAP;
  const top = 0;
  const bottom = NODE_HEIGHT + ROW_GAP;
  const rendererPosition = (index: number) => {
    const row = Math.floor(index / RENDERERS_PER_ROW);
    const shift = row % 2 === 1 ? (NODE_WIDTH + COLUMN_GAP) / 2 : 0;
    return {
      x: -rowWidth / 2 + (index % RENDERERS_PER_ROW) * (NODE_WIDTH + COLUMN_GAP) + shift,
      y: bottom + row * (NODE_HEIGHT + RENDERER_ROW_GAP),
    };
  };

  const nodes: MapNode[] = [];
  const add = (process: ProcessInfo, x: number, y: number) => {
    const tabs = process.kind === 'renderer' ? view.tabs.filter((tab) => tab.rendererId === process.id) : [];
    nodes.push({
      id: process.id,
      kind: process.kind,
      state: process.state,
      pid: process.pid,
      restarts: process.restarts,
      // A standby is named as what it is: "Spare renderer · pid 80", "GPU process (standby) · pid 77".
      title: `${process.standby && process.kind === 'renderer' ? 'Spare renderer' : `${KIND_LABELS[process.kind]}${process.standby ? ' (standby)' : ''}`} · ${process.pid === undefined ? 'starting' : `pid ${process.pid}`}`,
      serves: servesText(process, view, tabs),
      status: statusText(process, view.tabs),
      tone: toneOf(process.state),
      tabIds: tabs.map((tab) => tab.id),
      software: process.kind === 'gpu' && !process.standby && view.gpuMode === 'software',
      standby: process.standby === true,
      highlighted: highlighted.has(process.id),
      x,
      y,
    });
  };
  if (browser) add(browser, -NODE_WIDTH / 2, top);
  if (gpu) add(gpu, -NODE_WIDTH / 2 - SIDE_GAP - NODE_WIDTH, top);
  // Above the GPU process it would replace; shown only while it runs or is on its way.
  if (gpuStandby && !isEnded(gpuStandby.state) && view.gpuMode === 'hardware') {
    add(gpuStandby, -NODE_WIDTH / 2 - SIDE_GAP - NODE_WIDTH, top - NODE_HEIGHT - STANDBY_GAP);
  }
  if (pluginHost) add(pluginHost, NODE_WIDTH / 2 + SIDE_GAP, top);
  // Above the plugin host: started on demand, so often absent.
  if (labHost) add(labHost, NODE_WIDTH / 2 + SIDE_GAP, top - NODE_HEIGHT - STANDBY_GAP);
  renderers.forEach((renderer, index) => {
    const { x, y } = rendererPosition(index);
    add(renderer, x, y);
  });

  const nodeById = new Map(nodes.map((node) => [node.id, node]));
  const name = (id: string) => nodeById.get(id)?.title ?? id;
  const edges: MapEdge[] = [];
  const ipc = (child: MapNode, channel: ChannelName, sourceHandle: HandleSide, targetHandle: HandleSide) => {
    if (!browser) return;
    edges.push({
      id: ipcEdgeId(child.id),
      source: browser.id,
      target: child.id,
      sourceHandle,
      targetHandle,
      kind: 'ipc',
      channel,
      label: channel,
      broken: child.tone === 'ended',
      description: `${channel}: ${name(browser.id)} to ${name(child.id)}`,
    });
  };
  if (gpu) ipc(nodeById.get(gpu.id)!, 'BrowserGpu', 'left', 'right');
  const standbyNode = gpuStandby && nodeById.get(gpuStandby.id);
  if (standbyNode) ipc(standbyNode, 'BrowserGpu', 'left', 'right');
  if (pluginHost) ipc(nodeById.get(pluginHost.id)!, 'BrowserPluginHost', 'right', 'left');
  if (labHost) ipc(nodeById.get(labHost.id)!, 'BrowserLabHost', 'right', 'left');
  for (const renderer of renderers) ipc(nodeById.get(renderer.id)!, 'BrowserTab', 'bottom', 'top');

  // The brokered channels, one edge per renderer and interface.
  const live = view.channels.filter((channel) => isLiveChannel(channel, view.processes));
  for (const channel of ['TabGpu', 'TabPlugin', 'TabLab'] as const) {
    for (const renderer of renderers) {
      const granted = live.filter((entry) => entry.interface === channel && entry.from === renderer.id);
      if (!granted.length) continue;
      const to = granted[0]!.to;
      edges.push({
        id: directEdgeId(channel, renderer.id),
        source: renderer.id,
        target: to,
        sourceHandle: channel === 'TabGpu' ? 'top-left' : 'top-right',
        targetHandle: 'bottom',
        kind: 'direct',
        channel,
        label: granted.length > 1 ? `${channel} ×${granted.length}` : channel,
        broken: false,
        description: `${channel}: ${name(renderer.id)} to ${name(to)}, brokered by the browser`,
      });
    }
  }
  // Software compositing: no GPU channels; each live renderer rasterizes its own frames.
  if (gpu && view.gpuMode === 'software') {
    for (const renderer of renderers) {
      if (isEnded(renderer.state)) continue;
      edges.push({
        id: softwareEdgeId(renderer.id),
        source: renderer.id,
        target: gpu.id,
        sourceHandle: 'top-left',
        targetHandle: 'bottom',
        kind: 'software',
        channel: undefined,
        label: 'software',
        broken: false,
        description: `${name(renderer.id)} rasterizes in software: no channel to the GPU process`,
      });
    }
  }
  return { nodes, edges };
}
