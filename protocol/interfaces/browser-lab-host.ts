/**
 * Browser process <-> lab host.
 *
 * The lab host runs the labs' real primitives (processes, pipes, sockets, shared memory, threads)
 * out of the browser process, so a lab that deadlocks or spins stalls only the lab host, whose
 * watchdog (the browser pinging `describe`) then ends it and starts another. As with the plugin host,
 * the browser brokers each lab page's direct channel to it (see tab-lab.ts). Implemented by the lab
 * host: LabHostService. By the browser process: LabHostHost.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { ChannelGrant, ChannelTraffic } from './browser-gpu.ts';
import { ChildProcessInfo } from './child-process-info.ts';

const ClientId = Type.String({ maxLength: 64 });

export const LabHostService = defineInterface({
  name: 'LabHostService',
  methods: {
    /** Describes the lab host (pid, runtime, versions); the browser's first call after spawn, then its watchdog's ping. */
    describe: method(Struct({}), ChildProcessInfo),
    /**
     * Opens a direct channel for one lab page (its tab) and returns where to connect (one connection
     * per grant). Under utilityProcess, where tabs' channels come as ports, it fails.
     */
    establishChannel: method(Struct({ clientId: ClientId }), ChannelGrant),
    /** Closes a tab's channel; a lab it was running is stopped. */
    closeChannel: method(Struct({ clientId: ClientId }), Struct({})),
    /** Messages counted on each tab's direct channel (cumulative); the map's and task manager's rates. */
    getChannelTraffic: method(Struct({}), ChannelTraffic),
    /** Ends the lab host with a real native abort, as a crash of a lab's primitive would (tests, the debug menu). */
    crash: method(Struct({}), Struct({})),
    /**
     * The lab host's main thread spins for `ms` (default: forever) and answers nothing, as a lab
     * that deadlocks or spins would: the browser's watchdog must notice and end it.
     */
    hang: method(Struct({ ms: Type.Optional(Type.Integer({ minimum: 0 })) }), Struct({})),
  },
  events: {},
});

export const LabHostHost = defineInterface({
  name: 'LabHostHost',
  methods: {},
  events: {},
});
