/**
 * A browser process of the tracing benchmark (bench/tracing.bench.ts), bundled and forked by it,
 * twice: the benchmark runs two of these at once, one with nobody watching and the other with the
 * mode under test, so both windows of a comparison see the same machine at the same moment.
 *
 *   tracing-bench-browser <path of the bundled tracing-bench-child> json|clone
 *
 * The last argument is the tabs' channel: `json`, JSON strings, as a tab page's channel to the
 * browser is in both shells (CDP binding and Runtime.evaluate; the preload's ipcRenderer), whose
 * sizes the channel knows; `clone`, structured clone, as the GPU process's and the plugin host's
 * channels are, whose sizes tracing estimates.
 *
 * Each is the browser side of the app as far as tracing touches it: the real TraceBuffer and
 * MetricsSampler on the process-wide tracer, four forked tab-like children calling `BenchHost.report`,
 * and two UI children, one per kind of UI channel, served the real getTrace and getMetrics. The modes:
 *   - closed, closed-again: nobody watches; the tracer has no subscriber.
 *   - inspector:       the IPC inspector is shown: the TraceBuffer subscribed, drained by getTrace
 *                      every 250 ms over JSON strings, as the UI page's channel is in both shells.
 *   - inspector-clone: the same over a structured-clone channel (for comparison: no UI uses one).
 *   - task-manager:    the MetricsSampler subscribed (counting messages per process), polled by
 *                      getMetrics every second; its /proc reads are left out (sampling, not tracing).
 *   - both:            the inspector and the task manager at once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { connect, type Connection } from '../../protocol/rpc/endpoint.ts';
import { ipcTracer } from '../../protocol/rpc/trace.ts';
import { childProcessTransport } from '../../protocol/transport/child-process.ts';
import { systemClock } from '../../main/core/clock.ts';
import { EventLog } from '../../main/core/event-log.ts';
import { MetricsSampler } from '../../main/core/metrics-sampler.ts';
import { ProcessRegistry } from '../../main/core/process-registry.ts';
import { TraceBuffer } from '../../main/core/trace-buffer.ts';
import {
  BENCH_DRIVER_MAX_BYTES,
  BENCH_MODES,
  BENCH_TABS,
  BenchBrowser,
  BenchDriver,
  BenchHost,
  BenchLoad,
  type BenchMode,
  InspectorService,
  InspectorUi,
  jsonStringTransport,
} from './interfaces.ts';

const TABS = BENCH_TABS;
const childEntry = process.argv[2];
const tabChannel = process.argv[3];
if (typeof process.send !== 'function' || !childEntry || (tabChannel !== 'json' && tabChannel !== 'clone')) {
  console.error('tracing-bench-browser: run by bench/tracing.bench.ts');
  process.exit(2);
}

const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
function spawnChild(...role: ['load' | 'ui', 'clone' | 'json']): ChildProcess {
  const child = fork(childEntry!, role, { serialization: role[1] === 'json' ? 'json' : 'advanced', stdio: 'inherit' });
  children.push(child);
  return child;
}

const clock = systemClock();
const registry = new ProcessRegistry(new EventLog());
registry.launched('browser', 'browser', 'Browser', process.pid);
const traceBuffer = new TraceBuffer({ clock });
const tabOfRenderer = new Map<string, string>();
const sampler = new MetricsSampler({
  registry,
  clock,
  browserId: 'browser',
  rendererOfTab: (tabId) => tabOfRenderer.get(tabId),
});
const self = { process: 'browser', pid: process.pid };

let served = 0;
const badMessages: string[] = [];
const tabs: Connection<typeof BenchHost, typeof BenchLoad>[] = [];
for (let i = 0; i < TABS; i++) {
  const child = spawnChild('load', tabChannel);
  const tabId = `tab-${child.pid}`;
  registry.launched(`renderer-${i}`, 'renderer', `Tab ${i}`, child.pid);
  tabOfRenderer.set(tabId, `renderer-${i}`);
  tabs.push(
    connect({
      transport: (tabChannel === 'json' ? jsonStringTransport : childProcessTransport)(child, {
        process: 'renderer',
        id: tabId,
        pid: child.pid!,
      }),
      self,
      local: BenchHost,
      remote: BenchLoad,
      handlers: {
        report: ({ seq }) => {
          served++;
          return { seq };
        },
      },
      onBadMessage: (report) => badMessages.push(report.reason),
      timeoutMs: 3_600_000,
    }),
  );
}
function serveUi(channel: 'clone' | 'json') {
  const child = spawnChild('ui', channel);
  return connect({
    transport:
      channel === 'json'
        ? jsonStringTransport(child, { process: 'ui' })
        : childProcessTransport(child, { process: 'ui' }),
    self,
    local: InspectorService,
    remote: InspectorUi,
    // The same handlers as serveBrowserUi (main/core/browser-ui-service.ts).
    handlers: {
      getTrace: ({ sinceSeq }) => traceBuffer.since(sinceSeq),
      getMetrics: async () => ({ processes: await sampler.watch() }),
    },
    onBadMessage: (report) => badMessages.push(report.reason),
    timeoutMs: 60_000,
  });
}
const uis = { clone: serveUi('clone'), json: serveUi('json') };

const isClosed = (mode: BenchMode) => mode === 'closed' || mode === 'closed-again';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
const epoch = () => performance.timeOrigin + performance.now();

/** Tells the UI children what to poll; answers what they received since the previous call. */
async function poll(mode: BenchMode) {
  const [clone, json] = await Promise.all([
    uis.clone.remote.poll({ trace: mode === 'inspector-clone', metrics: false }),
    uis.json.remote.poll({
      trace: mode === 'inspector' || mode === 'both',
      metrics: mode === 'both' || mode === 'task-manager',
    }),
  ]);
  return {
    polls: clone.polls + json.polls,
    records: clone.records + json.records,
    dropped: clone.dropped + json.dropped,
  };
}

let runs: Promise<{ calls: number }>[] = [];

/** A tab's timed calls of its last run, page by page. */
async function samplesOf(tab: Connection<typeof BenchHost, typeof BenchLoad>, calls: number) {
  const sentAt: number[] = [];
  const latencyMs: number[] = [];
  while (sentAt.length < calls) {
    const page = await tab.remote.samples({ offset: sentAt.length });
    if (page.sentAt.length === 0) break;
    sentAt.push(...page.sentAt);
    latencyMs.push(...page.latencyMs);
  }
  return { sentAt, latencyMs };
}

connect({
  transport: childProcessTransport(process, { process: 'bench' }),
  self,
  local: BenchBrowser,
  remote: BenchDriver,
  handlers: {
    start: ({ callsPerSecond, inFlight }) => {
      runs = tabs.map((tab) =>
        tab.remote.run({ ratePerSecond: callsPerSecond / TABS, inFlight }, { timeoutMs: 3_600_000 }),
      );
      return {};
    },
    slice: async ({ mode: name, settleMs, windowMs }) => {
      if (!(BENCH_MODES as readonly string[]).includes(name)) throw new Error(`unknown mode ${name}`);
      const mode = name as BenchMode;
      const sliceStart = performance.now();
      const sliceCpuBefore = process.cpuUsage();
      const sliceServedBefore = served;
      await poll(mode);
      // The inspector or task manager closing: their subscriptions end (after 5 s idle in the app).
      if (isClosed(mode)) traceBuffer.stop();
      if (mode !== 'both' && mode !== 'task-manager') sampler.stop();
      // No forced full collection: one a slice threw away optimized code that embeds objects it
      // freed ("weak objects" deopts) and each window paid to recompile it. Old-generation
      // collections come when they come, in any mode, as in the app.
      await sleep(settleMs); // the UI's first poll has started tracing; the previous mode's work is done
      if (ipcTracer.active === isClosed(mode))
        throw new Error(`${mode}: the tracer is ${ipcTracer.active ? 'active' : 'idle'}`);
      // The young generation, where tracing's garbage goes, is collected at both ends of the window:
      // the settling's garbage before it, the window's own in it and counted.
      collectGarbage({ type: 'minor' });
      await sleep(0); // the collection's GC entry is delivered before the window starts
      const servedBefore = served;
      const gcBefore = gcMs;
      const cpuBefore = process.cpuUsage();
      const from = epoch();
      const startedAt = performance.now();
      await sleep(windowMs);
      const messages = (served - servedBefore) * 2; // a request and its response
      const seconds = (performance.now() - startedAt) / 1000;
      const to = epoch();
      collectGarbage({ type: 'minor' });
      const cpu = process.cpuUsage(cpuBefore);
      await sleep(0); // the window's GC entries are delivered
      const gc = gcMs - gcBefore;
      const ui = await poll(mode); // (and polling goes on)
      const sliceCpu = process.cpuUsage(sliceCpuBefore);
      return {
        sliceMessages: (served - sliceServedBefore) * 2,
        sliceCpuUs: sliceCpu.user + sliceCpu.system,
        messages,
        seconds,
        cpuUs: cpu.user + cpu.system,
        gcMs: gc,
        from,
        to,
        sliceSeconds: (performance.now() - sliceStart) / 1000,
        uiPolls: ui.polls,
        uiRecords: ui.records,
        uiDropped: ui.dropped,
      };
    },
    finish: async () => {
      await poll('closed');
      traceBuffer.stop();
      sampler.stop();
      await Promise.all(tabs.map((tab) => tab.remote.stop({})));
      const counts = await Promise.all(runs);
      runs = [];
      const answers = await Promise.all(tabs.map((tab, i) => samplesOf(tab, counts[i]!.calls)));
      if (ipcTracer.active) throw new Error('the tracer is still active after the phase');
      return {
        sentAt: answers.flatMap((a) => a.sentAt),
        latencyMs: answers.flatMap((a) => a.latencyMs),
        badMessages: badMessages.splice(0, 1000),
      };
    },
  },
  onBadMessage: (report) => console.error(`[browser] bad message: ${report.reason}`),
  timeoutMs: 3_600_000,
  maxMessageBytes: BENCH_DRIVER_MAX_BYTES,
});
process.on('disconnect', () => process.exit(0));
