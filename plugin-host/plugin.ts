/**
 * What a plugin is: a named module whose `create` makes one instance per place a tab embeds it. The
 * instance draws by calling `context.render`, answers the commands it names, and is ended with
 * `destroy()`. Plugin code runs in the plugin host, never in a tab or the browser process; the host
 * (plugin-instances.ts) catches what it throws, so a bad instance fails its own calls only.
 */
import {
  PluginChannelErrorCode,
  type PluginContent as PluginContentSchema,
} from '../protocol/interfaces/tab-plugin.ts';
import { CodedError } from '../protocol/rpc/errors.ts';
import type { Static } from '../protocol/rpc/schema.ts';

/**
 * A failure the tab should tell apart: `throw new CodedError(code, message)`; the RPC layer carries
 * its code to the caller. The host's own codes are PluginChannelErrorCode's; a plugin may add its own.
 */
export { CodedError, PluginChannelErrorCode };

/** What an instance shows in its place in the page: text, or a display list the tab draws. */
export type PluginContent = Static<typeof PluginContentSchema>;

/** What a command handler returns: an optional short text for the caller (at most 4096 characters). */
export type CommandResult = string | void | Promise<string | void>;

/**
 * Handles one command. `argument` is what the tab sent, if anything. `signal` aborts when the caller
 * gives up (timeout, cancel) or the instance is destroyed; a long command should stop then.
 */
export type CommandHandler = (argument: string | undefined, signal: AbortSignal) => CommandResult;

export interface PluginContext {
  /** The tab's name for this instance. */
  readonly instanceId: string;
  /** The tab's settings for this instance, by name (the last one wins when a name repeats). */
  readonly params: ReadonlyMap<string, string>;
  /**
   * Shows `content` in the instance's place. Checked against the protocol's schema first (throws a
   * TypeError when it does not fit, so the tab never gets a bad message); dropped once the instance
   * is destroyed. A render made during `create` reaches the tab just after createInstance's answer.
   */
  render(content: PluginContent): void;
  /** `setInterval` that the host clears on destroy; what `callback` throws is logged, not fatal. */
  setInterval(callback: () => void, ms: number): () => void;
  /** `setTimeout` that the host clears on destroy; what `callback` throws is logged, not fatal. */
  setTimeout(callback: () => void, ms: number): () => void;
  /** Aborted when the instance is destroyed. */
  readonly signal: AbortSignal;
  /** Writes a line to the host's stderr, prefixed with the tab and the instance. */
  log(message: string): void;
}

export interface PluginInstance {
  /** The commands this instance answers, by name. Any other name is PLUGIN_UNKNOWN_COMMAND. */
  readonly commands?: Readonly<Record<string, CommandHandler>>;
  /** Releases what the instance holds beyond the context's timers (those the host clears itself). */
  destroy?(): void;
}

export interface Plugin {
  /** How tabs name it in createInstance: lower case, at most 64 characters. */
  readonly name: string;
  /** One line for listPlugins. */
  readonly description: string;
  /** Makes one instance. Throwing fails that createInstance call and nothing else. */
  create(context: PluginContext): PluginInstance;
}

/** Declares a plugin; only there for the type checking and the editor's help. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}

/**
 * Reads the integer param `name`: `fallback` when absent, clamped to [min, max]; a value that is not
 * a number fails with PLUGIN_BAD_PARAM.
 */
export function integerParam(
  params: ReadonlyMap<string, string>,
  name: string,
  { fallback, min, max }: { fallback: number; min: number; max: number },
): number {
  const text = params.get(name);
  if (text === undefined || text.trim() === '') return fallback;
  return clampInteger(
    text,
    min,
    max,
    () =>
      new CodedError(
        PluginChannelErrorCode.PLUGIN_BAD_PARAM,
        `param ${name} must be a number, not ${JSON.stringify(text)}`,
      ),
  );
}

/** Reads a command's integer argument, clamped to [min, max]; otherwise fails with PLUGIN_BAD_ARGUMENT. */
export function integerArgument(
  argument: string | undefined,
  command: string,
  { min, max }: { min: number; max: number },
): number {
  return clampInteger(
    argument ?? '',
    min,
    max,
    () =>
      new CodedError(
        PluginChannelErrorCode.PLUGIN_BAD_ARGUMENT,
        `${command} needs a number as its argument, not ${JSON.stringify(argument ?? '')}`,
      ),
  );
}

function clampInteger(text: string, min: number, max: number, invalid: () => Error): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw invalid();
  return Math.min(max, Math.max(min, Math.round(value)));
}
