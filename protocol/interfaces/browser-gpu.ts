/**
 * Browser process <-> GPU process.
 *
 * The browser process starts the GPU process, watches it, and brokers each tab's direct channel to
 * it (Chrome's EstablishGpuChannel); tabs then send their display lists straight to the GPU process
 * (see tab-gpu.ts). Implemented by the GPU process: GpuService. By the browser: GpuHost.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { ChildProcessInfo } from './child-process-info.ts';

/**
 * Where a client connects for its direct channel: a loopback WebSocket URL carrying a one-time token
 * (under child_process.fork; under Electron's utilityProcess the browser sends ports instead:
 * protocol/transport/brokered-ports.ts).
 */
export const ChannelGrant = Struct({
  url: Type.String({ maxLength: 512 }),
});

/** How many direct channels' counts one ChannelTraffic answer carries at most. */
export const MAX_TRAFFIC_CHANNELS = 256;

/**
 * Messages on each client's direct channel, as the child serving it counted them (the browser never
 * sees them): cumulative since the client's channel was first granted in this process; a client
 * without a channel is left out.
 */
export const ChannelTraffic = Struct({
  channels: Type.Array(
    Struct({
      clientId: Type.String({ maxLength: 64 }),
      /** Messages the child received from the client. */
      received: Type.Integer({ minimum: 0 }),
      /** Messages the child sent to the client. */
      sent: Type.Integer({ minimum: 0 }),
    }),
    { maxItems: MAX_TRAFFIC_CHANNELS },
  ),
});

export const GpuService = defineInterface({
  name: 'GpuService',
  methods: {
    /** Describes the GPU process (pid, runtime, versions); the browser's first call after spawn. */
    describe: method(Struct({}), ChildProcessInfo),
    /**
     * Opens a direct channel for one client (a tab) and returns where to connect. The grant is good
     * for one connection; the browser passes it to that tab only. Under utilityProcess, where tabs'
     * channels come as ports, it fails.
     */
    establishChannel: method(Struct({ clientId: Type.String({ maxLength: 64 }) }), ChannelGrant),
    /** Closes a client's channel (its tab closed or its renderer died). */
    closeChannel: method(Struct({ clientId: Type.String({ maxLength: 64 }) }), Struct({})),
    /** Messages counted on each tab's direct channel (cumulative); the map's and task manager's rates. */
    getChannelTraffic: method(Struct({}), ChannelTraffic),
    /** chrome://gpucrash: ends the GPU process with a real native abort, as a crash would. */
    crash: method(Struct({}), Struct({})),
    /** chrome://gpuhang: the GPU main thread spins for `ms` (default: forever) and answers nothing. */
    hang: method(Struct({ ms: Type.Optional(Type.Integer({ minimum: 0 })) }), Struct({})),
    /**
     * Pays a new process's one-time drawing costs now (Skia's first canvas, its font collection, the
     * replay path's first run) by drawing a small frame nobody sees, so a hot-standby GPU process
     * promoted after a crash draws its first real frame at full speed. Answers how long that took.
     */
    warmUp: method(Struct({}), Struct({ rasterMs: Type.Number({ minimum: 0 }) })),
  },
  events: {},
});

export const GpuHost = defineInterface({
  name: 'GpuHost',
  methods: {},
  events: {},
});
