/**
 * One of the two processes of the "ignoring it" (무시) scene. It answers the other's calls from its
 * event loop and, told 'go', makes a synchronous call to the other: writes the call, then blocks in
 * read(2) on its answers FIFO until the answer comes. While blocked it answers nobody and sends no
 * heartbeat. When both call at once, each waits for an answer the other can never send: a real
 * deadlock between two OS processes, which only the watchdog outside them can end.
 *
 * argv[2]: JSON { name, calls: { mine, peer }, answers: { mine, peer }, callsPeer, beatMs }.
 * The FIFOs are opened read-write (Linux: never blocks at open), so the order of opening cannot
 * deadlock before the scene starts.
 */
import { openSync, readSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

interface PeerArgs {
  readonly name: string;
  /** Calls I write (mine) and calls I read (peer's). */
  readonly calls: { readonly mine: string; readonly peer: string };
  /** Answers I read (to my calls) and answers I write (to the peer's). */
  readonly answers: { readonly mine: string; readonly peer: string };
  /** Whether this process makes a synchronous call on 'go' (false: it only answers). */
  readonly callsPeer: boolean;
  readonly beatMs: number;
}

const args = JSON.parse(process.argv[2]!) as PeerArgs;

// A deadlocked main thread never sees its parent go away: a small thread watches for that instead
// and ends this process, so a lab host that dies mid-scene leaves no process blocked forever. The
// parent is read here, at start: the thread may boot after the parent is already gone (a cold tsx
// cache in a fresh clone made it late), and would then take init for the parent.
new Worker(
  `const check = () => { if (process.ppid !== ${process.ppid}) process.kill(process.pid, 'SIGKILL'); };
   check();
   setInterval(check, 250);`,
  { eval: true },
).unref();
const send = (message: object) => process.send?.(message);

const callsOut = openSync(args.calls.mine, 'r+');
const answersIn = openSync(args.answers.mine, 'r+');
const answersOut = openSync(args.answers.peer, 'r+');

const beat = setInterval(() => send({ type: 'beat' }), args.beatMs);

/** Answers the peer's calls: only ever runs from the event loop. */
function serve(): void {
  let pending = '';
  // A pipe handle on the FIFO (epoll, no thread-pool read that could hold up the exit).
  const calls = new Socket({ fd: openSync(args.calls.peer, 'r+'), readable: true, writable: false });
  calls.on('data', (chunk: Buffer) => {
    pending += String(chunk);
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const call = JSON.parse(pending.slice(0, end)) as { id: number };
      pending = pending.slice(end + 1);
      writeSync(answersOut, `${JSON.stringify({ id: call.id, from: args.name })}\n`);
      send({ type: 'answered-call', id: call.id });
    }
  });
}

/** The synchronous call: nothing else runs in this process until the answer is read. */
function callPeer(id: number): void {
  writeSync(callsOut, `${JSON.stringify({ id, from: args.name })}\n`);
  const buffer = Buffer.alloc(256);
  let text = '';
  while (!text.includes('\n')) {
    const read = readSync(answersIn, buffer, 0, buffer.length, null);
    text += buffer.toString('utf8', 0, read);
  }
  send({ type: 'got-answer', id });
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'go') {
    // Serving starts in the same turn as the call, so no call of the peer is answered first: the
    // two calls cross, as two processes calling each other at once do.
    serve();
    if (args.callsPeer) callPeer(1);
  } else if (message.type === 'stop') {
    clearInterval(beat);
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
