/**
 * `npm run bench:tracing`: what IPC tracing costs the browser process while someone watches, against
 * nobody watching, as ratios measured side by side in one run. Over 400 lines: one benchmark, one
 * file (its two browser processes and child live in bench/tracing/).
 *
 *   npm run bench:tracing                    (node --import tsx bench/tracing.bench.ts)
 *   npm run bench:tracing -- --quick         a few rounds: a smoke run
 *   npm run bench:tracing -- --json out.json also write every slice
 *   npm run bench:tracing -- --modes closed,inspector   only these modes
 *   npm run bench:tracing -- --phases paced  only the paced (or unpaced) load
 *   npm run bench:tracing -- --rounds 20     paced rounds (unpaced: a third as many)
 *   npm run bench:tracing -- --tab-channel clone   the tabs' channel: json (default) or clone
 *   npm run bench:tracing -- --pin           browser 0 always closed, browser 1 the other mode: to
 *                                            profile the two side by side (perf record, per pid)
 *
 * Real processes and channels throughout. This process forks two browser processes
 * (bench/tracing/browser.ts), each with its own four tab-like children calling it (about
 * 100 B each way, validated both ways, over JSON strings as tab pages are; `--tab-channel clone`:
 * structured clone) and its own UI children, and runs them AT ONCE: in every slice one browser has
 * nobody watching (`closed`) while the other is in the mode under test, and the next slice swaps
 * them. Both windows of a comparison so see the same machine at the same moment: on a shared
 * machine whose neighbours come and go, measuring the modes one after the other in one process left
 * run-to-run swings of +-8% in an A/A comparison, as large as the effect measured. The swap cancels
 * what differs between the two browsers; `closed-again` against `closed` (an A/A control run the
 * same way) shows what noise is left.
 *
 * The modes (tracing/browser.ts has the detail): closed; inspector (the real TraceBuffer
 * drained by getTrace every 250 ms over JSON strings, as the UI page's channel is in both shells);
 * inspector-clone (the same over a structured-clone channel, for comparison); task-manager (the
 * real MetricsSampler, counting every message, polled every second: recording alone); both (not run
 * by default); closed-again.
 *
 * A slice: switch the mode, settle 300 ms, a young-generation GC, a 1 s window that ends with a
 * young-generation GC, counted. A round pairs closed with every other mode twice (once in each
 * browser), the modes in a rotating order; the first rounds warm up and are not counted (the code a
 * mode runs is compiled over its first seconds: one warm-up round left windows 30-40% dearer in the
 * next two, in a run of 12). Paced phase:
 * each browser's tabs together make 2,500 calls a second, so each browser receives and sends 5,000
 * messages a second (the UI's own polling comes on top, as overhead of the watching modes).
 * Measured per window: the browser's CPU time (process.cpuUsage, every thread: GC included) per tab
 * message, the achieved rate, and the round trip of each call sent in it, as the tab timed it.
 * Unpaced phase: each tab keeps 16 calls in flight; messages per second each browser served while
 * the other did the same, and CPU per message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type Connection } from '../protocol/rpc/endpoint.ts';
import { bundleNodeEntries } from '../main/chromium/child-bundles.ts';
import { childProcessTransport } from '../protocol/transport/child-process.ts';
import {
  BENCH_DRIVER_MAX_BYTES,
  BENCH_MODES,
  BENCH_TABS,
  BenchBrowser,
  BenchDriver,
  type BenchMode,
} from './tracing/interfaces.ts';

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
const PIN = args.includes('--pin');
/**
 * The tabs' channel: JSON strings as a tab page's channel is in both shells (the channel knows each
 * message's size), or structured clone as the GPU process's and plugin host's (tracing estimates it).
 */
const TAB_CHANNEL = option('--tab-channel') ?? 'json';
if (TAB_CHANNEL !== 'json' && TAB_CHANNEL !== 'clone') fail('--tab-channel takes json or clone');
type Mode = BenchMode;
const DEFAULT_MODES: readonly Mode[] = ['closed', 'inspector', 'inspector-clone', 'task-manager', 'closed-again'];
const MODES = (option('--modes')?.split(',') ?? DEFAULT_MODES) as Mode[];
for (const mode of MODES)
  if (!BENCH_MODES.includes(mode)) fail(`unknown mode ${mode}; modes: ${BENCH_MODES.join(', ')}`);
if (!MODES.includes('closed')) fail('--modes needs closed: every mode is measured against it');
/** The modes measured against closed. */
const COMPARED = MODES.filter((mode) => mode !== 'closed');
if (COMPARED.length === 0) fail('--modes needs a mode besides closed');
const PHASES = option('--phases')?.split(',') ?? ['paced', 'unpaced'];
for (const name of PHASES)
  if (name !== 'paced' && name !== 'unpaced') fail(`unknown phase ${name}; phases: paced, unpaced`);

const TABS = BENCH_TABS;
/** Messages a second each browser process exchanges with its tabs: a request and a response per call. */
const TARGET_MESSAGES_PER_SECOND = 5000;
const CALLS_PER_SECOND = TARGET_MESSAGES_PER_SECOND / 2;
const PACED_ROUNDS = Number(option('--rounds') ?? (QUICK ? 2 : 12));
if (!(PACED_ROUNDS >= 1)) fail('--rounds takes a positive number');
const UNPACED_ROUNDS = Math.ceil(PACED_ROUNDS / 3);
const UNPACED_IN_FLIGHT = 16;
/** Rounds run first and not counted, in each phase. */
const WARMUP_ROUNDS = QUICK ? 1 : 3;
const SETTLE_MS = 300;
const WINDOW_MS = 1000;

function fail(message: string): never {
  console.error(`bench:tracing: ${message}`);
  process.exit(2);
}

// ---- the processes -------------------------------------------------------------------------------

const root = path.resolve(import.meta.dirname, '..');
const { outdir, remove } = await bundleNodeEntries(root, 'lab-tracing-bench-', {
  child: path.join(import.meta.dirname, 'tracing/child.ts'),
  browser: path.join(import.meta.dirname, 'tracing/browser.ts'),
});
process.once('exit', remove);

const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
const browsers: Connection<typeof BenchDriver, typeof BenchBrowser>[] = [0, 1].map((index) => {
  const child = fork(path.join(outdir, 'browser.mjs'), [path.join(outdir, 'child.mjs'), TAB_CHANNEL], {
    serialization: 'advanced',
    stdio: 'inherit',
  });
  children.push(child);
  return connect({
    transport: childProcessTransport(child, { process: 'browser', id: index, pid: child.pid! }),
    self: { process: 'bench' },
    local: BenchDriver,
    remote: BenchBrowser,
    handlers: {},
    onBadMessage: (report) => fail(`bad message from browser ${index}: ${report.reason}`),
    timeoutMs: 3_600_000,
    maxMessageBytes: BENCH_DRIVER_MAX_BYTES,
  });
});

// ---- slices --------------------------------------------------------------------------------------

/** One browser's measurement in one slice: a window of a continuous load. */
interface SliceResult {
  readonly mode: Mode;
  readonly paced: boolean;
  readonly round: number;
  /** The slice: the two browsers' results of one slice share it. */
  readonly slice: number;
  readonly browser: number;
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
  readonly sliceMessages: number;
  readonly sliceCpuUs: number;
}

/**
 * Round `index`: closed against each compared mode twice, once in each browser, so what differs
 * between the two browsers (which core the scheduler favours, heap layout) falls on both sides. The
 * modes' order rotates every round and the browsers' order alternates.
 */
function roundPlan(index: number): [Mode, Mode][] {
  const n = COMPARED.length;
  const plan: [Mode, Mode][] = [];
  for (let k = 0; k < n; k++) {
    const mode = COMPARED[(k + index) % n]!;
    const pair: [Mode, Mode][] = [
      ['closed', mode],
      [mode, 'closed'],
    ];
    plan.push(...(PIN ? [pair[0]!, pair[0]!] : (k + index) % 2 === 0 ? pair : pair.reverse()));
  }
  return plan;
}

let badMessages: string[] = [];

/** One continuous load (paced or not) for the whole phase in both browsers; the modes change every slice. */
async function phase(paced: boolean, rounds: number): Promise<SliceResult[]> {
  await Promise.all(
    browsers.map((browser) =>
      browser.remote.start({ callsPerSecond: paced ? CALLS_PER_SECOND : 0, inFlight: paced ? 256 : UNPACED_IN_FLIGHT }),
    ),
  );
  const results: SliceResult[] = [];
  let slice = 0;
  for (let round = -WARMUP_ROUNDS; round < rounds; round++) {
    for (const modes of roundPlan(Math.max(0, round))) {
      const measured = await Promise.all(
        browsers.map((browser, index) =>
          browser.remote.slice({ mode: modes[index]!, settleMs: SETTLE_MS, windowMs: WINDOW_MS }),
        ),
      );
      slice++;
      if (round < 0) continue; // warming up
      measured.forEach((m, index) =>
        results.push({ ...m, mode: modes[index]!, paced, round, slice, browser: index, latenciesMs: [] }),
      );
      process.stderr.write(
        `  ${paced ? 'paced  ' : 'unpaced'} round ${String(round).padStart(2)}  ` +
          measured
            .map(
              (m, i) =>
                `${modes[i]!.padEnd(14)} ${(m.messages / m.seconds).toFixed(0).padStart(6)} msg/s ${(m.cpuUs / m.messages).toFixed(2).padStart(6)} µs/msg`,
            )
            .join('  |  ') +
          '\n',
      );
    }
  }
  const answers = await Promise.all(browsers.map((browser) => browser.remote.finish({})));
  // Each round trip to the slice whose window it was sent in, in its browser.
  answers.forEach(({ sentAt, latencyMs, badMessages: bad }, index) => {
    badMessages = [...badMessages, ...bad];
    const mine = results.filter((r) => r.browser === index);
    for (let i = 0; i < sentAt.length; i++) {
      const result = mine.find((r) => sentAt[i]! >= r.from && sentAt[i]! < r.to);
      result?.latenciesMs.push(latencyMs[i]!);
    }
  });
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

const cpuPerMessage = (windows: readonly SliceResult[]) =>
  sum(windows.map((r) => r.cpuUs)) / sum(windows.map((r) => r.messages));
const sliceCpuPerMessage = (slices: readonly SliceResult[]) =>
  sum(slices.map((r) => r.sliceCpuUs)) / sum(slices.map((r) => r.sliceMessages));
const messageRate = (windows: readonly SliceResult[]) =>
  sum(windows.map((r) => r.messages)) / sum(windows.map((r) => r.seconds));
const latency = (p: number) => (windows: readonly SliceResult[]) =>
  percentile(
    windows.flatMap((r) => r.latenciesMs),
    p,
  );

function summarize(results: readonly SliceResult[], mode: Mode): ModeSummary {
  const windows = results.filter((result) => result.mode === mode);
  const messages = sum(windows.map((r) => r.messages));
  return {
    messagesPerSecond: messageRate(windows),
    cpuUsPerMessage: cpuPerMessage(windows),
    gcUsPerMessage: (sum(windows.map((r) => r.gcMs)) * 1000) / messages,
    cpuPercent: sum(windows.map((r) => r.cpuUs)) / 1e4 / sum(windows.map((r) => r.seconds)),
    p50Ms: latency(0.5)(windows),
    p99Ms: latency(0.99)(windows),
    uiRecordsPerSecond: sum(windows.map((r) => r.uiRecords)) / sum(windows.map((r) => r.sliceSeconds)),
    uiDropped: sum(windows.map((r) => r.uiDropped)),
  };
}

/**
 * `mode` against closed, each window against the closed window the other browser measured at the same
 * time: the ratio of the totals over those pairs, and the median and range of the pairs' ratios.
 */
function againstClosed(results: readonly SliceResult[], mode: Mode, measure: (r: readonly SliceResult[]) => number) {
  const pairs: [SliceResult, SliceResult][] = [];
  for (const result of results.filter((r) => r.mode === mode)) {
    const closed = results.find(
      (r) => r.slice === result.slice && r.paced === result.paced && r.browser !== result.browser,
    );
    if (closed?.mode === 'closed') pairs.push([result, closed]);
  }
  const ratios = pairs.map(([open, closed]) => measure([open]) / measure([closed]));
  return {
    total: measure(pairs.map(([open]) => open)) / measure(pairs.map(([, closed]) => closed)),
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
}
// ---- run -----------------------------------------------------------------------------------------

const began = performance.now();
const paced = PHASES.includes('paced') ? await phase(true, PACED_ROUNDS) : [];
const unpaced = PHASES.includes('unpaced') ? await phase(false, UNPACED_ROUNDS) : [];
const totalSeconds = (performance.now() - began) / 1000;

const ratio = (value: number) => `${value.toFixed(2)}x`;
const spread = (r: { total: number; median: number; min: number; max: number }) =>
  `${ratio(r.total)} [${ratio(r.median)} (${r.min.toFixed(2)}-${r.max.toFixed(2)})]`;
const us = (value: number) => `${value.toFixed(2)} µs`;
const msText = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

console.log(
  `\nbench:tracing: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${QUICK ? 'QUICK run' : 'full run'}, ` +
    `${totalSeconds.toFixed(0)} s; two browser processes side by side, each with ${TABS} tab children (channel: ${TAB_CHANNEL === 'json' ? 'JSON strings, as tab pages' : 'structured clone'}) and 2 UI children; modes ${MODES.join(', ')}.`,
);

const perPhase = [
  {
    name: 'Paced',
    results: paced,
    rounds: PACED_ROUNDS,
    what: `${TARGET_MESSAGES_PER_SECOND.toLocaleString('en-US')} messages/s per browser`,
  },
  { name: 'Unpaced', results: unpaced, rounds: UNPACED_ROUNDS, what: `${UNPACED_IN_FLIGHT} calls in flight per tab` },
].filter((p) => p.results.length > 0);
for (const { name, results, rounds, what } of perPhase) {
  console.log(`\n${name}: ${what}, ${rounds} rounds; per mode, every window of both browsers`);
  console.log(
    '| mode | msg/s | browser CPU/msg | of which GC | browser CPU | round trip p50 | p99 | records to the UI/s | dropped |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const mode of MODES) {
    const s = summarize(results, mode);
    console.log(
      `| ${mode} | ${s.messagesPerSecond.toFixed(0)} | ${us(s.cpuUsPerMessage)} | ${us(s.gcUsPerMessage)} | ${s.cpuPercent.toFixed(1)} % | ` +
        `${msText(s.p50Ms)} | ${msText(s.p99Ms)} | ${s.uiRecordsPerSecond.toFixed(0)} | ${s.uiDropped} |`,
    );
  }
}

console.log(
  '\nAgainst closed, each window against the closed window of the other browser at the same time: ratio of the totals [median and range of the pairs]:',
);
const header = ['mode'];
if (paced.length > 0) header.push('CPU/msg at 5k msg/s', 'whole slices', 'achieved rate', 'round trip p50', 'p99');
if (unpaced.length > 0) header.push('max throughput', 'CPU/msg unpaced');
console.log(`| ${header.join(' | ')} |`);
console.log(
  `|---|${header
    .slice(1)
    .map(() => '---:')
    .join('|')}|`,
);
for (const mode of COMPARED) {
  const cells: string[] = [mode];
  if (paced.length > 0) {
    cells.push(
      spread(againstClosed(paced, mode, cpuPerMessage)),
      ratio(againstClosed(paced, mode, sliceCpuPerMessage).total),
      ratio(againstClosed(paced, mode, messageRate).total),
      ratio(againstClosed(paced, mode, latency(0.5)).total),
      ratio(againstClosed(paced, mode, latency(0.99)).total),
    );
  }
  if (unpaced.length > 0)
    cells.push(
      spread(againstClosed(unpaced, mode, messageRate)),
      ratio(againstClosed(unpaced, mode, cpuPerMessage).total),
    );
  console.log(`| ${cells.join(' | ')} |`);
}
if (paced.length > 0 && MODES.includes('inspector')) {
  const inspector = againstClosed(paced, 'inspector', cpuPerMessage);
  const overhead = inspector.total - 1;
  const control = MODES.includes('closed-again')
    ? ` The A/A control (closed-again against closed, measured the same way) came out at ${((againstClosed(paced, 'closed-again', cpuPerMessage).total - 1) * 100).toFixed(1)}%: the noise of this run.`
    : '';
  console.log(
    `\nTarget: tracing with the inspector open costs at most 10% at 5,000 messages/s. Browser CPU per message: ` +
      `${(overhead * 100).toFixed(1)}% more (median of the pairs ${((inspector.median - 1) * 100).toFixed(1)}%): ${overhead <= 0.1 ? 'within' : 'OVER'} the target.${control}`,
  );
}
if (badMessages.length > 0) console.log(`\nBad messages (should be none): ${badMessages.slice(0, 5).join('; ')}`);

if (JSON_OUT) {
  const strip = (results: SliceResult[]) =>
    results.map(({ latenciesMs, ...rest }) => ({
      ...rest,
      p50Ms: percentile(latenciesMs, 0.5),
      p99Ms: percentile(latenciesMs, 0.99),
    }));
  writeFileSync(
    JSON_OUT,
    JSON.stringify(
      { node: process.version, cpus: os.cpus().length, paced: strip(paced), unpaced: strip(unpaced) },
      null,
      2,
    ),
  );
}

for (const browser of browsers) browser.close();
process.exit(0);
