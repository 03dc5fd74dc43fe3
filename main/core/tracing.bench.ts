/**
 * `npm run bench:tracing`: what IPC tracing costs the browser process while someone watches, against
 * nobody watching, in one run with the modes interleaved.
 *
 *   npm run bench:tracing                    (node --import tsx main/core/tracing.bench.ts)
 *   npm run bench:tracing -- --quick         a few rounds: a smoke run
 *   npm run bench:tracing -- --json out.json also write every slice
 *   npm run bench:tracing -- --modes closed,inspector   only these modes (e.g. for --cpu-prof)
 *   npm run bench:tracing -- --phases paced  only the paced (or unpaced) load
 *   npm run bench:tracing -- --rounds 40     paced rounds (unpaced: a third as many)
 *
 * Real processes and channels throughout: this process is the browser side; four forked children
 * (`serialization: 'advanced'`, as the GPU process and plugin host are started) play tabs that call
 * the browser's `BenchHost.report` (about 100 B each way, validated both ways); two more play the
 * browser UI, one per kind of UI channel (main/core/tracing-bench-child.ts). The modes:
 *   - closed:         nobody watches; the tracer has no subscriber.
 *   - inspector:      the IPC inspector is shown: the real TraceBuffer (10,000-record ring) subscribed
 *                     to ipcTracer, drained by getTrace every 250 ms (up to 8 pages of 500 a poll, as
 *                     the UI does; the answers are the real TracePage, validated in the UI) over a
 *                     structured-clone channel, as Electron's UI IPC is.
 *   - inspector-json: the same over a channel of JSON strings (stringChannelTransport), as the
 *                     Chromium shell's UI page is reached (its CDP binding and Runtime.evaluate).
 *   - task-manager:   the task manager is shown, not the inspector: the real MetricsSampler subscribed
 *                     to ipcTracer (counting messages per process), polled by getMetrics every second.
 *                     Its /proc reads are left out: that is sampling, not tracing. Every message is
 *                     traced, nothing is shipped: what recording alone costs.
 *   - both:           the inspector and the task manager at once. (Not run by default.)
 *   - closed-again:   closed once more, as a mode of its own: an A/A control. Its ratio to closed is
 *                     what noise alone makes of a ratio in this run.
 *
 * The load runs without a break through a phase while the mode changes every slice (settle 300 ms, a
 * young-generation GC, then a 1 s window that ends with a young-generation GC, counted), in rounds of one slice per mode whose order changes every round (a
 * Williams design), so drift, carry-over and the neighbours' noise (a shared 2-core machine) hit
 * every mode alike, and each ratio compares windows a second or two apart. Paced phase: the tabs together make 2,500 calls a second, so the
 * browser process receives and sends 5,000 messages a second (requests and responses; the UI's own
 * polling comes on top, as overhead of the watching modes). Measured per window: the browser
 * process's CPU time (process.cpuUsage, every thread: GC included) per tab message, the achieved
 * message rate, and the round trip of each call sent in it, as the tab timed it. Unpaced phase: each
 * tab keeps 16 calls in flight; messages per second the browser served, and CPU per message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import path from 'node:path';
import { build } from 'esbuild';
import { connect, type Connection } from '../../protocol/rpc/endpoint.ts';
import { ipcTracer } from '../../protocol/rpc/trace.ts';
import { childProcessTransport } from '../../protocol/transport/child-process.ts';
import { systemClock } from './clock.ts';
import { EventLog } from './event-log.ts';
import { MetricsSampler } from './metrics-sampler.ts';
import { ProcessRegistry } from './process-registry.ts';
import { TraceBuffer } from './trace-buffer.ts';
import { BenchHost, BenchLoad, InspectorService, InspectorUi, jsonStringTransport } from './tracing-bench-child.ts';

// ---- options -------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const option = (name: string) => {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (!value) fail(`${name} needs a value`);
  return value;
};
const JSON_OUT = option('--json');
const ALL_MODES = ['closed', 'inspector', 'inspector-json', 'task-manager', 'both', 'closed-again'] as const;
type Mode = (typeof ALL_MODES)[number];
const DEFAULT_MODES: readonly Mode[] = ['closed', 'inspector', 'inspector-json', 'task-manager', 'closed-again'];
const MODES = (option('--modes')?.split(',') ?? DEFAULT_MODES) as Mode[];
for (const mode of MODES) if (!ALL_MODES.includes(mode)) fail(`unknown mode ${mode}; modes: ${ALL_MODES.join(', ')}`);
const PHASES = option('--phases')?.split(',') ?? ['paced', 'unpaced'];
for (const name of PHASES) if (name !== 'paced' && name !== 'unpaced') fail(`unknown phase ${name}; phases: paced, unpaced`);

const TABS = 4;
/** Messages a second the browser process exchanges with the tabs: a request and a response per call. */
const TARGET_MESSAGES_PER_SECOND = 5000;
const CALLS_PER_SECOND = TARGET_MESSAGES_PER_SECOND / 2;
const PACED_ROUNDS = Number(option('--rounds') ?? (QUICK ? 3 : 20));
if (!(PACED_ROUNDS >= 1)) fail('--rounds takes a positive number');
const UNPACED_ROUNDS = Math.ceil(PACED_ROUNDS / 3);
const UNPACED_IN_FLIGHT = 16;
/** Each slice: switch the mode, let it settle, then measure a window. */
const SETTLE_MS = 300;
const WINDOW_MS = 1000;

function fail(message: string): never {
  console.error(`bench:tracing: ${message}`);
  process.exit(2);
}

// ---- the processes -------------------------------------------------------------------------------

const root = path.resolve(import.meta.dirname, '../..');
const cache = path.join(root, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
const outdir = mkdtempSync(path.join(cache, 'lab-tracing-bench-'));
process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
await build({
  entryPoints: { child: path.join(import.meta.dirname, 'tracing-bench-child.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const childEntry = path.join(outdir, 'child.mjs');

const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function spawnChild(...role: ['load'] | ['ui', 'clone' | 'json']): ChildProcess {
  const child = fork(childEntry, role, { serialization: role[1] === 'json' ? 'json' : 'advanced', stdio: 'inherit' });
  children.push(child);
  return child;
}

const clock = systemClock();
const log = new EventLog();
const registry = new ProcessRegistry(log);
registry.launched('browser', 'browser', 'Browser', process.pid);
const traceBuffer = new TraceBuffer({ clock });
const tabOfRenderer = new Map<string, string>();
const sampler = new MetricsSampler({ registry, clock, browserId: 'browser', rendererOfTab: (tabId) => tabOfRenderer.get(tabId) });

let served = 0;
const badMessages: string[] = [];
const tabs: Connection<typeof BenchHost, typeof BenchLoad>[] = [];
for (let i = 0; i < TABS; i++) {
  const child = spawnChild('load');
  const tabId = `tab-${child.pid}`;
  registry.launched(`renderer-${i}`, 'renderer', `Tab ${i}`, child.pid);
  tabOfRenderer.set(tabId, `renderer-${i}`);
  tabs.push(
    connect({
      transport: childProcessTransport(child, { process: 'renderer', id: tabId, pid: child.pid! }),
      self: { process: 'browser', pid: process.pid },
      local: BenchHost,
      remote: BenchLoad,
      handlers: {
        report: ({ seq }) => {
          served++;
          return { seq };
        },
      },
      onBadMessage: (report) => badMessages.push(report.reason),
      timeoutMs: 60_000,
    }),
  );
}
function serveUi(channel: 'clone' | 'json') {
  const child = spawnChild('ui', channel);
  return connect({
    transport: channel === 'json' ? jsonStringTransport(child, { process: 'ui' }) : childProcessTransport(child, { process: 'ui' }),
    self: { process: 'browser', pid: process.pid },
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

// ---- slices --------------------------------------------------------------------------------------

/** One mode's measurement: a window of a continuous load. */
interface SliceResult {
  readonly mode: Mode;
  readonly paced: boolean;
  readonly round: number;
  /** Tab messages the browser received and sent in the window. */
  readonly messages: number;
  readonly seconds: number;
  readonly cpuUs: number;
  /** Time in garbage collection in the window (its pauses on the main thread). */
  readonly gcMs: number;
  /** The window in epoch ms, to match the tabs' round trips to it. */
  readonly from: number;
  readonly to: number;
  latenciesMs: number[];
  /** What the UI received while polling, across the slice (`sliceSeconds`, settling included). */
  readonly sliceSeconds: number;
  readonly uiPolls: number;
  readonly uiRecords: number;
  readonly uiDropped: number;
}

const isClosed = (mode: Mode) => mode === 'closed' || mode === 'closed-again';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
const epoch = () => performance.timeOrigin + performance.now();

async function setMode(mode: Mode): Promise<{ polls: number; records: number; dropped: number }> {
  const json = mode === 'inspector-json';
  const [clone, other] = await Promise.all([
    uis.clone.remote.poll({ trace: mode === 'inspector' || mode === 'both', metrics: mode === 'both' || mode === 'task-manager' }),
    uis.json.remote.poll({ trace: json, metrics: false }),
  ]);
  // The inspector or task manager closing: their subscriptions end (after 5 s idle in the app).
  if (isClosed(mode)) traceBuffer.stop();
  if (mode !== 'both' && mode !== 'task-manager') sampler.stop();
  // Only one of them polled since the last call.
  return { polls: clone.polls + other.polls, records: clone.records + other.records, dropped: clone.dropped + other.dropped };
}

/** Switches to `mode`, lets it settle, measures a window; the UI's figures come with the next switch. */
async function slice(mode: Mode, paced: boolean, round: number): Promise<Omit<SliceResult, 'uiPolls' | 'uiRecords' | 'uiDropped'>> {
  const sliceStart = performance.now();
  // No forced full collection here: one a slice threw away optimized code that embeds objects it
  // freed ("weak objects" deopts) and the window paid to recompile it (perf: the compiler took 7-9%
  // of the browser's CPU with it, 0.2-0.3% without). Old-generation collections come when they
  // come, in any mode, as in the app.
  await sleep(SETTLE_MS); // the UI's first poll has started tracing, the previous mode's work is done
  const expectTracing = !isClosed(mode);
  if (ipcTracer.active !== expectTracing) throw new Error(`${mode}: tracer ${ipcTracer.active ? 'active' : 'idle'}`);
  // The young generation, where tracing's garbage goes (records, entries, pages), is collected at
  // both ends of the window: the settling's garbage before it, the window's own in it and counted.
  collectGarbage({ type: 'minor' });
  await sleep(0); // the collection's GC entry is delivered before the window starts
  const servedBefore = served;
  const gcBefore = gcMs;
  const cpuBefore = process.cpuUsage();
  const from = epoch();
  const startedAt = performance.now();
  await sleep(WINDOW_MS);
  const messages = (served - servedBefore) * 2;
  const seconds = (performance.now() - startedAt) / 1000;
  const to = epoch();
  collectGarbage({ type: 'minor' });
  const cpu = process.cpuUsage(cpuBefore);
  await sleep(0); // the GC entries of the window are delivered
  return { mode, paced, round, messages, seconds, cpuUs: cpu.user + cpu.system, gcMs: gcMs - gcBefore, from, to, latenciesMs: [], sliceSeconds: (performance.now() - sliceStart) / 1000 };
}

/**
 * The order of the modes in round `index`: a Williams design (a Latin square balanced for carry-over),
 * so across rounds each mode comes first, middle and last equally often and follows every other mode
 * equally often: what one mode leaves behind (garbage, a scheduler's state) falls on all alike.
 */
function order(index: number): Mode[] {
  const n = MODES.length;
  const first: number[] = [];
  for (let i = 0, low = 0, high = n - 1; i < n; i++) first.push(i % 2 === 0 ? low++ : high--);
  const rows = n % 2 === 0 ? n : 2 * n; // an odd count needs each row reversed too
  const row = index % rows;
  const sequence = first.map((k) => MODES[(k + (row % n)) % n]!);
  return row >= n ? sequence.reverse() : sequence;
}

/**
 * One continuous load (paced or not) for the whole phase; the mode changes every slice, the order
 * rotating every round. A first round warms up (JIT, the ring buffer's first fill) and is not counted.
 */
async function phase(paced: boolean, rounds: number): Promise<SliceResult[]> {
  const runs = tabs.map((tab) =>
    tab.remote.run({ ratePerSecond: paced ? CALLS_PER_SECOND / TABS : 0, inFlight: paced ? 256 : UNPACED_IN_FLIGHT }, { timeoutMs: 3_600_000 }),
  );
  const results: SliceResult[] = [];
  let current: Omit<SliceResult, 'uiPolls' | 'uiRecords' | 'uiDropped'> | undefined;
  for (let index = -1; index < rounds; index++) {
    for (const mode of order(Math.max(0, index))) {
      const stats = await setMode(mode);
      if (current && current.round >= 0) results.push({ ...current, uiPolls: stats.polls, uiRecords: stats.records, uiDropped: stats.dropped });
      current = await slice(mode, paced, index);
      if (index >= 0) {
        process.stderr.write(
          `  ${paced ? 'paced  ' : 'unpaced'} round ${String(index).padStart(2)} ${mode.padEnd(14)} ${(current.messages / current.seconds).toFixed(0).padStart(6)} msg/s ` +
            `${(current.cpuUs / current.messages).toFixed(2).padStart(6)} µs CPU/msg\n`,
        );
      }
    }
  }
  const stats = await setMode('closed');
  if (current && current.round >= 0) results.push({ ...current, uiPolls: stats.polls, uiRecords: stats.records, uiDropped: stats.dropped });
  await Promise.all(tabs.map((tab) => tab.remote.stop({})));
  const answers = await Promise.all(runs);
  if (ipcTracer.active) throw new Error('the tracer is still active after the phase');
  // Each round trip to the slice whose window it was sent in.
  for (const { sentAt, latencyMs } of answers) {
    for (let i = 0; i < sentAt.length; i++) {
      const result = results.find((r) => sentAt[i]! >= r.from && sentAt[i]! < r.to);
      result?.latenciesMs.push(latencyMs[i]!);
    }
  }
  return results;
}

// ---- statistics ----------------------------------------------------------------------------------

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}
const median = (values: readonly number[]) => percentile(values, 0.5);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

interface ModeSummary {
  readonly messagesPerSecond: number;
  readonly cpuUsPerMessage: number;
  /** Of that, the main thread's garbage-collection pauses. */
  readonly gcUsPerMessage: number;
  /** Browser CPU as a share of one core. */
  readonly cpuPercent: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly uiRecordsPerSecond: number;
  readonly uiDropped: number;
}

function summarize(results: readonly SliceResult[], mode: Mode): ModeSummary {
  const rounds = results.filter((result) => result.mode === mode);
  const seconds = sum(rounds.map((r) => r.seconds));
  const messages = sum(rounds.map((r) => r.messages));
  const cpuUs = sum(rounds.map((r) => r.cpuUs));
  const latencies = rounds.flatMap((r) => r.latenciesMs);
  return {
    messagesPerSecond: messages / seconds,
    cpuUsPerMessage: cpuUs / messages,
    gcUsPerMessage: (sum(rounds.map((r) => r.gcMs)) * 1000) / messages,
    cpuPercent: cpuUs / 1e6 / seconds * 100,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    uiRecordsPerSecond: sum(rounds.map((r) => r.uiRecords)) / sum(rounds.map((r) => r.sliceSeconds)),
    uiDropped: sum(rounds.map((r) => r.uiDropped)),
  };
}

/** The ratio of `mode` to closed in each round (same round, neighbouring in time): median and range. */
function pairedRatios(results: readonly SliceResult[], mode: Mode, measure: (r: SliceResult) => number) {
  const ratios: number[] = [];
  for (const result of results.filter((r) => r.mode === mode)) {
    const closed = results.find((r) => r.mode === 'closed' && r.round === result.round && r.paced === result.paced);
    if (closed) ratios.push(measure(result) / measure(closed));
  }
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

// ---- run -----------------------------------------------------------------------------------------

const began = performance.now();
const paced = PHASES.includes('paced') ? await phase(true, PACED_ROUNDS) : [];
const unpaced = PHASES.includes('unpaced') ? await phase(false, UNPACED_ROUNDS) : [];
const totalSeconds = (performance.now() - began) / 1000;

const ratio = (value: number) => `${value.toFixed(2)}x`;
const range = (r: { median: number; min: number; max: number }) => `${ratio(r.median)} (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;
const us = (value: number) => `${value.toFixed(2)} µs`;
const msText = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

console.log(
  `\nbench:tracing: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${QUICK ? 'QUICK run' : 'full run'}, ` +
    `${totalSeconds.toFixed(0)} s; ${TABS} tab children, 2 UI children (one per UI channel); modes ${MODES.join(', ')}.`,
);

if (paced.length > 0) {
  console.log(
    `\nPaced: ${TARGET_MESSAGES_PER_SECOND.toLocaleString('en-US')} messages/s target, ${PACED_ROUNDS} rounds of a ${WINDOW_MS / 1000} s window per mode`,
  );
  console.log('| mode | achieved msg/s | browser CPU/msg | of which GC | browser CPU | round trip p50 | p99 | records to the UI/s | dropped |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const mode of MODES) {
    const s = summarize(paced, mode);
    console.log(
      `| ${mode} | ${s.messagesPerSecond.toFixed(0)} | ${us(s.cpuUsPerMessage)} | ${us(s.gcUsPerMessage)} | ${s.cpuPercent.toFixed(1)} % | ` +
        `${msText(s.p50Ms)} | ${msText(s.p99Ms)} | ${s.uiRecordsPerSecond.toFixed(0)} | ${s.uiDropped} |`,
    );
  }
}

if (unpaced.length > 0) {
  console.log(`\nUnpaced: ${UNPACED_IN_FLIGHT} calls in flight per tab, ${UNPACED_ROUNDS} rounds of a ${WINDOW_MS / 1000} s window per mode`);
  console.log('| mode | msg/s | browser CPU/msg | round trip p50 | p99 | records to the UI/s | dropped |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const mode of MODES) {
    const s = summarize(unpaced, mode);
    console.log(
      `| ${mode} | ${s.messagesPerSecond.toFixed(0)} | ${us(s.cpuUsPerMessage)} | ${msText(s.p50Ms)} | ${msText(s.p99Ms)} | ` +
        `${s.uiRecordsPerSecond.toFixed(0)} | ${s.uiDropped} |`,
    );
  }
}

if (MODES.includes('closed') && MODES.length > 1) {
  console.log('\nAgainst closed: ratio of the totals, and [median and range of the per-round ratios]:');
  const header = ['mode'];
  if (paced.length > 0) header.push('CPU/msg at 5k msg/s', 'achieved rate', 'round trip p50', 'p99');
  if (unpaced.length > 0) header.push('max throughput', 'CPU/msg unpaced');
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|---|${header.slice(1).map(() => '---:').join('|')}|`);
  for (const mode of MODES.filter((m) => m !== 'closed')) {
    const cells: string[] = [mode];
    if (paced.length > 0) {
      const closed = summarize(paced, 'closed');
      const open = summarize(paced, mode);
      cells.push(
        `${ratio(open.cpuUsPerMessage / closed.cpuUsPerMessage)} [${range(pairedRatios(paced, mode, (r) => r.cpuUs / r.messages))}]`,
        ratio(open.messagesPerSecond / closed.messagesPerSecond),
        ratio(open.p50Ms / closed.p50Ms),
        ratio(open.p99Ms / closed.p99Ms),
      );
    }
    if (unpaced.length > 0) {
      const closed = summarize(unpaced, 'closed');
      const open = summarize(unpaced, mode);
      cells.push(
        `${ratio(open.messagesPerSecond / closed.messagesPerSecond)} [${range(pairedRatios(unpaced, mode, (r) => r.messages / r.seconds))}]`,
        ratio(open.cpuUsPerMessage / closed.cpuUsPerMessage),
      );
    }
    console.log(`| ${cells.join(' | ')} |`);
  }
  if (paced.length > 0 && MODES.includes('inspector')) {
    const overhead = summarize(paced, 'inspector').cpuUsPerMessage / summarize(paced, 'closed').cpuUsPerMessage - 1;
    const paired = pairedRatios(paced, 'inspector', (r) => r.cpuUs / r.messages).median - 1;
    const control = MODES.includes('closed-again')
      ? ` The A/A control (closed-again against closed) came out at ${((summarize(paced, 'closed-again').cpuUsPerMessage / summarize(paced, 'closed').cpuUsPerMessage - 1) * 100).toFixed(1)}%: the noise of this run.`
      : '';
    console.log(
      `\nTarget: tracing with the inspector open costs at most 10% at 5,000 messages/s. Browser CPU per message: ` +
        `${(overhead * 100).toFixed(1)}% more (per-round median ${(paired * 100).toFixed(1)}%): ${overhead <= 0.1 ? 'within' : 'OVER'} the target.${control}`,
    );
  }
}
if (badMessages.length > 0) console.log(`\nBad messages (should be none): ${badMessages.slice(0, 5).join('; ')}`);

if (JSON_OUT) {
  const strip = (results: SliceResult[]) =>
    results.map(({ latenciesMs, ...rest }) => ({ ...rest, p50Ms: percentile(latenciesMs, 0.5), p99Ms: percentile(latenciesMs, 0.99) }));
  writeFileSync(JSON_OUT, JSON.stringify({ node: process.version, cpus: os.cpus().length, paced: strip(paced), unpaced: strip(unpaced) }, null, 2));
}

for (const tab of tabs) tab.close();
uis.clone.close();
uis.json.close();
traceBuffer.stop();
sampler.stop();
process.exit(0);
