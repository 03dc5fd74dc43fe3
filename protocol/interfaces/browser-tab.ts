/**
 * Browser process <-> a tab's page (in its renderer process).
 *
 * The page proves it is alive with heartbeats (the hang watchdog listens), reports its title, and
 * asks the browser to broker its direct channels to the GPU process, the plugin host and (lab pages
 * only) the lab host. The browser tells it when to ask again (a restarted GPU process, plugin host or
 * lab host) and how to draw. A message
 * that fails validation ends the tab's renderer process with reason `bad-message`.
 * Implemented by the browser process: TabHostService (its events go to the page). By the page:
 * TabPage (its events, heartbeats and title, go to the browser).
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type, Variant } from '../rpc/schema.ts';
import { GpuMode } from './browser-state.ts';

/**
 * TabHostService's error codes (a CodedError's `code`). PLUGIN_HOST_DOWN: requestPluginChannel while
 * the plugin host is not running (show placeholders; pluginHostChanged says when it is back).
 * LAB_NOT_ALLOWED: requestLabChannel from a page that is no lab page (only the `ipc`, `threads` and
 * `deadlock` sites may have one). LAB_HOST_DOWN: the lab host could not be started or did not grant
 * the channel (labHostChanged says when it is back).
 */
export const TabHostErrorCode = errorCodes('PLUGIN_HOST_DOWN', 'LAB_NOT_ALLOWED', 'LAB_HOST_DOWN');
export type TabHostErrorCode = ErrorCodeOf<typeof TabHostErrorCode>;

/**
 * How the page reaches a utility process directly, as the shell brokered it (main/core/ports.ts,
 * ChannelBroker). One use each: a new request gets a new one.
 */
export const DirectChannelEndpoint = Variant('kind', [
  /** Open a WebSocket to `url`, a one-time loopback grant (Chromium shell). */
  Struct({ kind: Type.Literal('websocket'), url: Type.String({ maxLength: 512 }) }),
  /**
   * Take the MessagePort delivered to the page with this id, beside this answer
   * (protocol/transport/brokered-ports.ts; Electron shell).
   */
  Struct({ kind: Type.Literal('port'), portId: Type.String({ maxLength: 64 }) }),
]);

export const GpuChannelGrantMessage = Variant('mode', [
  /** Draw through the GPU process, over `channel`. */
  Struct({ mode: Type.Literal('hardware'), channel: DirectChannelEndpoint, gpuPid: Type.Integer({ minimum: 1 }) }),
  /** Software compositing: rasterize the display list on the tab's own canvas. */
  Struct({ mode: Type.Literal('software') }),
]);

export const TabHostService = defineInterface({
  name: 'TabHostService',
  methods: {
    /** A direct channel to the GPU process, or software mode. */
    requestGpuChannel: method(Struct({}), GpuChannelGrantMessage),
    /** A direct channel to the plugin host; an error with code PLUGIN_HOST_DOWN while it is not running. */
    requestPluginChannel: method(
      Struct({}),
      Struct({ channel: DirectChannelEndpoint, hostPid: Type.Integer({ minimum: 1 }) }),
    ),
    /**
     * A direct channel to the lab host (tab-lab.ts), started for it when none runs. Only a lab page
     * may ask: the browser checks the site of the page it committed in this tab, never what the page
     * says (LAB_NOT_ALLOWED); LAB_HOST_DOWN when the lab host cannot start or grant it.
     */
    requestLabChannel: method(
      Struct({}),
      Struct({ channel: DirectChannelEndpoint, hostPid: Type.Integer({ minimum: 1 }) }),
    ),
  },
  events: {
    /** The GPU process restarted or compositing changed: request a GPU channel again. */
    gpuChanged: Struct({ mode: GpuMode }),
    /** The plugin host crashed (`running: false`: show placeholders) or is back (ask for a channel). */
    pluginHostChanged: Struct({ running: Type.Boolean() }),
    /**
     * To lab pages only: the lab host ended (`running: false`: a run in progress is lost; a crash or
     * the watchdog ending a hung lab) or a new one is ready (`running: true`: ask for a channel again).
     */
    labHostChanged: Struct({ running: Type.Boolean() }),
  },
});

/**
 * What the browser takes from one tab's page (ConnectOptions.messageBudget): past it the page is
 * flooding and is ended as a bad message (FLOOD). Measured on every built-in page, a reload after a
 * crash included: at most 6 messages in any 100 ms and 10 in any second (its heavy traffic goes over
 * the direct channels), ~4 a second steady (heartbeats). Small on purpose: in the Chromium shell all
 * tabs' messages share one DevTools pipe, so whatever a flooder is allowed, the other tabs wait
 * behind (main/chromium/testing/flood-run.ts measured it).
 */
export const TAB_MESSAGE_BUDGET = { burst: 100, perSecond: 50 } as const;

export const TabPage = defineInterface({
  name: 'TabPage',
  methods: {},
  events: {
    /** Sent every 250 ms by the page's main thread; silence past the threshold means a hang. */
    heartbeat: Struct({ seq: Type.Integer({ minimum: 0 }) }),
    /** The page's title changed. */
    titleChanged: Struct({ title: Type.String({ maxLength: 512 }) }),
  },
});
