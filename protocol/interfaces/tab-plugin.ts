/**
 * Tab renderer <-> plugin host: the direct channel the browser process brokered.
 *
 * A tab embeds plugin instances; each renders content for its place in the page. When the host dies
 * the channel closes, the tab shows a "plugin crashed" placeholder where each instance was, and the
 * page itself keeps running. Implemented by the plugin host: PluginChannel. By the tab:
 * PluginChannelClient.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type, Variant } from '../rpc/schema.ts';
import { DisplayList } from './display-list.ts';

const InstanceId = Type.String({ minLength: 1, maxLength: 64 });

/** What an instance shows: text, or a display list the tab draws. */
export const PluginContent = Variant('kind', [
  Struct({ kind: Type.Literal('text'), text: Type.String({ maxLength: 4096 }) }),
  Struct({ kind: Type.Literal('display-list'), list: DisplayList }),
]);

/** The codes of PluginChannel's errors (a CodedError's `code`): the plugin host's, and a plugin's own. */
export const PluginChannelErrorCode = {
  /** createInstance of a plugin the host does not have; the message lists those it has. */
  PLUGIN_UNKNOWN: 'PLUGIN_UNKNOWN',
  /** createInstance with an instance id the tab already uses. */
  PLUGIN_DUPLICATE_INSTANCE: 'PLUGIN_DUPLICATE_INSTANCE',
  /** A command for an instance the tab does not have, or one destroyed while the command ran. */
  PLUGIN_NO_INSTANCE: 'PLUGIN_NO_INSTANCE',
  /** A command the instance does not answer; the message lists those it does. */
  PLUGIN_UNKNOWN_COMMAND: 'PLUGIN_UNKNOWN_COMMAND',
  /** A command's handler returned what a command cannot (not a string within bounds). */
  PLUGIN_BAD_RESULT: 'PLUGIN_BAD_RESULT',
  /** A plugin param that is not what the plugin takes (e.g. not a number). */
  PLUGIN_BAD_PARAM: 'PLUGIN_BAD_PARAM',
  /** A command's argument that is not what the command takes. */
  PLUGIN_BAD_ARGUMENT: 'PLUGIN_BAD_ARGUMENT',
} as const;
export type PluginChannelErrorCode = (typeof PluginChannelErrorCode)[keyof typeof PluginChannelErrorCode];

export const PluginChannel = defineInterface({
  name: 'PluginChannel',
  methods: {
    /**
     * Creates an instance of the named plugin for this tab. An unknown plugin name is an error with
     * code PLUGIN_UNKNOWN that lists the plugins there are.
     */
    createInstance: method(
      Struct({
        instanceId: InstanceId,
        plugin: Type.String({ maxLength: 64 }),
        /** Plugin-defined settings, e.g. the ticker's interval. */
        params: Type.Optional(Type.Array(Struct({ name: Type.String({ maxLength: 32 }), value: Type.String({ maxLength: 256 }) }), { maxItems: 16 })),
      }),
      Struct({}),
    ),
    /** Destroys an instance; its output stops. */
    destroyInstance: method(Struct({ instanceId: InstanceId }), Struct({})),
    /**
     * Sends a plugin-defined command (e.g. the crasher's "crash"). An unknown instance or command is
     * an error with code PLUGIN_NO_INSTANCE or PLUGIN_UNKNOWN_COMMAND.
     */
    command: method(
      Struct({ instanceId: InstanceId, command: Type.String({ maxLength: 64 }), argument: Type.Optional(Type.String({ maxLength: 1024 })) }),
      Struct({ result: Type.Optional(Type.String({ maxLength: 4096 })) }),
    ),
  },
  events: {
    /** New content for an instance. */
    render: Struct({ instanceId: InstanceId, content: PluginContent }),
  },
});

export const PluginChannelClient = defineInterface({
  name: 'PluginChannelClient',
  methods: {},
  events: {},
});
