/**
 * Browser process <-> plugin host.
 *
 * The plugin host runs plugins out of process, so a plugin that crashes or spins takes down only
 * the host, never a tab or the browser. Implemented by the plugin host: PluginHostService. By the
 * browser process: PluginHostHost.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct } from '../rpc/schema.ts';
import { ChildProcessInfo } from './child-process-info.ts';

export const PluginHostService = defineInterface({
  name: 'PluginHostService',
  methods: {
    /** Describes the plugin host (pid, runtime, versions); the browser's first call after spawn. */
    describe: method(Struct({}), ChildProcessInfo),
  },
  events: {},
});

export const PluginHostHost = defineInterface({
  name: 'PluginHostHost',
  methods: {},
  events: {},
});
