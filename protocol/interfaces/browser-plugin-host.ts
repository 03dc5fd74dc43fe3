/**
 * Browser process <-> plugin host.
 *
 * The plugin host runs plugins out of process, so a plugin that crashes or spins takes down only the
 * host, never a tab or the browser. As with the GPU process, the browser brokers each tab's direct
 * channel to the host (see tab-plugin.ts). Implemented by the plugin host: PluginHostService. By the
 * browser process: PluginHostHost.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { ChannelGrant, ChannelTraffic } from './browser-gpu.ts';
import { ChildProcessInfo } from './child-process-info.ts';

export const PluginInfo = Struct({
  name: Type.String({ maxLength: 64 }),
  description: Type.String({ maxLength: 256 }),
});

export const PluginHostService = defineInterface({
  name: 'PluginHostService',
  methods: {
    /** Describes the plugin host (pid, runtime, versions); the browser's first call after spawn. */
    describe: method(Struct({}), ChildProcessInfo),
    /** The plugins this host can run. */
    listPlugins: method(Struct({}), Struct({ plugins: Type.Array(PluginInfo, { maxItems: 64 }) })),
    /** Opens a direct channel for one tab and returns where to connect (one connection per grant). */
    establishChannel: method(Struct({ clientId: Type.String({ maxLength: 64 }) }), ChannelGrant),
    /** Closes a tab's channel and destroys its plugin instances. */
    closeChannel: method(Struct({ clientId: Type.String({ maxLength: 64 }) }), Struct({})),
    /** Messages counted on each tab's direct channel (cumulative); the map's and task manager's rates. */
    getChannelTraffic: method(Struct({}), ChannelTraffic),
  },
  events: {},
});

export const PluginHostHost = defineInterface({
  name: 'PluginHostHost',
  methods: {},
  events: {},
});
