/**
 * Schema validation cost for IPC messages: zod 4 (JIT and jitless), valibot, TypeBox (Compile and
 * Value.Check), with structuredClone of the same message for scale.
 *
 *   npm run bench:schema          (node --import tsx bench/schema.bench.ts)
 *
 * Every validator is first checked to accept the valid messages and reject the invalid ones with a
 * first error located at ops[40].x; the timed loops also count truthy results, so a validator that
 * became a no-op (or threw) makes the run exit non-zero instead of printing a fast number.
 *
 * Phases:
 *   1. code generation allowed: zod safeParse (JIT on, default), TypeBox Compile(...).Check,
 *      structuredClone. `new Function` calls made while building/first-running the validators are
 *      counted, to show that the JIT paths are really taken.
 *   2. eval-free: `z.config({ jitless: true })` (a global setting, so schemas are rebuilt after it),
 *      valibot, TypeBox Value.Check. During this whole phase `globalThis.Function` is replaced by a
 *      function that throws (what a CSP without 'unsafe-eval' does), so any code generation would fail.
 *   3. a child process with `Function` blocked before typebox/zod are loaded: does TypeBox Compile
 *      (and zod without jitless) fall back by itself?
 *
 * Over 400 lines because a benchmark is one file (bench/README.md): four libraries' schemas, their
 * correctness check, the timing loop and the code-generation-blocked child belong together.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { compileChecker, Struct, Variant } from '../protocol/rpc/schema.ts';
import * as v from 'valibot';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

const smallValid = {
  tabId: 7,
  url: 'https://en.wikipedia.org/wiki/Multiprocess_architecture?section=renderer#process-model',
  title: 'Multi-process architecture - Wikipedia',
  pid: 41237,
};
const smallInvalid = { ...smallValid, tabId: -1 };

type Op =
  | { op: 'fillRect'; x: number; y: number; w: number; h: number }
  | { op: 'fillStyle'; color: string }
  | { op: 'arc'; x: number; y: number; r: number; start: number; end: number }
  | { op: 'fillText'; text: string; x: number; y: number }
  | { op: 'beginPath' }
  | { op: 'fill' }
  | { op: 'moveTo'; x: number; y: number }
  | { op: 'lineTo'; x: number; y: number };

function makeOps(count: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; ops.length < count; i++) {
    const k = i * 13.5;
    // 10 ops per group; index 40 (group 4, slot 0) is a fillRect.
    const group: Op[] = [
      { op: 'fillRect', x: k, y: k / 2, w: 120.5, h: 80 },
      { op: 'fillStyle', color: i % 2 ? '#3366ff' : 'rgba(255, 128, 0, 0.75)' },
      { op: 'beginPath' },
      { op: 'moveTo', x: k + 1, y: 10 },
      { op: 'lineTo', x: k + 40, y: 60.25 },
      { op: 'lineTo', x: k + 80, y: 10 },
      { op: 'arc', x: 400, y: 300, r: 25 + i, start: 0, end: Math.PI * 2 },
      { op: 'fill' },
      { op: 'fillStyle', color: '#202124' },
      { op: 'fillText', text: `Renderer ${i}: frame painted in the GPU process`, x: 12, y: 20 + 18 * i },
    ];
    ops.push(...group);
  }
  return ops.slice(0, count);
}

const frameValid = { tabId: 7, frameId: 1024, width: 1280, height: 800, ops: makeOps(50) };
const frameInvalidOps: unknown[] = makeOps(50);
if ((frameInvalidOps[40] as Op).op !== 'fillRect') throw new Error('message setup: op 40 must be a fillRect');
frameInvalidOps[40] = { ...(frameInvalidOps[40] as Op), x: 'a' };
const frameInvalid = { ...frameValid, ops: frameInvalidOps };
const EXPECTED_ERROR_PATH = 'ops.40.x';

// ---------------------------------------------------------------------------------------------
// Schemas, one builder per library, same constraints:
//   integer = safe integer (zod's .int() is Number.isSafeInteger, so the others are bounded to match);
//   number  = finite number (zod and TypeBox reject NaN/Infinity by default; valibot gets v.finite()).
// Unknown extra keys are accepted by all (zod/valibot strip them from their output, TypeBox ignores).
// ---------------------------------------------------------------------------------------------

const MAX_OPS = 100_000;

function buildZod() {
  const int = () => z.number().int();
  const num = z.number();
  const dim = int().min(1).max(8192);
  const small = z.object({ tabId: int().min(0), url: z.string().max(2048), title: z.string().max(512), pid: int() });
  const op = z.discriminatedUnion('op', [
    z.object({ op: z.literal('fillRect'), x: num, y: num, w: num, h: num }),
    z.object({ op: z.literal('fillStyle'), color: z.string().max(64) }),
    z.object({ op: z.literal('arc'), x: num, y: num, r: num, start: num, end: num }),
    z.object({ op: z.literal('fillText'), text: z.string().max(4096), x: num, y: num }),
    z.object({ op: z.literal('beginPath') }),
    z.object({ op: z.literal('fill') }),
    z.object({ op: z.literal('moveTo'), x: num, y: num }),
    z.object({ op: z.literal('lineTo'), x: num, y: num }),
  ]);
  const frame = z.object({ tabId: int(), frameId: int(), width: dim, height: dim, ops: z.array(op).max(MAX_OPS) });
  return { small, frame };
}

function buildValibot() {
  const int = v.pipe(v.number(), v.safeInteger());
  const num = v.pipe(v.number(), v.finite());
  const dim = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(8192));
  const small = v.object({
    tabId: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    url: v.pipe(v.string(), v.maxLength(2048)),
    title: v.pipe(v.string(), v.maxLength(512)),
    pid: int,
  });
  const op = v.variant('op', [
    v.object({ op: v.literal('fillRect'), x: num, y: num, w: num, h: num }),
    v.object({ op: v.literal('fillStyle'), color: v.pipe(v.string(), v.maxLength(64)) }),
    v.object({ op: v.literal('arc'), x: num, y: num, r: num, start: num, end: num }),
    v.object({ op: v.literal('fillText'), text: v.pipe(v.string(), v.maxLength(4096)), x: num, y: num }),
    v.object({ op: v.literal('beginPath') }),
    v.object({ op: v.literal('fill') }),
    v.object({ op: v.literal('moveTo'), x: num, y: num }),
    v.object({ op: v.literal('lineTo'), x: num, y: num }),
  ]);
  const frame = v.object({
    tabId: int,
    frameId: int,
    width: dim,
    height: dim,
    ops: v.pipe(v.array(op), v.maxLength(MAX_OPS)),
  });
  return { small, frame };
}

function buildTypeBox() {
  const SAFE = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
  const num = Type.Number();
  const dim = Type.Integer({ minimum: 1, maximum: 8192 });
  const small = Type.Object({
    tabId: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    url: Type.String({ maxLength: 2048 }),
    title: Type.String({ maxLength: 512 }),
    pid: Type.Integer(SAFE),
  });
  const op = Type.Union([
    Type.Object({ op: Type.Literal('fillRect'), x: num, y: num, w: num, h: num }),
    Type.Object({ op: Type.Literal('fillStyle'), color: Type.String({ maxLength: 64 }) }),
    Type.Object({ op: Type.Literal('arc'), x: num, y: num, r: num, start: num, end: num }),
    Type.Object({ op: Type.Literal('fillText'), text: Type.String({ maxLength: 4096 }), x: num, y: num }),
    Type.Object({ op: Type.Literal('beginPath') }),
    Type.Object({ op: Type.Literal('fill') }),
    Type.Object({ op: Type.Literal('moveTo'), x: num, y: num }),
    Type.Object({ op: Type.Literal('lineTo'), x: num, y: num }),
  ]);
  const frame = Type.Object({
    tabId: Type.Integer(SAFE),
    frameId: Type.Integer(SAFE),
    width: dim,
    height: dim,
    ops: Type.Array(op, { maxItems: MAX_OPS }),
  });
  return { small, frame };
}

/** The same messages as the protocol declares them: strict structs, ops dispatched on `op`. */
function buildProtocol() {
  const SAFE = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
  const num = Type.Number();
  const dim = Type.Integer({ minimum: 1, maximum: 8192 });
  const small = Struct({
    tabId: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    url: Type.String({ maxLength: 2048 }),
    title: Type.String({ maxLength: 512 }),
    pid: Type.Integer(SAFE),
  });
  const op = Variant('op', [
    Struct({ op: Type.Literal('fillRect'), x: num, y: num, w: num, h: num }),
    Struct({ op: Type.Literal('fillStyle'), color: Type.String({ maxLength: 64 }) }),
    Struct({ op: Type.Literal('arc'), x: num, y: num, r: num, start: num, end: num }),
    Struct({ op: Type.Literal('fillText'), text: Type.String({ maxLength: 4096 }), x: num, y: num }),
    Struct({ op: Type.Literal('beginPath') }),
    Struct({ op: Type.Literal('fill') }),
    Struct({ op: Type.Literal('moveTo'), x: num, y: num }),
    Struct({ op: Type.Literal('lineTo'), x: num, y: num }),
  ]);
  const frame = Struct({
    tabId: Type.Integer(SAFE),
    frameId: Type.Integer(SAFE),
    width: dim,
    height: dim,
    ops: Type.Array(op, { maxItems: MAX_OPS }),
  });
  return { small, frame };
}

function protocolCase(name: string, s: { small: TSchema; frame: TSchema }): Case {
  const small = compileChecker(s.small);
  const frame = compileChecker(s.frame);
  return {
    name,
    small: (m) => small.check(m),
    frame: (m) => frame.check(m),
    frameFirstError: (m) => (frame.check(m) ? undefined : frame.explain(m).replace(' ', ': ')),
  };
}

// ---------------------------------------------------------------------------------------------
// Validator adapters: `valid` returns true iff accepted; `firstError` returns undefined when
// accepted, otherwise "path: message" of the first error reported.
// ---------------------------------------------------------------------------------------------

type Valid = (m: unknown) => boolean;
type FirstError = (m: unknown) => string | undefined;
interface Case {
  name: string;
  small: Valid;
  frame: Valid;
  frameFirstError: FirstError;
  /** structuredClone row: not a validator, skip accept/reject checks */
  scaleOnly?: boolean;
}

type ZodSchemas = ReturnType<typeof buildZod>;
function zodCase(name: string, s: ZodSchemas): Case {
  return {
    name,
    small: (m) => s.small.safeParse(m).success,
    frame: (m) => s.frame.safeParse(m).success,
    frameFirstError: (m) => {
      const r = s.frame.safeParse(m);
      if (r.success) return undefined;
      const issue = r.error.issues[0];
      return issue ? `${issue.path.join('.')}: ${issue.message}` : '(no issue)';
    },
  };
}

function valibotCase(name: string, s: ReturnType<typeof buildValibot>): Case {
  return {
    name,
    small: (m) => v.safeParse(s.small, m).success,
    frame: (m) => v.safeParse(s.frame, m).success,
    frameFirstError: (m) => {
      const r = v.safeParse(s.frame, m);
      if (r.success) return undefined;
      const issue = r.issues[0];
      return `${v.getDotPath(issue) ?? ''}: ${issue.message}`;
    },
  };
}

function typeboxCompileCase(name: string, s: { small: TSchema; frame: TSchema }) {
  const small = Compile(s.small);
  const frame = Compile(s.frame);
  const c: Case = {
    name,
    small: (m) => small.Check(m),
    frame: (m) => frame.Check(m),
    frameFirstError: (m) => {
      if (frame.Check(m)) return undefined;
      const e = frame.Errors(m)[0];
      return e ? `${e.instancePath}: ${e.message}` : '(no error)';
    },
  };
  return { c, accelerated: small.IsAccelerated() && frame.IsAccelerated() };
}

function typeboxValueCase(name: string, s: { small: TSchema; frame: TSchema }): Case {
  return {
    name,
    small: (m) => Value.Check(s.small, m),
    frame: (m) => Value.Check(s.frame, m),
    frameFirstError: (m) => {
      if (Value.Check(s.frame, m)) return undefined;
      const e = Value.Errors(s.frame, m)[0];
      return e ? `${e.instancePath}: ${e.message}` : '(no error)';
    },
  };
}

const cloneCase: Case = {
  name: '`structuredClone` (for scale; 3rd column = clone of the frame)',
  small: (m) => structuredClone(m) !== undefined,
  frame: (m) => structuredClone(m) !== undefined,
  frameFirstError: (m) => (structuredClone(m) !== undefined ? 'cloned' : undefined),
  scaleOnly: true,
};

// ---------------------------------------------------------------------------------------------
// Verification (before any timing)
// ---------------------------------------------------------------------------------------------

const failures: string[] = [];
const firstErrors: { name: string; error: string }[] = [];

function normalizePath(err: string): string {
  const path = err.split(': ')[0] ?? '';
  return path.split(/[./]/).filter(Boolean).join('.');
}

function verify(c: Case): void {
  if (c.scaleOnly) return;
  const expect = (what: string, ok: boolean) => {
    if (!ok) failures.push(`${c.name}: ${what}`);
  };
  try {
    expect('accepts the valid small message', c.small(smallValid) === true);
    expect('rejects the small message with tabId -1', c.small(smallInvalid) === false);
    expect('accepts the valid frame message', c.frame(frameValid) === true);
    expect('rejects the frame message with ops[40].x = "a"', c.frame(frameInvalid) === false);
    expect('reports no error for the valid frame', c.frameFirstError(frameValid) === undefined);
    const err = c.frameFirstError(frameInvalid);
    expect('reports an error for the invalid frame', err !== undefined);
    if (err !== undefined) {
      firstErrors.push({ name: c.name, error: err });
      expect(`first error is at ${EXPECTED_ERROR_PATH} (got "${err}")`, normalizePath(err) === EXPECTED_ERROR_PATH);
    }
    // A few more rejections per variant, so a wrongly lax schema cannot pass.
    const bad: [string, unknown][] = [
      ['width 0', { ...frameValid, width: 0 }],
      ['height 8193', { ...frameValid, height: 8193 }],
      ['non-integer frameId', { ...frameValid, frameId: 1.5 }],
      ['unknown op', { ...frameValid, ops: [{ op: 'stroke' }] }],
      ['fillStyle color > 64 chars', { ...frameValid, ops: [{ op: 'fillStyle', color: 'x'.repeat(65) }] }],
      ['arc without end', { ...frameValid, ops: [{ op: 'arc', x: 1, y: 1, r: 1, start: 0 }] }],
      ['lineTo y = Infinity', { ...frameValid, ops: [{ op: 'lineTo', x: 1, y: Infinity }] }],
      ['fillText text > 4096 chars', { ...frameValid, ops: [{ op: 'fillText', text: 'x'.repeat(4097), x: 0, y: 0 }] }],
    ];
    for (const [what, m] of bad) expect(`rejects frame with ${what}`, c.frame(m) === false);
    expect('rejects small url > 2048 chars', c.small({ ...smallValid, url: 'x'.repeat(2049) }) === false);
    expect('rejects small unsafe-integer pid', c.small({ ...smallValid, pid: 2 ** 60 }) === false);
  } catch (e) {
    failures.push(`${c.name}: threw during verification: ${String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

const RealFunction = Function;
type Loop = (fn: (m: unknown) => unknown, arg: unknown, n: number) => number;
/** A fresh loop function per measurement (own feedback vector: the call site stays monomorphic). */
function makeLoop(): Loop {
  return new RealFunction(
    'fn',
    'arg',
    'n',
    'let ok = 0; for (let i = 0; i < n; i++) { if (fn(arg)) ok++; } return ok;',
  ) as Loop;
}

const ROUNDS = 15;
const ROUND_MS = 50;
const WARMUP_MS = 150;

interface Stat {
  median: number; // ns per call
  min: number;
  max: number;
}

function measure(label: string, fn: (m: unknown) => unknown, arg: unknown): Stat {
  const loop = makeLoop();
  const run = (n: number): number => {
    const t0 = performance.now();
    const ok = loop(fn, arg, n);
    const dt = performance.now() - t0;
    if (ok !== n) throw new Error(`${label}: only ${ok}/${n} calls returned the expected result`);
    return dt;
  };
  // calibrate
  let n = 16;
  let dt = run(n);
  while (dt < 5) {
    n *= 4;
    dt = run(n);
  }
  // warm-up
  const warmUntil = performance.now() + WARMUP_MS;
  while (performance.now() < warmUntil) run(n);
  dt = run(n);
  const perRound = Math.max(1, Math.round((n * ROUND_MS) / dt));
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) samples.push((run(perRound) * 1e6) / perRound);
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]!, max: samples[samples.length - 1]! };
}

interface Row {
  name: string;
  small: Stat;
  frame: Stat;
  invalid: Stat;
  scaleOnly: boolean;
}

function bench(c: Case): Row {
  const small = measure(`${c.name} small`, c.small as (m: unknown) => unknown, smallValid);
  const frame = measure(`${c.name} frame`, c.frame as (m: unknown) => unknown, frameValid);
  const invalid = measure(`${c.name} invalid`, c.frameFirstError, c.scaleOnly ? frameValid : frameInvalid);
  return { name: c.name, small, frame, invalid, scaleOnly: !!c.scaleOnly };
}

// Function-constructor instrumentation ---------------------------------------------------------

const globalWithFunction = globalThis as unknown as { Function: FunctionConstructor };
let functionCalls = 0;
function countCodeGen<T>(f: () => T): { result: T; calls: number } {
  const before = functionCalls;
  globalWithFunction.Function = new Proxy(RealFunction, {
    construct(target, args: unknown[]) {
      functionCalls++;
      return Reflect.construct(target, args) as object;
    },
    apply(target, self, args: unknown[]) {
      functionCalls++;
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  try {
    return { result: f(), calls: functionCalls - before };
  } finally {
    globalWithFunction.Function = RealFunction;
  }
}

let blockedAttempts = 0;
function withCodeGenBlocked<T>(f: () => T): T {
  globalWithFunction.Function = function blockedFunction() {
    blockedAttempts++;
    throw new EvalError('Code generation from strings disallowed (simulated CSP without unsafe-eval)');
  } as unknown as FunctionConstructor;
  try {
    return f();
  } finally {
    globalWithFunction.Function = RealFunction;
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 3 (child process): Function blocked before typebox/zod are loaded
// ---------------------------------------------------------------------------------------------

const CSP_CHILD_ENV = 'SCHEMA_BENCH_CSP_CHILD';

/** Runs in a child process whose `globalThis.Function` was replaced by a thrower before this module loaded. */
function cspChild(): void {
  const counter = globalThis as unknown as { __blockedAttempts?: number };
  const tb = typeboxCompileCase('TypeBox `Compile(schema).Check` (Function blocked)', buildTypeBox());
  const zd = zodCase('zod 4 `safeParse` default config (Function blocked)', buildZod());
  verify(tb.c);
  verify(zd);
  const time = (f: (m: unknown) => unknown, m: unknown): number => {
    // plain closure loop: the harness's generated loop is not available without `Function`
    for (let i = 0; i < 50; i++) f(m);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 300) {
      if (!f(m)) throw new Error('unexpected result');
      n++;
    }
    return ((performance.now() - t0) * 1e3) / n;
  };
  console.log(
    JSON.stringify({
      typeboxCompileIsAccelerated: tb.accelerated,
      verificationFailures: failures,
      typeboxCompileFrameValidUs: Number(time(tb.c.frame, frameValid).toFixed(1)),
      zodDefaultFrameValidUs: Number(time(zd.frame, frameValid).toFixed(1)),
      blockedFunctionAttempts: counter.__blockedAttempts ?? 0,
    }),
  );
}

function runCspChild(): string {
  const self = new URL(import.meta.url).href;
  const code =
    'globalThis.__blockedAttempts = 0;' +
    "globalThis.Function = function () { globalThis.__blockedAttempts++; throw new EvalError('blocked'); };" +
    `await import(${JSON.stringify(self)});`;
  try {
    return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, [CSP_CHILD_ENV]: '1' },
    }).trim();
  } catch (e) {
    return `FAILED: ${String(e)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function main(): void {
  const tStart = performance.now();
  const rows: Row[] = [];
  const notes: string[] = [];

  // Phase 1: code generation allowed.
  const zodJit = countCodeGen(() => {
    const c = zodCase('zod 4 `safeParse` (JIT, default)', buildZod());
    verify(c);
    return c;
  });
  const tbCompiled = countCodeGen(() => {
    const r = typeboxCompileCase('TypeBox `Compile(schema).Check`', buildTypeBox());
    verify(r.c);
    return r;
  });
  const protocol = protocolCase(
    'protocol `compileChecker` (TypeBox Compile, strict structs, `Variant` dispatch on `op`)',
    buildProtocol(),
  );
  verify(protocol);
  notes.push(`zod JIT: ${zodJit.calls} \`new Function\` call(s) while building and first running the schemas.`);
  notes.push(
    `TypeBox Compile: ${tbCompiled.calls} \`new Function\` call(s); \`IsAccelerated()\` = ${tbCompiled.result.accelerated}.`,
  );
  if (zodJit.calls === 0) failures.push('zod JIT phase generated no code: JIT not active');
  if (!tbCompiled.result.accelerated) failures.push('TypeBox Compile is not accelerated in phase 1');

  // Phase 2: eval-free (Function blocked throughout).
  z.config({ jitless: true });
  const evalFree = withCodeGenBlocked(() => {
    const zl = zodCase('zod 4 `safeParse`, `jitless: true`', buildZod());
    const vb = valibotCase('valibot `safeParse`', buildValibot());
    const tv = typeboxValueCase('TypeBox `Value.Check(schema, v)`', buildTypeBox());
    for (const c of [zl, vb, tv]) verify(c);
    return [zl, vb, tv];
  });

  if (failures.length > 0) {
    console.error('Verification failed; not benchmarking:\n  ' + failures.join('\n  '));
    process.exit(1);
  }

  console.error('verified: all validators accept the valid and reject the invalid messages; timing...');
  rows.push(bench(zodJit.result), bench(tbCompiled.result.c), bench(protocol), bench(cloneCase));
  withCodeGenBlocked(() => {
    for (const c of evalFree) rows.push(bench(c));
  });
  if (blockedAttempts > 0) {
    console.error(`eval-free phase attempted code generation ${blockedAttempts} time(s)`);
    process.exit(1);
  }
  notes.push(
    'Eval-free phase (zod jitless, valibot, TypeBox Value) ran with `globalThis.Function` blocked: 0 attempts.',
  );

  // Phase 3: fresh process with Function blocked before the libraries load (no configuration).
  const child = runCspChild();
  notes.push(
    `Fresh process, \`Function\` blocked before loading typebox/zod, no config (µs per valid frame): ${child}`,
  );
  const childOk = (() => {
    try {
      const parsed = JSON.parse(child) as { verificationFailures?: unknown[] };
      return Array.isArray(parsed.verificationFailures) && parsed.verificationFailures.length === 0;
    } catch {
      return false;
    }
  })();
  if (!childOk) process.exitCode = 1;

  printReport(rows, notes, tStart);
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function rate(ns: number): string {
  const perSec = 1e9 / ns;
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(perSec >= 1e7 ? 1 : 2)} M`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(perSec >= 1e5 ? 0 : 1)} k`;
  return perSec.toFixed(0);
}
function micros(ns: number): string {
  const us = ns / 1e3;
  return us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2);
}
function ratio(x: number): string {
  return x < 10 ? `${x.toFixed(2)}x` : `${x.toFixed(0)}x`;
}

function printReport(rows: Row[], notes: string[], tStart: number): void {
  const validators = rows.filter((r) => !r.scaleOnly);
  const best = {
    small: Math.min(...validators.map((r) => r.small.median)),
    frame: Math.min(...validators.map((r) => r.frame.median)),
    invalid: Math.min(...validators.map((r) => r.invalid.median)),
  };

  const lines: string[] = [];
  lines.push(
    `Node ${process.version}, ${ROUNDS} rounds x ~${ROUND_MS} ms per cell after ${WARMUP_MS} ms warm-up; median. ` +
      'Ratios: times slower than the fastest validator in the column (1.00x = fastest).',
  );
  lines.push('');
  lines.push(
    '| library / mode | small valid (calls/s) | frame valid, 50 ops (calls/s) | frame invalid -> first error (µs) |',
  );
  lines.push('|---|---|---|---|');
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${rate(r.small.median)} (${ratio(r.small.median / best.small)}) | ` +
        `${rate(r.frame.median)} (${ratio(r.frame.median / best.frame)}) | ` +
        `${micros(r.invalid.median)} (${ratio(r.invalid.median / best.invalid)}) |`,
    );
  }
  lines.push('');
  lines.push('Spread within this run (min-max over rounds):');
  lines.push('');
  lines.push('| library / mode | small (calls/s) | frame (calls/s) | invalid (µs) |');
  lines.push('|---|---|---|---|');
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${rate(r.small.max)} - ${rate(r.small.min)} | ${rate(r.frame.max)} - ${rate(r.frame.min)} | ` +
        `${micros(r.invalid.min)} - ${micros(r.invalid.max)} |`,
    );
  }
  lines.push('');
  lines.push('First error reported for the invalid frame (ops[40].x = "a"):');
  for (const e of firstErrors) lines.push(`- ${e.name}: \`${e.error}\``);
  lines.push('');
  for (const n of notes) lines.push(`- ${n}`);
  lines.push('');
  lines.push(`Total time ${((performance.now() - tStart) / 1000).toFixed(1)} s.`);
  console.log(lines.join('\n'));
}

if (process.env[CSP_CHILD_ENV]) cspChild();
else main();
