/**
 * Tab renderer <-> plugin host: the direct channel the browser process brokered.
 *
 * A tab embeds plugin instances; each renders content for its place in the page. When the host dies
 * the channel closes, the tab shows a "plugin crashed" placeholder where each instance was, and the
 * page itself keeps running. Implemented by the plugin host: PluginChannel. By the tab:
 * PluginChannelClient.
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type, Variant } from '../rpc/schema.ts';
import { DisplayList } from './display-list.ts';

/**
 * PluginChannel's error codes (a CodedError's `code`): the plugin host's, and a plugin's own.
 * PLUGIN_UNKNOWN: createInstance of a plugin the host does not have (the message lists those it has).
 * PLUGIN_DUPLICATE_INSTANCE: createInstance with an instance id the tab already uses. PLUGIN_NO_INSTANCE:
 * a command for an instance the tab does not have, or one destroyed while the command ran.
 * PLUGIN_UNKNOWN_COMMAND: a command the instance does not answer (the message lists those it does).
 * PLUGIN_BAD_RESULT: a command's handler returned what a command cannot. PLUGIN_BAD_PARAM,
 * PLUGIN_BAD_ARGUMENT: a plugin param, a command's argument, that is not what it takes.
 */
export const PluginChannelErrorCode = errorCodes(
  'PLUGIN_UNKNOWN',
  'PLUGIN_DUPLICATE_INSTANCE',
  'PLUGIN_NO_INSTANCE',
  'PLUGIN_UNKNOWN_COMMAND',
  'PLUGIN_BAD_RESULT',
  'PLUGIN_BAD_PARAM',
  'PLUGIN_BAD_ARGUMENT',
);
export type PluginChannelErrorCode = ErrorCodeOf<typeof PluginChannelErrorCode>;

const InstanceId = Type.String({ minLength: 1, maxLength: 64 });

/** What an instance shows: text, or a display list the tab draws. */
export const PluginContent = Variant('kind', [
  Struct({ kind: Type.Literal('text'), text: Type.String({ maxLength: 4096 }) }),
  Struct({ kind: Type.Literal('display-list'), list: DisplayList }),
]);

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
        params: Type.Optional(
          Type.Array(Struct({ name: Type.String({ maxLength: 32 }), value: Type.String({ maxLength: 256 }) }), {
            maxItems: 16,
          }),
        ),
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
      Struct({
        instanceId: InstanceId,
        command: Type.String({ maxLength: 64 }),
        argument: Type.Optional(Type.String({ maxLength: 1024 })),
      }),
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
