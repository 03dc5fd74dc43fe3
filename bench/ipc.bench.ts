/**
 * IPC round-trip cost: raw postMessage vs this RPC layer (validation on) vs birpc vs comlink, on the
 * same channels, in one run.
 *
 *   npm run bench:ipc                  (node --import tsx bench/ipc.bench.ts)
 *   npm run bench:ipc -- --quick       fewer samples, a smoke run
 *   npm run bench:ipc -- --json out.json   also write the raw results
 *   ... --only inproc|child            one channel only (for profiling)
 *
 * The request is a display list `{ tabId, frameId, ops: [...] }` of about 100 B (1 op), 4 KB and
 * 256 KB (JSON length), sent as `{ seq, list }`; the answer is `{ seq, bytes }`, where `bytes` is the
 * payload's JSON length computed by the receiver (bench/ipc/child.ts). Every answer is
 * checked (seq and bytes), and the RPC must reject an invalid payload, so nothing measures a no-op.
 *
 * Channels:
 *   - inproc: a worker_threads MessageChannel per library, both ends in this thread (real
 *     structured clone, real event-loop hops);
 *   - child: one child_process.fork per library (`serialization: 'advanced'`), each serving only
 *     its library over its own IPC channel, so no variant pays for a demultiplexer.
 *
 * Method, per (channel, payload): warm-up per library, then latency in rounds (each round runs a batch
 * of sequential calls for every library, the order rotated each round, so noise hits all alike),
 * each round trip timed with performance.now(); then throughput, also in rounds: 64 calls in flight for
 * a fixed window, completions per second.
 *
 * Over 400 lines because a benchmark is one file (bench/README.md): the cases of every library on
 * both channels, their correctness check and the timing loop belong together.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createBirpc } from 'birpc';
import * as Comlink from 'comlink';
import { connect } from '../protocol/rpc/endpoint.ts';
import {
  BenchClient,
  BenchService,
  LIBS,
  jsonLength,
  serve,
  wireOf,
  type Ack,
  type BirpcServer,
  type ChannelEnd,
  type DisplayList,
  type Lib,
  type PostRequest,
} from './ipc/child.ts';

// ---- options -------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const jsonIndex = args.indexOf('--json');
const JSON_OUT = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
if (jsonIndex >= 0 && !JSON_OUT) fail('--json needs a file name');
const onlyIndex = args.indexOf('--only');
const ONLY = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
if (ONLY !== undefined && ONLY !== 'inproc' && ONLY !== 'child') fail('--only takes inproc or child');

const IN_FLIGHT = 64;

interface SizeSpec {
  readonly name: string;
  readonly target: number;
  /** Latency samples per library (upper bound) and the time cap for the latency phase of one cell. */
  readonly samples: number;
  readonly latencyCapMs: number;
  /** Sequential calls per library per round. */
  readonly batch: number;
  /** Throughput rounds per cell (each: one window per library). */
  readonly tputRounds: number;
}

const SIZES: readonly SizeSpec[] = QUICK
  ? [
      { name: '100 B', target: 100, samples: 300, latencyCapMs: 400, batch: 20, tputRounds: 1 },
      { name: '4 KB', target: 4096, samples: 300, latencyCapMs: 500, batch: 20, tputRounds: 1 },
      { name: '256 KB', target: 256 * 1024, samples: 40, latencyCapMs: 1000, batch: 4, tputRounds: 1 },
    ]
  : [
      { name: '100 B', target: 100, samples: 4000, latencyCapMs: 4000, batch: 40, tputRounds: 3 },
      { name: '4 KB', target: 4096, samples: 3000, latencyCapMs: 5000, batch: 30, tputRounds: 3 },
      { name: '256 KB', target: 256 * 1024, samples: 200, latencyCapMs: 6000, batch: 5, tputRounds: 2 },
    ];
const WARMUP_CALLS = QUICK ? 100 : 300;
const WARMUP_MS = QUICK ? 80 : 200;
/** Throughput: the least counted window per library per round (after a ramp-up). */
const TPUT_WINDOW_MS = QUICK ? 100 : 250;

// ---- payloads ------------------------------------------------------------------------------------

const COLORS = ['#202124', '#1a73e8', 'rgba(255, 128, 0, 0.75)', '#34a853'];

function makeDisplayList(target: number): DisplayList {
  const list: DisplayList = { tabId: 7, frameId: 1024, ops: [] };
  if (target <= 200) {
    // One op; pad the text so the message is about `target` bytes.
    const op = { op: 'fillText' as const, text: '', x: 12, y: 20 };
    list.ops.push(op);
    op.text = 'x'.repeat(Math.max(1, target - JSON.stringify(list).length));
    op.text = `Hello, ${'renderer process'.padEnd(op.text.length - 7, '.')}`.slice(0, op.text.length);
    return list;
  }
  let bytes = JSON.stringify(list).length;
  for (let i = 0; bytes < target; i++) {
    const k = i % 4;
    const row = Math.floor(i / 4);
    const op =
      k === 0
        ? { op: 'fillStyle' as const, color: COLORS[row % COLORS.length]! }
        : k === 1
          ? { op: 'fillRect' as const, x: (row * 37) % 1280, y: (row * 18) % 800, w: 120 + (row % 50), h: 18 }
          : k === 2
            ? { op: 'fillStyle' as const, color: '#ffffff' }
            : {
                op: 'fillText' as const,
                text: `Row ${row}: frame painted by the GPU process`,
                x: 12,
                y: 20 + ((row * 18) % 780),
              };
    list.ops.push(op);
    bytes += JSON.stringify(op).length + (list.ops.length > 1 ? 1 : 0);
  }
  return list;
}

interface Payload {
  readonly spec: SizeSpec;
  readonly list: DisplayList;
  readonly bytes: number;
}

const PAYLOADS: Payload[] = SIZES.map((spec) => {
  const list = makeDisplayList(spec.target);
  const bytes = JSON.stringify(list).length;
  if (jsonLength(list) !== bytes)
    fail(`receiver byte count ${jsonLength(list)} != JSON length ${bytes} for ${spec.name}`);
  return { spec, list, bytes };
});

// ---- clients ---------------------------------------------------------------------------------------

interface Client {
  readonly lib: Lib;
  call(request: PostRequest): Promise<Ack>;
  close(): void;
}

function makeClient(lib: Lib, end: ChannelEnd): Client {
  const wire = wireOf(end);
  switch (lib) {
    case 'raw': {
      const pending = new Map<number, (ack: Ack) => void>();
      const listener = (message: unknown) => {
        const ack = message as Ack;
        const resolve = pending.get(ack.seq);
        if (!resolve) return fail(`raw: ack for unknown seq ${ack.seq}`);
        pending.delete(ack.seq);
        resolve(ack);
      };
      wire.on(listener);
      return {
        lib,
        call: (request) =>
          new Promise<Ack>((resolve) => {
            pending.set(request.seq, resolve);
            wire.post(request);
          }),
        close: () => wire.off(listener),
      };
    }
    case 'rpc': {
      const connection = connect({
        transport: wire.transport({ process: 'bench-server' }),
        self: { process: 'bench-client' },
        local: BenchClient,
        remote: BenchService,
        handlers: {},
        onBadMessage: (report) => fail(`rpc client: bad message: ${report.reason}`),
      });
      const post = connection.remote.post;
      return { lib, call: (request) => post(request), close: () => connection.close() };
    }
    case 'birpc': {
      const rpc = createBirpc<BirpcServer, Record<string, never>>(
        {},
        { post: (data) => wire.post(data), on: (fn) => wire.on(fn), off: (fn) => wire.off(fn) },
      );
      const post = rpc.post;
      return { lib, call: (request) => post(request), close: () => rpc.$close() };
    }
    case 'comlink': {
      const remote = Comlink.wrap<BirpcServer>(wire.comlinkEndpoint());
      const post = remote.post; // one method proxy, reused: comlink's cheapest calling style
      return {
        lib,
        call: (request) => post(request),
        close: () => {
          // Closing the port (or disconnecting the child) ends the connection; releaseProxy would
          // send one more message to a peer that may already be gone.
        },
      };
    }
  }
}

// ---- measuring ----------------------------------------------------------------------------------

let seqCounter = 0;

/** One call, checked: the answer must echo this seq and the byte count the receiver computed. */
async function checkedCall(client: Client, payload: Payload): Promise<void> {
  const seq = ++seqCounter;
  const ack = await client.call({ seq, list: payload.list });
  if (ack?.seq !== seq || ack.bytes !== payload.bytes) {
    fail(`${client.lib}: wrong answer ${JSON.stringify(ack)}, expected { seq: ${seq}, bytes: ${payload.bytes} }`);
  }
}

async function timedCalls(client: Client, payload: Payload, count: number, out: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const seq = ++seqCounter;
    const request = { seq, list: payload.list };
    const t0 = performance.now();
    const ack = await client.call(request);
    const t1 = performance.now();
    if (ack?.seq !== seq || ack.bytes !== payload.bytes) {
      fail(`${client.lib}: wrong answer ${JSON.stringify(ack)}, expected { seq: ${seq}, bytes: ${payload.bytes} }`);
    }
    out.push((t1 - t0) * 1000);
  }
}

async function warmUp(client: Client, payload: Payload): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < WARMUP_CALLS && (i < 10 || performance.now() - start < WARMUP_MS); i++) {
    await checkedCall(client, payload);
  }
}

/**
 * Keeps IN_FLIGHT calls going. Counting starts at the completion that ends the ramp-up (IN_FLIGHT
 * completions: the pipeline is full) and stops at the first completion after which both the window
 * has passed and at least IN_FLIGHT calls were counted; the rate is calls / (last - first
 * completion time). Completions of big messages come in bursts (a port delivers its whole queue in
 * one go), so the window is measured from completion to completion, never from a timer.
 */
async function throughput(client: Client, payload: Payload): Promise<{ calls: number; ms: number }> {
  let state: 'ramp' | 'count' | 'stop' = 'ramp';
  let rampDone = 0;
  let counted = 0;
  let first = 0;
  let last = 0;
  const worker = async () => {
    while (state !== 'stop') {
      await checkedCall(client, payload);
      const now = performance.now();
      if (state === 'ramp') {
        if (++rampDone === IN_FLIGHT) {
          state = 'count';
          first = now;
        }
      } else if (state === 'count') {
        counted++;
        last = now;
        if (now - first >= TPUT_WINDOW_MS && counted >= IN_FLIGHT) state = 'stop';
      }
    }
  };
  // Drain: every outstanding call is still answered and checked before the next library runs.
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { calls: counted, ms: last - first };
}

/** Sends one invalid display list over the RPC: it must be rejected by validation. */
async function checkRpcValidates(client: Client, payload: Payload): Promise<void> {
  const bad = structuredClone(payload.list) as unknown as { ops: Array<Record<string, unknown>> };
  bad.ops[bad.ops.length - 1]!.x = 'not a number';
  const error = await client.call({ seq: ++seqCounter, list: bad as unknown as DisplayList }).then(
    () => undefined,
    (e: unknown) => e as { code?: string; message?: string },
  );
  if (!error || !String(error.message).includes('request:')) {
    fail(`rpc: an invalid payload was not rejected by validation (${error ? error.message : 'it was accepted'})`);
  }
}

// ---- statistics -------------------------------------------------------------------------------------

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

interface CellResult {
  readonly channel: string;
  readonly payload: string;
  readonly bytes: number;
  readonly ops: number;
  readonly lib: Lib;
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly callsPerSec: number;
  readonly latencyUs: number[];
  readonly throughputRounds: Array<{ calls: number; ms: number }>;
}

// ---- channels ------------------------------------------------------------------------------------------

interface Channel {
  readonly name: string;
  readonly clients: Client[];
  close(): Promise<void>;
}

function openInProcess(): Channel {
  const ports: MessagePort[] = [];
  const stops: Array<() => void> = [];
  const clients = LIBS.map((lib) => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    stops.push(serve(lib, port2, { onBadMessage: () => {} }));
    return makeClient(lib, port1);
  });
  return {
    name: 'in-process',
    clients,
    async close() {
      for (const client of clients) client.close();
      for (const stop of stops) stop();
      for (const port of ports) port.close();
    },
  };
}

const CHILD_ENTRY = fileURLToPath(new URL('./ipc/child.ts', import.meta.url));
const children: ChildProcess[] = [];
/** Set once the benchmark disconnects its children: from then on a child exiting is expected. */
let closing = false;

async function openChildren(): Promise<Channel> {
  const started = LIBS.map(async (lib) => {
    const child = fork(CHILD_ENTRY, ['serve', lib], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    child.once('exit', (code, signal) => {
      if (!closing) fail(`the ${lib} child exited early (code ${code}, signal ${signal})`);
    });
    const [ready] = await once(child, 'message');
    if (ready !== 'ready') fail(`the ${lib} child said ${JSON.stringify(ready)} instead of ready`);
    return makeClient(lib, child);
  });
  const clients = await Promise.all(started);
  return {
    name: 'child process',
    clients,
    async close() {
      closing = true;
      for (const client of clients) client.close();
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.disconnect();
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

async function runChannel(channel: Channel, results: CellResult[]): Promise<void> {
  for (const client of channel.clients) {
    if (client.lib === 'rpc') await checkRpcValidates(client, PAYLOADS[1]!);
  }
  for (const payload of PAYLOADS) {
    const { spec } = payload;
    const started = performance.now();
    for (const client of channel.clients) await warmUp(client, payload);

    // Latency: rounds of `batch` sequential calls per library, order rotated every round.
    const samples = new Map<Lib, number[]>(LIBS.map((lib) => [lib, []]));
    const latencyStart = performance.now();
    for (let round = 0; ; round++) {
      const done = samples.get('raw')!.length >= spec.samples;
      if (done || (round > 0 && performance.now() - latencyStart > spec.latencyCapMs)) break;
      for (let i = 0; i < channel.clients.length; i++) {
        const client = channel.clients[(round + i) % channel.clients.length]!;
        await timedCalls(client, payload, spec.batch, samples.get(client.lib)!);
      }
    }

    // Throughput: rounds of a window per library, order rotated.
    const tput = new Map<Lib, Array<{ calls: number; ms: number }>>(LIBS.map((lib) => [lib, []]));
    for (let round = 0; round < spec.tputRounds; round++) {
      for (let i = 0; i < channel.clients.length; i++) {
        const client = channel.clients[(round + i) % channel.clients.length]!;
        tput.get(client.lib)!.push(await throughput(client, payload));
      }
    }

    for (const lib of LIBS) {
      const latency = samples.get(lib)!;
      const sorted = [...latency].sort((a, b) => a - b);
      const rounds = tput.get(lib)!;
      const calls = rounds.reduce((sum, r) => sum + r.calls, 0);
      const ms = rounds.reduce((sum, r) => sum + r.ms, 0);
      results.push({
        channel: channel.name,
        payload: spec.name,
        bytes: payload.bytes,
        ops: payload.list.ops.length,
        lib,
        samples: latency.length,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        mean: latency.reduce((a, b) => a + b, 0) / latency.length,
        callsPerSec: (calls / ms) * 1000,
        latencyUs: latency.map((v) => Math.round(v * 100) / 100),
        throughputRounds: rounds.map((r) => ({ calls: r.calls, ms: Math.round(r.ms * 100) / 100 })),
      });
    }
    const n = samples.get('raw')!.length;
    console.error(
      `  ${channel.name} ${spec.name}: ${n} samples/library, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

// ---- report ----------------------------------------------------------------------------------------------

const NAMES: Record<Lib, string> = {
  raw: 'raw postMessage',
  rpc: 'RPC (validated)',
  birpc: 'birpc',
  comlink: 'comlink',
};

function fmtUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`;
}

function fmtRate(rate: number): string {
  return rate >= 10_000
    ? `${(rate / 1000).toFixed(1)} k`
    : rate >= 1000
      ? `${(rate / 1000).toFixed(2)} k`
      : rate.toFixed(0);
}

function find(results: CellResult[], channel: string, payload: string, lib: Lib): CellResult {
  return results.find((r) => r.channel === channel && r.payload === payload && r.lib === lib)!;
}

function report(results: CellResult[], seconds: number): { passed: boolean; verdicts: string[] } {
  const lines: string[] = [];
  lines.push('# IPC round trip: raw postMessage vs RPC vs birpc vs comlink', '');
  lines.push(
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${QUICK ? 'QUICK run' : 'full run'}, ${seconds.toFixed(0)} s. ` +
      `Sequential ping-pong for latency; ${IN_FLIGHT} calls in flight for calls/s.`,
    '',
  );
  lines.push(
    '| channel | payload | library | samples | p50 | p99 | calls/s (64 in flight) | p50 / raw p50 | calls/s / raw |',
  );
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const raw = find(results, r.channel, r.payload, 'raw');
    lines.push(
      `| ${r.channel} | ${r.payload} (${r.bytes} B, ${r.ops} op${r.ops === 1 ? '' : 's'}) | ${NAMES[r.lib]} | ${r.samples} | ${fmtUs(r.p50)} | ${fmtUs(r.p99)} | ` +
        `${fmtRate(r.callsPerSec)} | ${(r.p50 / raw.p50).toFixed(2)}x | ${(r.callsPerSec / raw.callsPerSec).toFixed(2)}x |`,
    );
  }

  const verdicts: string[] = [];
  let passed = true;
  const verdict = (ok: boolean, text: string) => {
    passed &&= ok;
    verdicts.push(`- **${ok ? 'PASS' : 'MISS'}** ${text}`);
  };
  lines.push(
    '',
    '## Verdicts',
    '',
    'Target 1: validated RPC p50 at most 1.3x raw postMessage p50, in-process, 100 B and 4 KB.',
    '',
  );
  for (const payload of ['100 B', '4 KB']) {
    const rpc = find(results, 'in-process', payload, 'rpc');
    const raw = find(results, 'in-process', payload, 'raw');
    if (!rpc || !raw) continue;
    const ratio = rpc.p50 / raw.p50;
    verdict(
      ratio <= 1.3,
      `in-process ${payload}: RPC p50 ${fmtUs(rpc.p50)} = ${ratio.toFixed(2)}x raw ${fmtUs(raw.p50)} (target <= 1.30x)`,
    );
  }
  lines.push(...verdicts.splice(0));
  lines.push(
    '',
    'Target 2: RPC at least as fast as birpc and comlink in every cell (p50 RPC/other <= 1.00x and calls/s RPC/other >= 1.00x; strict, no noise margin).',
    '',
  );
  const channels = [...new Set(results.map((r) => r.channel))];
  for (const channel of channels) {
    for (const { spec } of PAYLOADS) {
      const rpc = find(results, channel, spec.name, 'rpc');
      for (const other of ['birpc', 'comlink'] as const) {
        const o = find(results, channel, spec.name, other);
        const okLat = rpc.p50 <= o.p50;
        const okRate = rpc.callsPerSec >= o.callsPerSec;
        verdict(
          okLat && okRate,
          `${channel} ${spec.name} vs ${other}: p50 ${fmtUs(rpc.p50)} vs ${fmtUs(o.p50)} (RPC ${(rpc.p50 / o.p50).toFixed(2)}x, ${okLat ? 'ok' : 'slower'}), ` +
            `calls/s ${fmtRate(rpc.callsPerSec)} vs ${fmtRate(o.callsPerSec)} (RPC ${(rpc.callsPerSec / o.callsPerSec).toFixed(2)}x, ${okRate ? 'ok' : 'fewer'})`,
        );
      }
    }
  }
  lines.push(...verdicts.splice(0));
  lines.push('', `Overall: ${passed ? 'PASS' : 'MISS'}`);
  console.log(lines.join('\n'));
  return { passed, verdicts: lines.filter((l) => l.startsWith('- **')) };
}

// ---- main ---------------------------------------------------------------------------------------------------

function fail(message: string): never {
  console.error(`ipc.bench: FAILED: ${message}`);
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(1);
}

async function main(): Promise<void> {
  const start = performance.now();
  console.error(
    `payloads: ${PAYLOADS.map((p) => `${p.spec.name} = ${p.bytes} B / ${p.list.ops.length} ops`).join(', ')}${QUICK ? ' (quick)' : ''}`,
  );
  const results: CellResult[] = [];
  if (ONLY !== 'child') {
    const channel = openInProcess();
    await runChannel(channel, results);
    await channel.close();
  }
  if (ONLY !== 'inproc') {
    const channel = await openChildren();
    await runChannel(channel, results);
    await channel.close();
  }
  const seconds = (performance.now() - start) / 1000;
  const { passed, verdicts } = report(results, seconds);
  if (JSON_OUT) {
    writeFileSync(
      JSON_OUT,
      JSON.stringify(
        {
          node: process.version,
          cpus: os.cpus().length,
          quick: QUICK,
          seconds,
          inFlight: IN_FLIGHT,
          payloads: PAYLOADS.map((p) => ({ name: p.spec.name, bytes: p.bytes, ops: p.list.ops.length })),
          results,
          verdicts,
          passed,
        },
        null,
        1,
      ),
    );
    console.error(`raw results written to ${JSON_OUT}`);
  }
}

main().catch((error: unknown) => fail((error as Error)?.stack ?? String(error)));
