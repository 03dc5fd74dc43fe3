/**
 * The IPC lab page's view: plain DOM over an IpcLabSource. The controls and section frames are made
 * once (focus stays where it is); what the runs report is drawn again on every change, the charts
 * at most once a task. Every text comes from i18n (`ipc` namespace), redrawn on a language change.
 * The HTML report (renderer/experiment-report) shows a finished result with the same sections
 * (`showIpcLabResult`): no run controls, nothing to connect to.
 */
import type { i18n, TFunction } from 'i18next';
import {
  IPC_LAB_SCHEMA,
  REFERENCES,
  type ChannelResult,
  type IpcKind,
  type IpcLabProgress,
  type IpcLabResult,
} from '../../../../protocol/labs/ipc-result.ts';
import { h } from '../dom.ts';
import { LabHostNotConnectedError, NotConnectedIpcLabSource, type IpcLabSource } from './ipc-lab-source.ts';
import { latencyPlot, referencePlot, throughputPlot, type ChartOptions } from './ipc-plots.ts';
import {
  applyProgress,
  channelDomain,
  describeCheck,
  exportFileName,
  formatUs,
  htmlReportFileName,
  kindCards,
  latencyRows,
  measuredCount,
  referenceRows,
  tearRows,
  tearTotals,
  throughputRows,
  tieIn as tieInFigures,
} from './ipc-view-model.ts';
import './ipc-lab.css';

export type LabPhase = 'idle' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';

interface State {
  phase: LabPhase;
  quick: boolean;
  channels: ChannelResult[];
  result: IpcLabResult | undefined;
  failure: { kind: 'not-connected' } | { kind: 'error'; message: string } | undefined;
}

/** The log keeps its newest lines only: a full run writes a few hundred. */
const LOG_LINES = 1000;

let sectionIds = 0;
function section(name: string, className = 'card') {
  const headingId = `ipc-section-${++sectionIds}`;
  const heading = h('h2', { id: headingId });
  const body = h('div', { class: 'section-body' });
  const element = h(
    'section',
    { class: `${className} ipc-section`, 'data-section': name, 'aria-labelledby': headingId },
    heading,
    body,
  );
  return { element, heading, body };
}

export function mountIpcLab(root: HTMLElement, source: IpcLabSource, i18n: i18n): { readonly rendered: Promise<void> } {
  return mount(root, source, i18n, undefined);
}

/** A finished result with the page's sections and charts, nothing to run (the HTML report). */
export function showIpcLabResult(
  root: HTMLElement,
  result: IpcLabResult,
  i18n: i18n,
): { readonly rendered: Promise<void> } {
  return mount(root, new NotConnectedIpcLabSource(), i18n, result);
}

function mount(
  root: HTMLElement,
  source: IpcLabSource,
  i18n: i18n,
  shown: IpcLabResult | undefined,
): { readonly rendered: Promise<void> } {
  const state: State = shown
    ? { phase: 'done', quick: true, channels: [...shown.channels], result: shown, failure: undefined }
    : {
        phase: 'idle',
        quick: true,
        channels: [],
        result: undefined,
        failure: source instanceof NotConnectedIpcLabSource ? { kind: 'not-connected' } : undefined,
      };
  const t: () => TFunction = () => i18n.getFixedT(null, 'ipc');

  // ---- the run card: mode, Run, Stop, Export, status, log -------------------------------------
  const run = section('run');
  const modeLegend = h('legend');
  const modeInputs = (['quick', 'full'] as const).map((mode) => {
    const input = h('input', { type: 'radio', name: 'ipc-mode', value: mode, checked: mode === 'quick' });
    input.addEventListener('change', () => {
      if (input.checked) state.quick = mode === 'quick';
    });
    const label = h('span', { class: 'mode-label' });
    const hint = h('span', { class: 'mode-hint' });
    return { mode, input, label, hint, element: h('label', { class: 'mode' }, input, label, hint) };
  });
  const modeSet = h('fieldset', { class: 'modes' }, modeLegend, ...modeInputs.map((mode) => mode.element));
  const runButton = h('button', { type: 'button', 'data-action': 'run' });
  const stopButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'stop' });
  const exportButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'export' });
  const exportHtmlButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'export-html' });
  const status = h('p', { class: 'lab-status', role: 'status' });
  const logHeading = h('h3');
  const log = h('pre', { class: 'lab-log', role: 'log', tabindex: 0 });
  const logLines: string[] = [];
  run.body.append(
    h(
      'div',
      { class: 'run-controls' },
      modeSet,
      h('div', { class: 'actions' }, runButton, stopButton, exportButton, exportHtmlButton),
    ),
    status,
    logHeading,
    log,
  );

  // ---- the other sections -----------------------------------------------------------------------
  const kinds = section('kinds', 'ipc-kinds-section');
  const latency = section('latency');
  const throughput = section('throughput');
  const reference = section('reference');
  const checks = section('checks');
  const sync = section('sync');
  const environment = section('environment');
  const tieIn = section('tie-in');
  const back = h('a', { class: 'back-link', href: 'labs' });
  root.replaceChildren(
    ...(shown ? [] : [h('nav', { class: 'lab-nav' }, back), run.element]),
    kinds.element,
    h('div', { class: 'ipc-charts' }, latency.element, throughput.element, reference.element),
    h('div', { class: 'ipc-results' }, checks.element, sync.element),
    environment.element,
    tieIn.element,
  );

  const channelLabel = (id: string) => {
    const channel = state.channels.find((candidate) => candidate.id === id);
    return channel?.standIn ? t()('charts.standInSuffix', { channel: id }) : id;
  };
  const kindName = (kind: IpcKind) =>
    kind === 'unix-socket' || kind === 'tcp-loopback' ? t()(`kinds.measured.${kind}`) : t()(`kinds.${kind}.name`);

  // ---- drawing ------------------------------------------------------------------------------------
  function drawControls() {
    const tr = t();
    run.heading.textContent = tr('run.heading');
    modeLegend.textContent = tr('run.mode');
    for (const mode of modeInputs) {
      mode.label.textContent = tr(`run.${mode.mode}`);
      mode.hint.textContent = tr(`run.${mode.mode}Hint`);
      mode.input.disabled = state.phase === 'running' || state.phase === 'stopping';
    }
    runButton.textContent = tr('run.start');
    stopButton.textContent = tr('run.stop');
    exportButton.textContent = tr('export.button');
    exportButton.title = tr('export.hint', { schema: IPC_LAB_SCHEMA });
    const busy = state.phase === 'running' || state.phase === 'stopping';
    runButton.disabled = busy || state.failure?.kind === 'not-connected';
    stopButton.disabled = state.phase !== 'running';
    exportButton.disabled = !state.result;
    exportHtmlButton.textContent = tr('export.htmlButton');
    exportHtmlButton.title = tr('export.htmlHint');
    exportHtmlButton.disabled = !state.result || exportingHtml;
    status.setAttribute('aria-label', tr('run.status'));
    status.dataset.state = state.phase;
    status.classList.toggle('problem', state.failure !== undefined);
    status.textContent =
      state.failure?.kind === 'not-connected'
        ? tr('run.notConnected')
        : state.failure?.kind === 'error'
          ? tr('run.failed', { message: state.failure.message })
          : state.phase === 'running'
            ? tr('run.running', { measured: measuredCount(state.channels) })
            : state.phase === 'stopping'
              ? tr('run.stopping')
              : state.phase === 'stopped'
                ? tr('run.stopped')
                : state.phase === 'done' && state.result
                  ? tr('run.done', {
                      channels: state.result.channels.length,
                      finishedAt: new Date(state.result.finishedAt).toLocaleString(i18n.language),
                    })
                  : tr('run.idle');
    logHeading.textContent = tr('run.log');
    if (!logLines.length) log.textContent = tr('run.logEmpty');
    log.classList.toggle('empty', !logLines.length);
    back.textContent = `← ${i18n.t('labs:index.allLabs')}`;
  }

  function drawKinds() {
    const tr = t();
    kinds.heading.textContent = tr('kinds.heading');
    kinds.body.replaceChildren(
      h('p', { class: 'section-intro' }, tr('kinds.intro')),
      h(
        'ul',
        { class: 'kind-grid' },
        ...kindCards(state.channels).map((card) =>
          h(
            'li',
            { class: 'card kind-card', 'data-kind': card.id },
            h('h3', {}, tr(`kinds.${card.id}.name`)),
            h('p', { class: 'kind-notes' }, tr(`kinds.${card.id}.notes`)),
            h('div', { class: 'what-runs-label' }, tr('kinds.whatRuns')),
            card.channels.length
              ? h(
                  'ul',
                  { class: 'what-runs' },
                  ...card.channels.map((channel) =>
                    h(
                      'li',
                      { 'data-channel': channel.id, 'data-stand-in': String(channel.standIn) },
                      h(
                        'div',
                        { class: 'channel-head' },
                        h('code', {}, channel.id),
                        channel.standIn && h('span', { class: 'pill stand-in' }, tr('kinds.standIn')),
                        h(
                          'span',
                          { class: 'channel-where' },
                          tr(channel.crossProcess ? 'kinds.betweenProcesses' : 'kinds.betweenThreads'),
                          channel.peerPid !== undefined ? ` · ${tr('kinds.peerPid', { pid: channel.peerPid })}` : '',
                        ),
                      ),
                      h('div', { class: 'mechanism' }, channel.mechanism),
                      channel.note &&
                        h(
                          'div',
                          { class: channel.standIn ? 'channel-note stand-in-why' : 'channel-note' },
                          tr(channel.standIn ? 'kinds.standInWhy' : 'kinds.note', { note: channel.note }),
                        ),
                      channel.error &&
                        h('div', { class: 'channel-error' }, tr('kinds.failed', { error: channel.error })),
                    ),
                  ),
                )
              : h('p', { class: 'not-run' }, tr('kinds.notRunYet')),
          ),
        ),
      ),
    );
  }

  function chartOptions(body: HTMLElement): ChartOptions {
    return {
      width: Math.max(480, Math.floor(body.clientWidth || 900)),
      channels: channelDomain(state.channels),
      channelLabel,
      document,
    };
  }

  function floorLabel(): { us: number; label: string } | undefined {
    const floor = state.result?.kernelFloor;
    return floor?.available
      ? { us: floor.usPerRoundTrip, label: t()('charts.kernelFloor', { us: formatUs(floor.usPerRoundTrip) }) }
      : undefined;
  }

  function floorText(): string | undefined {
    const floor = state.result?.kernelFloor;
    if (!floor) return undefined;
    return floor.available
      ? t()('charts.kernelFloorWhat', {
          tool: floor.tool,
          us: formatUs(floor.usPerRoundTrip),
          perSecond: Math.round(floor.roundTripsPerSecond).toLocaleString(i18n.language),
        })
      : t()('charts.kernelFloorUnavailable', { tool: floor.tool, reason: floor.reason });
  }

  function chartFigure(name: string, caption: string, aria: string, draw: () => Element | undefined) {
    const chart = draw();
    return h(
      'figure',
      { class: 'chart', 'data-chart': name, role: 'img', 'aria-label': aria },
      chart ?? h('p', { class: 'chart-empty' }, t()('charts.empty')),
      h('figcaption', {}, caption),
    );
  }

  function drawCharts() {
    const tr = t();
    const stat = (name: string) => tr(`stats.${name}`);
    const floor = floorLabel();
    const floorLine = floorText();

    latency.heading.textContent = tr('charts.latency.heading');
    const latencyData = latencyRows(state.channels);
    latency.body.replaceChildren(
      chartFigure('latency', tr('charts.latency.caption'), tr('charts.latency.aria'), () =>
        latencyData.length
          ? latencyPlot(
              latencyData,
              { size: tr('charts.size'), y: tr('charts.latency.y'), stat, floor },
              chartOptions(latency.body),
            )
          : undefined,
      ),
      floorLine ? h('p', { class: 'floor-line' }, floorLine) : '',
    );

    throughput.heading.textContent = tr('charts.throughput.heading');
    const throughputData = throughputRows(state.channels);
    throughput.body.replaceChildren(
      chartFigure('throughput', tr('charts.throughput.caption'), tr('charts.throughput.aria'), () =>
        throughputData.length
          ? throughputPlot(
              throughputData,
              { size: tr('charts.size'), y: tr('charts.throughput.y') },
              chartOptions(throughput.body),
            )
          : undefined,
      ),
    );

    reference.heading.textContent = tr('charts.reference.heading');
    const references = state.result?.references ?? REFERENCES;
    const rows = referenceRows(references.roundTripUs, state.channels);
    reference.body.replaceChildren(
      h(
        'div',
        { class: 'reference-legend' },
        h('span', { class: 'swatch ours' }),
        tr('charts.reference.ours'),
        h('span', { class: 'swatch published' }),
        h('b', {}, tr('charts.reference.published')),
        floor ? h('span', { class: 'swatch floor' }) : '',
        floor ? floor.label : '',
      ),
      chartFigure(
        'reference',
        tr('charts.reference.caption', { bytes: rows.bytes ?? 64, source: references.source }),
        tr('charts.reference.aria'),
        () => referencePlot(rows, { x: tr('charts.reference.x'), kind: kindName, floor }, chartOptions(reference.body)),
      ),
    );
  }

  function drawResults() {
    const tr = t();
    checks.heading.textContent = tr('checks.heading');
    const checkList = state.result?.checks ?? [];
    checks.body.replaceChildren(
      h('p', { class: 'section-intro' }, tr('checks.intro')),
      checkList.length
        ? h(
            'ul',
            { class: 'checks' },
            ...checkList.map((check) => {
              const label = describeCheck(check);
              return h(
                'li',
                { 'data-verdict': label.verdict },
                h('span', { class: `pill ${label.verdict}` }, tr(`checks.${label.verdict}`)),
                h(
                  'span',
                  { class: 'check-name' },
                  'key' in label.name ? tr(label.name.key, label.name.values) : label.name.text,
                ),
                h('span', { class: 'check-detail' }, label.detail),
              );
            }),
          )
        : h('p', { class: 'not-run' }, tr('checks.none')),
    );

    sync.heading.textContent = tr('sync.heading');
    const tears = tearRows(state.result?.unsynchronized ?? []);
    const totals = tearTotals(tears);
    const number = (value: number) => value.toLocaleString(i18n.language);
    sync.body.replaceChildren(
      h('p', { class: 'section-intro' }, tr('sync.intro')),
      tears.length
        ? h(
            'div',
            {},
            h(
              'p',
              { class: 'sync-summary' },
              tr('sync.summary', {
                torn: number(totals.torn),
                lost: number(totals.lost),
                runs: totals.runs,
                syncTorn: number(totals.syncTorn),
                syncLost: number(totals.syncLost),
              }),
            ),
            h(
              'table',
              { class: 'tear-table', 'aria-label': tr('sync.heading') },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['between', 'handshake', 'runs', 'reads', 'torn', 'lost', 'duplicates'].map((key) =>
                    h('th', { scope: 'col' }, tr(`sync.${key}`)),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                ...tears.map((row) =>
                  h(
                    'tr',
                    {
                      'data-between': row.between,
                      'data-synchronized': String(row.synchronized),
                      class: !row.synchronized && (row.torn || row.lost) ? 'tore' : '',
                    },
                    h('td', {}, tr(`sync.${row.between}`)),
                    h('td', {}, tr(row.synchronized ? 'sync.with' : 'sync.without')),
                    h('td', { class: 'num' }, number(row.runs)),
                    h('td', { class: 'num' }, number(row.reads)),
                    h('td', { class: 'num torn' }, number(row.torn)),
                    h('td', { class: 'num lost' }, number(row.lost)),
                    h('td', { class: 'num' }, number(row.duplicates)),
                  ),
                ),
              ),
            ),
            ...tears
              .filter((row) => row.error)
              .map((row) => h('p', { class: 'channel-error' }, tr('sync.failed', { error: row.error }))),
          )
        : h('p', { class: 'not-run' }, tr('sync.none')),
    );

    environment.heading.textContent = tr('env.heading');
    const result = state.result;
    if (!result) {
      environment.body.replaceChildren(h('p', { class: 'not-run' }, tr('env.none')));
    } else {
      const env = result.environment;
      const rows: [string, string][] = [
        ['cpu', env.cpu],
        ['cores', String(env.cores)],
        ['kernel', env.kernel],
        ['platform', `${env.platform} ${env.arch}`],
        ['node', `${env.node} (V8 ${env.v8})`],
        ['runtime', env.runtime],
        ['load', env.loadAverage.map((load) => load.toFixed(2)).join(' ')],
        ['memory', tr('env.memoryValue', { mib: Math.round(env.totalMemoryMiB).toLocaleString(i18n.language) })],
        ['addon', tr(result.addon.loaded ? 'env.addonLoaded' : 'env.addonMissing', { detail: result.addon.detail })],
        ['started', new Date(result.startedAt).toLocaleString(i18n.language)],
        ['finished', new Date(result.finishedAt).toLocaleString(i18n.language)],
      ];
      environment.body.replaceChildren(
        h(
          'dl',
          { class: 'environment' },
          ...rows.map(([key, value]) =>
            h('div', { 'data-env': key }, h('dt', {}, tr(`env.${key}`)), h('dd', {}, value)),
          ),
        ),
      );
    }

    tieIn.heading.textContent = tr('tieIn.heading');
    const figures = tieInFigures(state.channels);
    tieIn.body.replaceChildren(
      h('p', {}, tr('tieIn.text')),
      h('p', {}, tr('tieIn.gpu')),
      figures.state === 'measured'
        ? h(
            'p',
            { class: 'tie-in-figures', 'data-gpu-us': String(figures.gpuUs), 'data-ring-us': String(figures.ringUs) },
            tr('tieIn.measured', {
              gpu: formatUs(figures.gpuUs),
              ring: figures.ring,
              ringUs: formatUs(figures.ringUs),
              ratio: formatUs(figures.gpuUs / figures.ringUs),
            }),
          )
        : figures.state === 'failed'
          ? h('p', { class: 'channel-error' }, tr('tieIn.notMeasured', { reason: figures.reason }))
          : '',
    );
  }

  let chartsPending = false;
  let rendered: () => void = () => {};
  let renderedPromise = new Promise<void>((resolve) => (rendered = resolve));
  /** Charts are the costly part: drawn at most once a task however many figures arrive in it. */
  function scheduleCharts() {
    if (chartsPending) return;
    chartsPending = true;
    setTimeout(() => {
      chartsPending = false;
      drawCharts();
      root.dataset.chartPoints = String(latencyRows(state.channels).length);
      rendered();
    }, 0);
  }

  function drawAll() {
    drawControls();
    drawKinds();
    drawResults();
    scheduleCharts();
  }

  function appendLog(line: string) {
    logLines.push(line);
    if (logLines.length > LOG_LINES) logLines.splice(0, logLines.length - LOG_LINES);
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.textContent = logLines.join('\n');
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function onProgress(progress: IpcLabProgress) {
    if (state.phase !== 'running' && state.phase !== 'stopping') return;
    appendLog(progress.line);
    if (progress.measured) {
      const known = new Set(state.channels.map((channel) => channel.id));
      state.channels = applyProgress(state.channels, progress);
      // A new channel adds a "what runs" line to its kind; a new size only moves the charts.
      if (!known.has(progress.measured.channel.id)) drawKinds();
      scheduleCharts();
    }
    drawControls();
  }

  async function start() {
    if (state.phase === 'running' || state.phase === 'stopping') return;
    Object.assign(state, { phase: 'running', channels: [], result: undefined, failure: undefined });
    logLines.length = 0;
    drawAll();
    try {
      const result = await source.run({ quick: state.quick }, onProgress);
      Object.assign(state, { phase: 'done', result, channels: result.channels });
    } catch (error) {
      if (error instanceof LabHostNotConnectedError)
        Object.assign(state, { phase: 'failed', failure: { kind: 'not-connected' } });
      // stop() may have changed the phase while the run was awaited.
      else if ((state.phase as LabPhase) === 'stopping') state.phase = 'stopped';
      else
        Object.assign(state, {
          phase: 'failed',
          failure: { kind: 'error', message: (error as Error).message ?? String(error) },
        });
    }
    drawAll();
  }

  async function stop() {
    if (state.phase !== 'running') return;
    state.phase = 'stopping';
    drawControls();
    try {
      await source.stop();
    } catch (error) {
      appendLog(`stop: ${(error as Error).message}`);
    }
  }

  function download(text: string, type: string, fileName: string) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = h('a', { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  function exportJson() {
    if (!state.result) return;
    download(`${JSON.stringify(state.result, null, 2)}\n`, 'application/json', exportFileName(state.result));
  }

  let exportingHtml = false;
  async function exportHtml() {
    const result = state.result;
    if (!result || exportingHtml) return;
    exportingHtml = true;
    drawControls();
    try {
      download(await source.reportHtml(result, i18n.language), 'text/html', htmlReportFileName(result));
    } catch (error) {
      appendLog(t()('export.htmlFailed', { message: (error as Error).message ?? String(error) }));
    } finally {
      exportingHtml = false;
      drawControls();
    }
  }

  runButton.addEventListener('click', () => void start());
  stopButton.addEventListener('click', () => void stop());
  exportButton.addEventListener('click', exportJson);
  exportHtmlButton.addEventListener('click', () => void exportHtml());
  i18n.on('languageChanged', () => {
    renderedPromise = new Promise<void>((resolve) => (rendered = resolve));
    drawAll();
  });
  drawAll();
  return {
    get rendered() {
      return renderedPromise;
    },
  };
}
