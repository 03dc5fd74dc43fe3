/** Schemas every child process shares in its interface with the browser process. */
import { Struct, z } from '../rpc/schema.ts';

/** What a child says about itself when asked: the first message after it starts. */
export const ChildProcessInfo = Struct({
  /** OS process id, as the child sees it. */
  pid: z.int().positive(),
  /** `electron-utility` under Electron's utilityProcess, `node` under child_process.fork. */
  runtime: z.enum(['electron-utility', 'node']),
  /** Versions of the runtime: node, and electron and chrome where present. */
  versions: z.record(z.string().max(32), z.string().max(64)),
  /** Epoch milliseconds when the child's entry started running. */
  startedAt: z.number(),
});

/** The parts of a child's `process` that describe it. */
export interface DescribableProcess {
  readonly pid: number;
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly parentPort?: unknown;
}

const REPORTED_VERSIONS = ['node', 'v8', 'electron', 'chrome'];

/** Builds a child's ChildProcessInfo from its own `process` (passed in: protocol/ has no globals). */
export function describeChildProcess(self: DescribableProcess, startedAt: number): z.infer<typeof ChildProcessInfo> {
  const versions: Record<string, string> = {};
  for (const name of REPORTED_VERSIONS) {
    const version = self.versions[name];
    if (version) versions[name] = version;
  }
  return { pid: self.pid, runtime: self.parentPort ? 'electron-utility' : 'node', versions, startedAt };
}
