/**
 * An experiment report: what `npm run experiment`, the Experiments view and the e2e suite write, and
 * what the HTML report, `experiment:compare` and the in-app view read. One versioned schema, checked
 * where a report is read (a file someone edited, or one from an older version, is refused with the
 * reason rather than half-drawn).
 *
 * Times: every mark of a trial is milliseconds on the browser process's clock since that trial
 * started (`Trial.startedAt`, epoch milliseconds, places the trial in the run). Marks measured in
 * another process (the UI page's paint) are converted by the side that received them; how is
 * stated in `Report.clockNote`.
 */
import type { TNumber, TOptional } from 'typebox';
import { Struct, Type, type Static } from '../rpc/schema.ts';
import { ExitReason, ProcessKind, SandboxState } from '../interfaces/browser-state.ts';

/** Bumped when a reader of the previous version would misread a new report. */
export const REPORT_SCHEMA_VERSION = 1;
export const REPORT_KIND = 'browser-process-lab/experiment-report';

const Name = Type.String({ maxLength: 128 });
const Text = Type.String({ maxLength: 4096 });
const Ms = Type.Number();

/** Every scenario the runner knows; `chaos` draws a seeded mix of the others. */
export const ScenarioName = Type.Union([
  /** A tab's renderer crashes (`Page.crash` / `forcefullyCrashRenderer`): sad tab, reload. */
  Type.Literal('tab-crash'),
  /** A tab's renderer is killed from outside (SIGKILL). */
  Type.Literal('tab-kill'),
  /** A tab's main thread spins: the hang watchdog notices, Stop ends the script, the page stays. */
  Type.Literal('tab-hang'),
  /** The GPU process crashes: it restarts and tabs draw again. */
  Type.Literal('gpu-crash'),
  /** The GPU process crashes repeatedly: the browser falls back to software compositing. */
  Type.Literal('gpu-fallback'),
  /** The plugin host crashes: plugins show placeholders, pages keep running, it restarts. */
  Type.Literal('plugin-crash'),
  /** A tab sends a malformed message: the browser ends its renderer as `bad-message`. */
  Type.Literal('bad-message'),
  /** Two same-site tabs, one crashes: one tab lost under process-per-tab, both under per-site. */
  Type.Literal('same-site'),
  /** A seeded random mix of all of the above, one fault after another. */
  Type.Literal('chaos'),
]);
export type ScenarioName = Static<typeof ScenarioName>;

/**
 * The named moments of a trial (absent where a scenario has no such moment or it never came):
 * injected (the runner asked for the fault), observed (the OS or CDP reported the process's end),
 * coreKnew (the core recorded it), uiPainted (the UI page painted the sad tab or dialog),
 * reloadAsked, firstTick (the new renderer's first heartbeat), hangDetected, stopAsked, stopped,
 * gpuRestarted, nextFrame (the first frame drawn after a GPU fault), ended (the trial's last step).
 */
export const MARK_NAMES = [
  'injected',
  'observed',
  'coreKnew',
  'uiPainted',
  'reloadAsked',
  'firstTick',
  'hangDetected',
  'stopAsked',
  'stopped',
  'gpuRestarted',
  'nextFrame',
  'ended',
] as const;
export type MarkName = (typeof MARK_NAMES)[number];
// Unsafe<MarkName> around the same union: a union built from a mapped array has no tuple type, so
// its Static was `never` and no LatencyDefinition could be written without a cast.
export const MarkName = Type.Unsafe<MarkName>(Type.Union(MARK_NAMES.map((name) => Type.Literal(name))));

/** Milliseconds since the trial started, per mark; a mark that never came is absent. */
export const Marks = Struct(
  Object.fromEntries(MARK_NAMES.map((name) => [name, Type.Optional(Ms)])) as {
    [K in MarkName]: TOptional<TNumber>;
  },
);
export type Marks = Static<typeof Marks>;

/** A latency is the time between two marks of one trial; each scenario says which it reports. */
export const LatencyDefinition = Struct({
  /** e.g. "crash-to-sad-tab". */
  name: Name,
  from: MarkName,
  to: MarkName,
  /** One line for people: what this latency means. */
  description: Text,
});
export type LatencyDefinition = Static<typeof LatencyDefinition>;

export const ProcessDeath = Struct({
  /** The registry's process id ('gpu', 'renderer-3', ...). */
  id: Name,
  kind: ProcessKind,
  pid: Type.Optional(Type.Integer()),
  reason: ExitReason,
  /** Whether the trial's fault was meant to end it. */
  expected: Type.Boolean(),
});

/** What a fault did beyond its target. */
export const BlastRadius = Struct({
  /** The tabs that were not the target, during the trial. */
  otherTabs: Type.Integer({ minimum: 0 }),
  /** Of them, how many missed at least one heartbeat (a gap over twice the heartbeat period). */
  otherTabsMissedTicks: Type.Integer({ minimum: 0 }),
  /** Heartbeats missed by other tabs, in all. */
  ticksMissed: Type.Integer({ minimum: 0 }),
  /** Every process that ended during the trial, target included. */
  processesDied: Type.Array(ProcessDeath, { maxItems: 1024 }),
});
export type BlastRadius = Static<typeof BlastRadius>;

/** Which arm a trial ran in: the fault injected, or the same steps without it. */
export const Arm = Type.Union([Type.Literal('experiment'), Type.Literal('control')]);

/** How a trial's target ended, as the browser named it. */
export const TrialExit = Struct({ reason: ExitReason, code: Type.Optional(Type.String({ maxLength: 64 })) });

export const Trial = Struct({
  index: Type.Integer({ minimum: 0 }),
  arm: Arm,
  /** The fault this trial injected (for chaos, the one drawn). */
  scenario: ScenarioName,
  /** Epoch milliseconds. */
  startedAt: Type.Number(),
  /** Milliseconds since `startedAt`, on the browser process's clock. */
  marks: Marks,
  /** How the target ended, as the browser named it, where it ended. */
  exit: Type.Optional(TrialExit),
  blastRadius: BlastRadius,
  /** Everything the trial expected happened (detected, named right, recovered, nothing else died). */
  ok: Type.Boolean(),
  /** What was unexpected, one line each. */
  notes: Type.Array(Text, { maxItems: 64 }),
});
export type Trial = Static<typeof Trial>;

export const SteadyStateCheck = Struct({
  /** e.g. "every other tab ticking", "UI answers", "event-loop delay p99", "heap after GC". */
  name: Name,
  ok: Type.Boolean(),
  value: Type.Number(),
  /** What `ok` was decided against, in the same unit. */
  tolerance: Type.Number(),
  unit: Type.String({ maxLength: 16 }),
});
export type SteadyStateCheck = Static<typeof SteadyStateCheck>;

export const SteadyState = Struct({
  /** Epoch milliseconds. */
  at: Type.Number(),
  checks: Type.Array(SteadyStateCheck, { maxItems: 64 }),
});
export type SteadyState = Static<typeof SteadyState>;

/** Percentiles with a bootstrap 95% interval each (protocol/experiments/stats.ts). */
export const Estimate = Struct({ value: Type.Number(), low: Type.Number(), high: Type.Number() });
export type Estimate = Static<typeof Estimate>;

export const LatencySummary = Struct({
  name: Name,
  arm: Arm,
  n: Type.Integer({ minimum: 0 }),
  p50: Type.Optional(Estimate),
  p90: Type.Optional(Estimate),
  p99: Type.Optional(Estimate),
});
export type LatencySummary = Static<typeof LatencySummary>;

export const Environment = Struct({
  platform: Name,
  arch: Name,
  cpuModel: Name,
  cores: Type.Integer({ minimum: 1 }),
  kernel: Name,
  node: Name,
  shell: Type.Union([Type.Literal('chromium'), Type.Literal('electron')]),
  /** "Chromium 156.0.8078.73" or "Electron 45.5.0 (Chromium ...)". */
  browserVersion: Name,
  processModel: Type.Union([Type.Literal('process-per-tab'), Type.Literal('process-per-site')]),
  sandbox: SandboxState,
  /** The load average when the run started (1, 5, 15 minutes), where the OS has one. */
  loadAverage: Type.Optional(Type.Array(Type.Number(), { maxItems: 3 })),
});
export type Environment = Static<typeof Environment>;

/** The chaos soak's bookkeeping: the reliability proof. */
export const SoakSummary = Struct({
  faults: Type.Integer({ minimum: 0 }),
  /** Faults whose process end was seen and named with the expected reason. */
  detectedAndNamed: Type.Integer({ minimum: 0 }),
  /** Tabs whose reload reached a live tick. */
  recovered: Type.Integer({ minimum: 0 }),
  tabsLost: Type.Integer({ minimum: 0 }),
  /** Pids seen during the run still alive afterwards and not the app's own live processes. */
  orphanPids: Type.Array(Type.Integer(), { maxItems: 4096 }),
  browserAlive: Type.Boolean(),
  /**
   * The browser process's heap after GC at the end over its baseline (1.03 = grew 3%), V8's compiled
   * code aside: the JIT's code space grows as functions get hot and stops, bounded by the program, so
   * it is no sign of a leak (it is in `heapGrowthWithCode`).
   */
  heapGrowth: Type.Number(),
  /** The same with V8's compiled code (code space) counted. */
  heapGrowthWithCode: Type.Optional(Type.Number()),
});
export type SoakSummary = Static<typeof SoakSummary>;

export const Report = Struct({
  kind: Type.Literal(REPORT_KIND),
  schemaVersion: Type.Literal(REPORT_SCHEMA_VERSION),
  id: Name,
  scenario: ScenarioName,
  hypothesis: Text,
  /** The seed of every random choice in the run (chaos draws, trial order). */
  seed: Type.Integer(),
  options: Struct({
    trials: Type.Integer({ minimum: 0 }),
    tabs: Type.Integer({ minimum: 1 }),
    /** Chaos: the number of faults. */
    faults: Type.Optional(Type.Integer({ minimum: 0 })),
    control: Type.Boolean(),
  }),
  /** Epoch milliseconds. */
  startedAt: Type.Number(),
  endedAt: Type.Number(),
  /** Stopped before all trials ran (Ctrl-C, the view's Stop): what was measured is kept. */
  interrupted: Type.Boolean(),
  environment: Environment,
  /** How marks from other processes were put on the browser's clock. */
  clockNote: Text,
  latencies: Type.Array(LatencyDefinition, { maxItems: 32 }),
  steadyState: Struct({ before: SteadyState, after: Type.Optional(SteadyState) }),
  trials: Type.Array(Trial, { maxItems: 100_000 }),
  summaries: Type.Array(LatencySummary, { maxItems: 64 }),
  soak: Type.Optional(SoakSummary),
  verdict: Struct({
    /** The hypothesis held: steady state before and after, every experiment trial ok. */
    holds: Type.Boolean(),
    reasons: Type.Array(Text, { maxItems: 64 }),
  }),
});
export type Report = Static<typeof Report>;
