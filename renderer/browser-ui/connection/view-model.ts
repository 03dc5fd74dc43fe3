/**
 * What the browser UI says, computed from its state: tab badges, the status line, the sad tab's
 * text, the process table's rows, and the CSS that shows the selected tab's frame. No DOM, no
 * React: unit-tested in Node (view-model.test.ts).
 */
import type { ExitReason, ProcessInfo, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { isEnded, processOfKind, type BrowserView } from './browser-state.ts';

/** Where the shell puts each tab's `<iframe data-lab-tab="<tabId>">`. */
export const TAB_CONTAINER_SELECTOR = '[data-tab-container]';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

// ---- tab strip ------------------------------------------------------------------------------------

export type BadgeTone = 'neutral' | 'crashed' | 'warning' | 'loading';

/** The small badge after a tab's title: which process it runs in, or that it has none. */
export function tabBadge(tab: TabInfo): { text: string; tone: BadgeTone; description: string } {
  switch (tab.state) {
    case 'crashed':
      return {
        text: 'crashed',
        tone: 'crashed',
        description: `Renderer process ended (${tab.crash?.code ?? 'crashed'})`,
      };
    case 'unresponsive':
      return {
        text: tab.pid === undefined ? 'not responding' : `pid ${tab.pid}`,
        tone: 'warning',
        description: `Not responding${tab.pid === undefined ? '' : `: renderer process pid ${tab.pid}`}`,
      };
    case 'loading':
      return tab.pid === undefined
        ? { text: 'starting', tone: 'loading', description: 'Loading; its renderer process is starting' }
        : { text: `pid ${tab.pid}`, tone: 'loading', description: `Loading in renderer process pid ${tab.pid}` };
    case 'live':
      return tab.pid === undefined
        ? { text: 'no pid', tone: 'neutral', description: 'Renderer process pid unknown' }
        : { text: `pid ${tab.pid}`, tone: 'neutral', description: `Renderer process pid ${tab.pid}` };
  }
}

/** The tab's title as the strip shows it; a tab always has a name. */
export function tabTitle(tab: TabInfo): string {
  return tab.title.trim() || tab.url || 'Untitled';
}

// ---- status line -----------------------------------------------------------------------------------

/** "Hardware compositing · GPU pid 123 · 1 restart", "Software compositing (the GPU process crashed 3 times …)". */
export function compositingStatus(view: BrowserView): string {
  const gpu = processOfKind(view, 'gpu');
  if (view.gpuMode === 'software') {
    return view.gpuModeReason ? `Software compositing (${view.gpuModeReason})` : 'Software compositing';
  }
  const parts = ['Hardware compositing'];
  if (!gpu) {
    parts.push('no GPU process yet');
  } else {
    if (isEnded(gpu.state)) parts.push('GPU process restarting');
    else if (gpu.state === 'starting') parts.push('GPU process starting');
    else if (gpu.pid !== undefined)
      parts.push(`GPU pid ${gpu.pid}${gpu.state === 'unresponsive' ? ' (not responding)' : ''}`);
    if (gpu.restarts > 0) parts.push(plural(gpu.restarts, 'restart'));
  }
  return parts.join(' · ');
}

export function pluginHostStatus(view: BrowserView): string {
  const host = processOfKind(view, 'plugin-host');
  if (!host) return 'No plugin host';
  if (isEnded(host.state)) return host.state === 'exited' ? 'Plugin host exited' : 'Plugin host crashed';
  if (host.state === 'starting') return 'Plugin host starting';
  const pid = host.pid === undefined ? '' : ` pid ${host.pid}`;
  return host.state === 'unresponsive' ? `Plugin host${pid} not responding` : `Plugin host${pid}`;
}

export function processModelLabel(view: BrowserView): string {
  return view.processModel === 'process-per-site' ? 'Process per site' : 'Process per tab';
}

/**
 * "Sandbox: on", or "Sandbox: off (running as root)" with the shell's reason; undefined when the
 * shell did not say. The same words as the shell's start line (main/node/sandbox.ts sandboxSummary).
 */
export function sandboxStatus(view: BrowserView): { readonly text: string; readonly on: boolean } | undefined {
  if (!view.sandbox) return undefined;
  return view.sandbox.enabled
    ? { text: 'Sandbox: on', on: true }
    : { text: `Sandbox: off (${view.sandbox.reason ?? 'reason not given'})`, on: false };
}

/** Set when the plugin host has ended: the infobar that offers to restart it. */
export function pluginHostNotice(view: BrowserView): { recentCrashes: number } | undefined {
  const host = processOfKind(view, 'plugin-host');
  return host && isEnded(host.state) ? { recentCrashes: view.pluginHost.recentCrashes } : undefined;
}

// ---- sad tab ------------------------------------------------------------------------------------------

export interface SadTabText {
  readonly heading: string;
  readonly message: string;
  /** Why the renderer ended, in words. */
  readonly reason: string;
  /** "Error code: SIGKILL". */
  readonly code: string;
  /** For a bad message: what the browser refused, when the event is still in the history. */
  readonly detail?: string;
}

function processWords(tab: TabInfo): string {
  return tab.pid === undefined ? 'its renderer process' : `its renderer process (pid ${tab.pid})`;
}

function reasonText(reason: ExitReason, tab: TabInfo, code: string): string {
  const process = processWords(tab);
  if (code === 'RESULT_CODE_HUNG') return `The page stopped responding, and the browser ended ${process}.`;
  switch (reason) {
    case 'bad-message':
      return `The browser ended ${process} because it sent a malformed message.`;
    case 'killed':
      return `${capitalize(process)} was killed.`;
    case 'oom':
      return `${capitalize(process)} ran out of memory.`;
    case 'launch-failed':
      return `${capitalize(process)} failed to start.`;
    case 'clean-exit':
      return `${capitalize(process)} exited.`;
    case 'abnormal-exit':
      return `${capitalize(process)} exited unexpectedly.`;
    case 'crashed':
      return `${capitalize(process)} crashed.`;
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What Chrome's sad tab would say for this tab (sad_tab.cc), with the lab's own detail. */
export function sadTabText(tab: TabInfo, view?: BrowserView): SadTabText {
  const crash = tab.crash;
  const reason = crash?.reason ?? 'crashed';
  const code = crash?.code ?? 'RESULT_CODE_CRASHED';
  const badMessage =
    reason === 'bad-message' && view
      ? view.events.findLast((event) => event.type === 'bad-message' && event.processId === tab.rendererId)
      : undefined;
  const detail =
    badMessage?.type === 'bad-message'
      ? badMessage.reason.startsWith(`${badMessage.interface}.`)
        ? badMessage.reason
        : `${badMessage.interface}: ${badMessage.reason}`
      : undefined;
  const extra = { code: `Error code: ${code}`, ...(detail ? { detail } : {}) };
  if (reason === 'bad-message') {
    return {
      heading: crash?.repeated ? 'Aw, Snap! This page crashed again' : 'Aw, Snap!',
      message: 'The renderer was ended for sending a malformed message.',
      reason: `A message from ${processWords(tab)} failed validation, so the browser ended the process, as Chrome's bad_message::ReceivedBadMessage does. The other tabs keep running.`,
      ...extra,
    };
  }
  if (reason === 'oom') {
    // Chrome's sad tab for a renderer out of memory (sad_tab.cc: "Out of memory" as the error code).
    return {
      heading: crash?.repeated ? 'Aw, Snap! This page ran out of memory again' : 'Aw, Snap!',
      message: 'Out of memory: this page used more memory than a tab may have.',
      reason: `${capitalize(processWords(tab))} went over the browser's memory cap for a renderer, so the browser ended it. The other tabs keep running.`,
      ...extra,
    };
  }
  if (crash?.repeated) {
    return {
      heading: 'Aw, Snap! This page crashed again',
      message:
        'It crashed twice within 10 seconds. Reloading starts a new renderer process; the other tabs keep running.',
      reason: reasonText(reason, tab, code),
      ...extra,
    };
  }
  return {
    heading: 'Aw, Snap!',
    message: 'Something went wrong while displaying this webpage.',
    reason: reasonText(reason, tab, code),
    ...extra,
  };
}

// ---- processes ---------------------------------------------------------------------------------------

/** A process's state for people: 'not responding', 'killed (bad message, SIGKILL)'. */
export function stateText(process: ProcessInfo): string {
  if (!isEnded(process.state)) return process.state === 'unresponsive' ? 'not responding' : process.state;
  const how = process.exitSignal ?? (process.exitCode === undefined ? undefined : `code ${process.exitCode}`);
  const why = process.exitReason === 'bad-message' ? 'bad message' : undefined;
  const extra = [why, how].filter(Boolean).join(', ');
  return extra ? `${process.state} (${extra})` : process.state;
}

// ---- the tab frames ----------------------------------------------------------------------------------

/** A CSS string literal of any text: everything but [A-Za-z0-9_-] as a hex escape. */
export function cssString(text: string): string {
  let out = '"';
  for (const char of text) {
    out += /^[A-Za-z0-9_-]$/.test(char) ? char : `\\${char.codePointAt(0)!.toString(16)} `;
  }
  return `${out}"`;
}

/**
 * The CSS that lays out the shell's tab frames: all stacked and hidden, the selected one visible.
 * `visibility`, never `display: none`: a hidden tab keeps running and keeps its layout.
 */
export function tabFrameCss(selectedTabId: string | undefined): string {
  const frames = `${TAB_CONTAINER_SELECTOR} > iframe`;
  const base = `${frames} { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; margin: 0; background: #fff; visibility: hidden; z-index: 0; }`;
  if (selectedTabId === undefined) return base;
  return `${base}\n${frames}[data-lab-tab=${cssString(selectedTabId)}] { visibility: visible; z-index: 1; }`;
}
