/**
 * Plugins embedded in the page, run out of process in the plugin host. Each element
 *
 *   <div data-plugin="clock" data-plugin-params="intervalMs=500&style=face"></div>
 *
 * gets an instance over the tab's direct channel to the plugin host (brokered by the browser:
 * `requestPluginChannel`), and shows what the instance renders: text, or a display list replayed on
 * a small canvas. A button inside the element with `data-plugin-command="crash"` (and optionally
 * `data-plugin-argument="3000"`) sends that command to the element's instance.
 *
 * When the plugin host dies its channel closes: every embed shows a placeholder (role="status",
 * "Plugin crashed" and the plugin's name) and the page itself keeps running. When the browser says
 * the host is back (`pluginHostChanged {running: true}`), the page asks for a channel again and
 * recreates its instances.
 *
 * Visible to tests and the UI: on <html>, data-plugin-host ('connecting' | 'connected' | 'crashed' |
 * 'down' | 'offline') and data-plugin-host-pid; on every embed, data-plugin-state ('loading' |
 * 'running' | 'crashed' | 'down' | 'offline' | 'error').
 */
import type { Static } from '../../protocol/rpc/schema.ts';
import { PluginChannel, PluginChannelClient, PluginContent } from '../../protocol/interfaces/tab-plugin.ts';
import type { Connection } from '../../protocol/rpc/endpoint.ts';
import { RpcErrorCode } from '../../protocol/rpc/errors.ts';
import { TabHostErrorCode } from '../../protocol/interfaces/browser-tab.ts';
import { Backoff } from './backoff.ts';
import type { BrowserConnection } from './browser-channel.ts';
import { openDirectChannel } from './direct-channel.ts';
import { replayOnCanvas } from './software-raster.ts';

type PluginConnection = Connection<typeof PluginChannelClient, typeof PluginChannel>;
type Content = Static<typeof PluginContent>;
export type EmbedState = 'loading' | 'running' | 'crashed' | 'down' | 'offline' | 'error';
export type PluginHostState = 'connecting' | 'connected' | 'crashed' | 'down' | 'offline';

const REQUEST_TIMEOUT_MS = 15_000;
/** A command may legitimately run long (cpu-hog's spin takes up to 60 s). */
const COMMAND_TIMEOUT_MS = 65_000;
const MAX_PARAMS = 16;

/** One `[data-plugin]` element and its instance. */
class Embed {
  readonly plugin: string;
  readonly instanceId: string;
  readonly params: { name: string; value: string }[];
  private readonly output: HTMLElement;
  private readonly result: HTMLElement;
  private placeholder: HTMLElement | undefined;
  private renderFailureLogged = false;

  constructor(
    readonly element: HTMLElement,
    index: number,
    private readonly sendCommand: (
      embed: Embed,
      command: string,
      argument: string | undefined,
    ) => Promise<string | undefined>,
  ) {
    this.plugin = (element.dataset.plugin ?? '').slice(0, 64);
    this.instanceId = `${label(this.plugin)}-${index + 1}`;
    this.params = parseParams(element.dataset.pluginParams ?? '');
    this.output = el('div', 'plugin-output');
    this.output.setAttribute('aria-label', `${this.plugin} plugin`);
    this.result = el('p', 'plugin-result');
    this.result.setAttribute('aria-live', 'polite');
    element.classList.add('plugin-embed');
    element.prepend(this.output);
    element.append(this.result);
    element.addEventListener('click', (event) => this.onClick(event));
  }

  setState(state: EmbedState, notice?: string): void {
    this.element.dataset.pluginState = state;
    for (const button of this.commandButtons()) button.disabled = state !== 'running';
    if (state === 'crashed') return this.showPlaceholder();
    this.placeholder?.remove();
    this.placeholder = undefined;
    this.output.hidden = false;
    if (notice !== undefined) this.showText(notice, 'plugin-notice');
  }

  render(content: Content): void {
    if (this.element.dataset.pluginState !== 'running') return;
    if (content.kind === 'text') return this.showText(content.text, 'plugin-text');
    let canvas = this.output.querySelector<HTMLCanvasElement>(':scope > canvas');
    if (!canvas) {
      canvas = document.createElement('canvas');
      canvas.className = 'plugin-canvas';
      this.output.replaceChildren(canvas);
    }
    try {
      replayOnCanvas(canvas, content.list);
      this.renderFailureLogged = false;
    } catch (error) {
      if (!this.renderFailureLogged)
        console.warn(`[tab-runtime] ${this.instanceId}: could not draw its content: ${(error as Error).message}`);
      this.renderFailureLogged = true;
    }
  }

  private showText(text: string, className: string): void {
    let paragraph = this.output.querySelector<HTMLElement>(':scope > p');
    if (!paragraph) {
      paragraph = document.createElement('p');
      this.output.replaceChildren(paragraph);
    }
    paragraph.className = className;
    paragraph.textContent = text;
  }

  private showPlaceholder(): void {
    this.output.hidden = true;
    this.result.textContent = '';
    if (this.placeholder) return;
    const placeholder = el('div', 'plugin-placeholder');
    placeholder.setAttribute('role', 'status');
    const title = el('strong', 'plugin-placeholder-title');
    title.textContent = 'Plugin crashed';
    const name = el('span', 'plugin-placeholder-name');
    name.textContent = this.plugin;
    const detail = el('span', 'plugin-placeholder-detail');
    detail.textContent =
      'The plugin host stopped. This page keeps running; the plugin comes back when the host restarts.';
    placeholder.append(title, ' ', name, ' ', detail);
    this.output.after(placeholder);
    this.placeholder = placeholder;
  }

  private commandButtons(): HTMLButtonElement[] {
    return [...this.element.querySelectorAll<HTMLButtonElement>('button[data-plugin-command]')];
  }

  private onClick(event: Event): void {
    const button = (event.target as Element | null)?.closest<HTMLElement>('[data-plugin-command]');
    if (!button || !this.element.contains(button)) return;
    const command = button.dataset.pluginCommand ?? '';
    const argument = button.dataset.pluginArgument;
    const disable = (busy: boolean) => {
      if (button instanceof HTMLButtonElement) button.disabled = busy || this.element.dataset.pluginState !== 'running';
      button.toggleAttribute('aria-busy', busy);
    };
    disable(true);
    this.result.textContent = `${command}${argument === undefined ? '' : ` ${argument}`}…`;
    this.sendCommand(this, command, argument)
      .then(
        (result) => {
          this.result.textContent = `${command}: ${result ?? 'done'}`;
        },
        (error: unknown) => {
          // The host went away under the command (the crasher's point): the placeholder says it all.
          if ((error as { code?: unknown })?.code === RpcErrorCode.RPC_CLOSED) this.result.textContent = '';
          else this.result.textContent = `${command} failed: ${(error as Error)?.message ?? String(error)}`;
        },
      )
      .finally(() => disable(false));
  }
}

export class PluginEmbeds {
  private readonly embeds: Embed[];
  private readonly byId = new Map<string, Embed>();
  private channel: PluginConnection | undefined;
  private pending: AbortController | undefined;
  private readonly retry = new Backoff(1000, 10_000);
  private readonly status: HTMLElement;
  private crashed = false;

  constructor(
    elements: Iterable<HTMLElement>,
    private readonly browser: BrowserConnection | undefined,
    status: HTMLElement = document.documentElement,
  ) {
    this.status = status;
    this.embeds = [...elements].map(
      (element, index) =>
        new Embed(element, index, (embed, command, argument) => this.command(embed, command, argument)),
    );
    for (const embed of this.embeds) this.byId.set(embed.instanceId, embed);
    if (!browser) {
      this.setHost('offline');
      for (const embed of this.embeds)
        embed.setState(
          'offline',
          'Plugins run in the plugin host, through the browser: this page is not served by the shell.',
        );
      return;
    }
    browser.on('pluginHostChanged', ({ running }) => {
      if (running) void this.connect();
      else this.onHostGone(this.channel);
    });
    void this.connect();
  }

  /** The embeds' instance ids, in page order. */
  get instanceIds(): string[] {
    return this.embeds.map((embed) => embed.instanceId);
  }

  /** Asks the browser for a channel to the plugin host and creates every instance; the newest call wins. */
  private async connect(): Promise<void> {
    const browser = this.browser!;
    this.retry.cancel();
    this.pending?.abort(new Error('a newer plugin channel request replaced this one'));
    const request = new AbortController();
    this.pending = request;
    this.closeChannel('the page asked for a new plugin channel');
    this.setHost('connecting');
    // A crash placeholder stays up until the instances are back.
    if (!this.crashed) for (const embed of this.embeds) embed.setState('loading', `Starting ${embed.plugin}…`);
    try {
      const grant = await browser.remote.requestPluginChannel(
        {},
        { timeoutMs: REQUEST_TIMEOUT_MS, signal: request.signal },
      );
      if (request.signal.aborted) return;
      const { hostPid } = grant;
      const channel = await openDirectChannel({
        channel: grant.channel,
        local: PluginChannelClient,
        remote: PluginChannel,
        peer: { process: 'plugin-host', pid: hostPid },
        signal: request.signal,
      });
      if (request.signal.aborted) return channel.close('replaced by a newer request');
      this.channel = channel;
      this.retry.succeeded();
      this.crashed = false;
      this.setHost('connected', hostPid);
      channel.onDidClose(() => this.onHostGone(channel));
      channel.on('render', ({ instanceId, content }) => this.byId.get(instanceId)?.render(content));
      await Promise.all(this.embeds.map((embed) => this.create(channel, embed)));
    } catch (error) {
      if (request.signal.aborted) return;
      if ((error as { code?: unknown })?.code === TabHostErrorCode.PLUGIN_HOST_DOWN) {
        // Not running (it crashed, or is not started): the browser says when it is back.
        this.setHost(this.crashed ? 'crashed' : 'down');
        if (!this.crashed) for (const embed of this.embeds) embed.setState('down', 'The plugin host is not running.');
        return;
      }
      console.warn(
        `[tab-runtime] no plugin channel: ${(error as Error)?.message ?? String(error)}; asking again shortly`,
      );
      this.setHost(this.crashed ? 'crashed' : 'down');
      this.retry.schedule(() => void this.connect());
    } finally {
      if (this.pending === request) this.pending = undefined;
    }
  }

  private async create(channel: PluginConnection, embed: Embed): Promise<void> {
    // Running before the call: the instance's first render arrives right after the answer.
    embed.setState('running');
    try {
      await channel.remote.createInstance({ instanceId: embed.instanceId, plugin: embed.plugin, params: embed.params });
    } catch (error) {
      if (channel.closed) return; // the host died meanwhile: the close handler shows the placeholders
      embed.setState('error', `Could not start ${embed.plugin}: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** The host died (its channel closed, or the browser said so): placeholders everywhere. */
  private onHostGone(channel: PluginConnection | undefined): void {
    if (channel !== this.channel) return;
    this.pending?.abort(new Error('the plugin host is gone'));
    this.retry.cancel();
    this.closeChannel('the plugin host is gone');
    this.crashed = true;
    this.setHost('crashed');
    for (const embed of this.embeds) embed.setState('crashed');
  }

  private command(embed: Embed, command: string, argument: string | undefined): Promise<string | undefined> {
    const channel = this.channel;
    if (!channel || channel.closed) return Promise.reject(new Error('the plugin host is not connected'));
    const request =
      argument === undefined
        ? { instanceId: embed.instanceId, command }
        : { instanceId: embed.instanceId, command, argument };
    return channel.remote.command(request, { timeoutMs: COMMAND_TIMEOUT_MS }).then(({ result }) => result);
  }

  private closeChannel(reason: string): void {
    const channel = this.channel;
    this.channel = undefined;
    channel?.close(reason);
  }

  private setHost(state: PluginHostState, pid?: number): void {
    this.status.dataset.pluginHost = state;
    if (pid === undefined) delete this.status.dataset.pluginHostPid;
    else this.status.dataset.pluginHostPid = String(pid);
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  return element;
}

/** A plugin name as an instance-id prefix. */
function label(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 48) || 'plugin'
  );
}

/** `intervalMs=500&style=text` as the protocol's params (URL query syntax; limits applied). */
function parseParams(text: string): { name: string; value: string }[] {
  const params = [...new URLSearchParams(text)].map(([name, value]) => ({
    name: name.slice(0, 32),
    value: value.slice(0, 256),
  }));
  if (params.length > MAX_PARAMS)
    console.warn(`[tab-runtime] a plugin takes at most ${MAX_PARAMS} params; the rest are ignored`);
  return params.slice(0, MAX_PARAMS);
}
