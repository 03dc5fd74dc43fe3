/** Schemas every child process shares in its interface with the browser process. */
import { Struct, Type, type Static } from '../rpc/schema.ts';

const Version = Type.String({ maxLength: 64 });

/** What a child says about itself when asked: the first message after it starts. */
export const ChildProcessInfo = Struct({
  /** OS process id, as the child sees it. */
  pid: Type.Integer({ minimum: 1 }),
  /** `electron-utility` under Electron's utilityProcess, `node` under child_process.fork. */
  runtime: Type.Union([Type.Literal('electron-utility'), Type.Literal('node')]),
  /** Versions of the runtime; electron and chrome only under Electron. */
  versions: Struct({
    node: Version,
    v8: Version,
    electron: Type.Optional(Version),
    chrome: Type.Optional(Version),
  }),
  /** Epoch milliseconds when the child's entry started running. */
  startedAt: Type.Number(),
});

/** The parts of a child's `process` that describe it. */
export interface DescribableProcess {
  readonly pid: number;
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly parentPort?: unknown;
}

/** Builds a child's ChildProcessInfo from its own `process` (passed in: protocol/ has no globals). */
export function describeChildProcess(self: DescribableProcess, startedAt: number): ChildProcessInfo {
  const { node = '', v8 = '', electron, chrome } = self.versions;
  return {
    pid: self.pid,
    runtime: self.parentPort ? 'electron-utility' : 'node',
    versions: { node, v8, ...(electron ? { electron } : {}), ...(chrome ? { chrome } : {}) },
    startedAt,
  };
}
export type ChildProcessInfo = Static<typeof ChildProcessInfo>;
