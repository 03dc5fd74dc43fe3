/**
 * One tab's plugin instances, and the wall between plugin code and the host: everything a plugin
 * does (create, commands, timer callbacks, destroy) runs inside a guard, so what it throws fails
 * that one call (the tab gets a RemoteError) or is logged, and the host goes on serving. Its timers
 * and renders end with it. One process can only do so much: a plugin that spins or aborts takes the
 * whole host with it (see plugins/cpu-hog.ts, plugins/crasher.ts), which is why the host is a
 * process of its own.
 */
import { PluginChannel, PluginContent as PluginContentSchema } from '../protocol/interfaces/tab-plugin.ts';
import { serializeError } from '../protocol/rpc/errors.ts';
import { compileChecker } from '../protocol/rpc/schema.ts';
import {
  CodedError,
  PluginChannelErrorCode,
  type Plugin,
  type PluginContent,
  type PluginContext,
  type PluginInstance,
} from './plugin.ts';
import type { PluginRegistry } from './plugin-registry.ts';

export interface PluginInstancesOptions {
  readonly registry: PluginRegistry;
  /** Whose instances these are, for logs: the tab's identity, e.g. `tab#t1`. */
  readonly owner: string;
  /** Sends an instance's new content to the tab. */
  readonly render: (instanceId: string, content: PluginContent) => void;
  /** Where plugin failures nobody called for (timers, destroy) are written; stderr by default. */
  readonly log?: (line: string) => void;
}

/** The wire's bounds on an error (protocol/rpc/wire.ts): a plugin's error is cut to fit them. */
const MAX_ERROR_NAME = 128;
const MAX_ERROR_TEXT = 64 * 1024;
const contentChecker = compileChecker(PluginContentSchema);
const resultChecker = compileChecker(PluginChannel.methods.command.response);

export class PluginInstances {
  private readonly live = new Map<string, LiveInstance>();
  private readonly log: (line: string) => void;

  constructor(private readonly options: PluginInstancesOptions) {
    this.log = options.log ?? ((line) => console.error(line));
  }

  get size(): number {
    return this.live.size;
  }

  /** Creates an instance of `pluginName` called `instanceId`. */
  create(instanceId: string, pluginName: string, params: ReadonlyArray<{ name: string; value: string }> = []): void {
    if (this.live.has(instanceId)) {
      throw new CodedError(
        PluginChannelErrorCode.PLUGIN_DUPLICATE_INSTANCE,
        `${this.options.owner} already has an instance called ${JSON.stringify(instanceId)}`,
      );
    }
    const plugin = this.options.registry.get(pluginName);
    const scope = new InstanceScope(
      `[plugin-host] ${this.options.owner} ${plugin.name}#${instanceId}`,
      instanceId,
      new Map(params.map(({ name, value }) => [name, value])),
      (content) => this.options.render(instanceId, content),
      this.log,
    );
    let instance: PluginInstance;
    try {
      instance = plugin.create(scope.context);
      if (typeof instance !== 'object' || instance === null)
        throw new TypeError(`${plugin.name}.create returned no instance`);
    } catch (error) {
      scope.end();
      throw pluginFailure(error);
    }
    this.live.set(instanceId, { plugin, instance, scope });
    scope.open();
  }

  /** Destroys an instance: its timers stop, its renders are dropped, its `destroy` runs. */
  destroy(instanceId: string): void {
    const live = this.get(instanceId);
    this.live.delete(instanceId);
    this.end(live);
  }

  /** Destroys every instance (the tab's channel closed). */
  destroyAll(): void {
    const all = [...this.live.values()];
    this.live.clear();
    for (const live of all) this.end(live);
  }

  /**
   * Runs a command of an instance. `callSignal` is the caller's (timeout, cancel); the command's
   * signal also aborts when the instance is destroyed, and then the call fails with PLUGIN_NO_INSTANCE.
   */
  async command(
    instanceId: string,
    command: string,
    argument: string | undefined,
    callSignal?: AbortSignal,
  ): Promise<{ result?: string }> {
    const live = this.get(instanceId);
    const commands = live.instance.commands ?? {};
    const handler = Object.hasOwn(commands, command) ? commands[command] : undefined;
    if (typeof handler !== 'function') {
      const known = Object.keys(commands).join(', ') || 'none';
      throw new CodedError(
        PluginChannelErrorCode.PLUGIN_UNKNOWN_COMMAND,
        `${live.plugin.name} has no command ${JSON.stringify(command)}; its commands: ${known}`,
      );
    }
    const controller = new AbortController();
    const onDestroy = () =>
      controller.abort(
        new CodedError(
          PluginChannelErrorCode.PLUGIN_NO_INSTANCE,
          `instance ${JSON.stringify(instanceId)} was destroyed while ${command} ran`,
        ),
      );
    const onCallAbort = () => controller.abort(callSignal?.reason);
    live.scope.signal.addEventListener('abort', onDestroy, { once: true });
    callSignal?.addEventListener('abort', onCallAbort, { once: true });
    try {
      const running = new Promise<string | void>((resolve) =>
        resolve(handler.call(commands, argument, controller.signal)),
      );
      const ended = new Promise<never>((_, reject) =>
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
      );
      const result = await Promise.race([running, ended]).catch((error: unknown) => {
        throw controller.signal.aborted && error === controller.signal.reason ? error : pluginFailure(error);
      });
      const answer = result === undefined ? {} : { result };
      if (!resultChecker.check(answer)) {
        throw new CodedError(
          PluginChannelErrorCode.PLUGIN_BAD_RESULT,
          `${live.plugin.name}.${command} returned what a command cannot: ${resultChecker.explain(answer)}`,
        );
      }
      return answer;
    } finally {
      live.scope.signal.removeEventListener('abort', onDestroy);
      callSignal?.removeEventListener('abort', onCallAbort);
    }
  }

  private get(instanceId: string): LiveInstance {
    const live = this.live.get(instanceId);
    if (live) return live;
    throw new CodedError(
      PluginChannelErrorCode.PLUGIN_NO_INSTANCE,
      `${this.options.owner} has no instance called ${JSON.stringify(instanceId)}`,
    );
  }

  private end({ instance, scope }: LiveInstance): void {
    scope.end();
    try {
      instance.destroy?.();
    } catch (error) {
      this.log(`${scope.label}: destroy threw: ${describeError(error)}`);
    }
  }
}

interface LiveInstance {
  readonly plugin: Plugin;
  readonly instance: PluginInstance;
  readonly scope: InstanceScope;
}

/**
 * What one instance holds in the host: its context, timers, and render gate. Renders made while
 * `create` runs wait until just after createInstance is answered, so the tab hears of the instance
 * before it sees its content.
 */
class InstanceScope {
  private readonly controller = new AbortController();
  private readonly timers = new Set<() => void>();
  private state: 'creating' | 'opening' | 'open' | 'ended' = 'creating';
  private held: PluginContent | undefined;
  readonly context: PluginContext;

  constructor(
    readonly label: string,
    instanceId: string,
    params: ReadonlyMap<string, string>,
    private readonly send: (content: PluginContent) => void,
    private readonly log: (line: string) => void,
  ) {
    this.context = {
      instanceId,
      params,
      signal: this.controller.signal,
      render: (content) => this.render(content),
      setInterval: (callback, ms) => this.timer(callback, ms, false),
      setTimeout: (callback, ms) => this.timer(callback, ms, true),
      log: (message) => this.log(`${label}: ${String(message)}`),
    };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The instance exists: send what it rendered while being created, once its creation is answered. */
  open(): void {
    if (this.state !== 'creating') return;
    this.state = 'opening';
    setImmediate(() => {
      if (this.state !== 'opening') return;
      this.state = 'open';
      const held = this.held;
      this.held = undefined;
      if (held) this.send(held);
    });
  }

  end(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.held = undefined;
    for (const stop of this.timers) stop();
    this.timers.clear();
    this.controller.abort(new Error(`${this.label} was destroyed`));
  }

  private render(content: PluginContent): void {
    if (!contentChecker.check(content))
      throw new TypeError(`render: content does not fit the protocol: ${contentChecker.explain(content)}`);
    if (this.state === 'open') this.send(content);
    else if (this.state !== 'ended') this.held = content; // only the latest matters
  }

  private timer(callback: () => void, ms: number, once: boolean): () => void {
    if (this.state === 'ended') return () => {};
    const run = () => {
      if (once) this.timers.delete(stop);
      try {
        callback();
      } catch (error) {
        this.log(`${this.label}: a timer callback threw: ${describeError(error)}`);
      }
    };
    const handle = once ? setTimeout(run, ms) : setInterval(run, ms);
    const stop = () => {
      if (once) clearTimeout(handle);
      else clearInterval(handle);
      this.timers.delete(stop);
    };
    this.timers.add(stop);
    return stop;
  }
}

/** A plugin's error as the caller will get it: name, message, code and stack, cut to the wire's bounds. */
function pluginFailure(error: unknown): Error {
  try {
    const { name, message, code, stack } = serializeError(error);
    const text = String(message).slice(0, MAX_ERROR_TEXT);
    const failure =
      typeof code === 'string' && code !== '' ? new CodedError(code.slice(0, MAX_ERROR_NAME), text) : new Error(text);
    failure.name = String(name).slice(0, MAX_ERROR_NAME) || 'Error';
    failure.stack = typeof stack === 'string' ? stack.slice(0, MAX_ERROR_TEXT) : `${failure.name}: ${failure.message}`;
    return failure;
  } catch {
    return new Error('the plugin threw something that cannot be described');
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  } catch {
    return 'something that cannot be described';
  }
}
