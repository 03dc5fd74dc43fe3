/**
 * Tab renderer <-> lab host: the direct channel the browser process brokered to a lab page
 * (`lab://ipc`, later `lab://threads`, `lab://deadlock`; the browser refuses any other site).
 *
 * The page asks for a run and draws what arrives; the measuring happens in the lab host, between
 * real processes and threads. When the lab host dies (a crash, or the watchdog ending a lab that
 * hung) the channel closes and a running call fails with RPC_CLOSED; the page asks the browser for a
 * new channel (TabHostService.requestLabChannel) once `labHostChanged` says the host is back.
 * Implemented by the lab host: LabChannel. By the tab: LabChannelClient.
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { IpcLabProgress, IpcLabResult } from '../labs/ipc-result.ts';

/**
 * LabChannel's error codes (a CodedError's `code`). LAB_RUN_IN_PROGRESS: runIpc while this host is
 * already running a lab (one at a time: two runs would measure each other). LAB_RUN_STOPPED: the
 * run ended because stopIpc asked, or the channel closed. LAB_BAD_OPTIONS: options the lab refuses
 * (an unknown channel id in `only`; the message lists those there are). LAB_RUN_FAILED: the run
 * itself failed (its message says why).
 */
export const LabChannelErrorCode = errorCodes(
  'LAB_RUN_IN_PROGRESS',
  'LAB_RUN_STOPPED',
  'LAB_BAD_OPTIONS',
  'LAB_RUN_FAILED',
);
export type LabChannelErrorCode = ErrorCodeOf<typeof LabChannelErrorCode>;

/** The largest HTML report the lab host answers (the viewer is about 0.4 MiB, a result at most a few hundred KiB). */
export const MAX_IPC_REPORT_HTML = 8 * 1024 * 1024;

/** The largest message size the lab measures (lab-host/ipc: 64 B to 1 MiB). */
export const MAX_IPC_LAB_SIZE = 1024 * 1024;

/** What a page may ask of the IPC lab; every field optional, the lab's defaults otherwise. */
export const IpcLabRunOptions = Struct({
  /** Message sizes in bytes (default 64 B, 1 KiB, 64 KiB, 1 MiB). */
  sizes: Type.Optional(
    Type.Array(Type.Integer({ minimum: 16, maximum: MAX_IPC_LAB_SIZE }), { minItems: 1, maxItems: 8 }),
  ),
  /** Round trips per size (default: 2,000 up to 1 KiB, fewer for larger frames). */
  roundTrips: Type.Optional(Type.Integer({ minimum: 5, maximum: 100_000 })),
  /** Channel ids to measure (lab-host/ipc/kinds.ts; default: all). */
  only: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 16 })),
  /** Runs of the shared-memory tear demonstration per arm (default 10; 0: none). */
  tearRuns: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  /** A short run (as `npm run lab:ipc -- --quick`): fewer round trips, frames and tear runs, no kernel floor. */
  quick: Type.Optional(Type.Boolean()),
});

export const LabChannel = defineInterface({
  name: 'LabChannel',
  methods: {
    /**
     * Runs the IPC lab: the six kinds between real processes, side by side, and answers its result;
     * `ipcProgress` events come while it runs (each log line, each channel's figures for a size as
     * soon as measured), all before the answer. One run at a time per host: LAB_RUN_IN_PROGRESS
     * otherwise. Takes minutes at full size: the caller gives it a timeout to match.
     */
    runIpc: method(IpcLabRunOptions, IpcLabResult),
    /**
     * Stops this tab's run between two round-trip blocks; the run's call then fails with
     * LAB_RUN_STOPPED. Answers whether a run was going.
     */
    stopIpc: method(Struct({}), Struct({ stopped: Type.Boolean() })),
    /**
     * An IPC lab result (any: the page may have added its own GPU channel's figures) as one HTML
     * file that opens offline, drawn by the experiments' report viewer (renderer/experiment-report),
     * in `language` ('en' default). Made here because the built viewer is a file the lab host reads;
     * the page's CSP lets it fetch nothing. LAB_RUN_FAILED when the viewer is not built.
     */
    ipcReport: method(
      Struct({ result: IpcLabResult, language: Type.Optional(Type.String({ maxLength: 16 })) }),
      Struct({ html: Type.String({ maxLength: MAX_IPC_REPORT_HTML }) }),
    ),
  },
  events: {
    /** A line of the running IPC lab's log, with a channel's figures for one size when it has them. */
    ipcProgress: IpcLabProgress,
  },
});

export const LabChannelClient = defineInterface({
  name: 'LabChannelClient',
  methods: {},
  events: {},
});
