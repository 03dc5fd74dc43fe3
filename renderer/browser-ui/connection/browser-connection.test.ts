import { describe, expect, it } from 'vitest';
import type { BrowserEvent } from '../../../protocol/interfaces/browser-state.ts';
import type { BrowserSnapshot } from './browser-state.ts';
import { connectToBrowser, type BrowserClient } from './browser-connection.ts';

/**
 * The browser's end of the UI channel, by hand, in the wire format (protocol/rpc/wire.ts):
 * requests [0, id, method, payload] in; responses [1, id, payload], errors [2, id, error] and
 * events [3, 'changed', event] out, through the page's `__labUiReceive`.
 */
class FakeBrowser {
  readonly scope: Record<string, unknown> = {};
  readonly requests: Array<{ id: number; method: string; payload: unknown }> = [];
  /** When set, requests wait here instead of being answered. */
  holdRequests = false;
  state: BrowserSnapshot = {
    tabs: [
      { id: 'tab-1', url: 'lab://live', title: 'Live page', rendererId: 'renderer-tab-1', pid: 42, state: 'live' },
    ],
    selectedTabId: 'tab-1',
    processes: [],
    gpuMode: 'hardware',
    processModel: 'process-per-tab',
    pluginHost: { running: true, recentCrashes: 0 },
    badMessages: 0,
    events: [{ type: 'tab-selected', seq: 4, at: 0, tabId: 'tab-1' }],
  };
  errors = new Map<string, { name: string; message: string; code?: string }>();

  constructor() {
    this.scope.__labUiSend = (text: string) => {
      const [, id, method, payload] = JSON.parse(text) as [number, number, string, unknown];
      this.requests.push({ id, method, payload });
      if (!this.holdRequests) this.answer(id, method);
    };
  }

  answer(id: number, method: string) {
    const error = this.errors.get(method);
    if (error) this.deliver([2, id, error]);
    else
      this.deliver([
        1,
        id,
        method === 'getState' ? structuredClone(this.state) : method === 'openTab' ? { tabId: 'tab-9' } : {},
      ]);
  }

  answerHeld() {
    this.holdRequests = false;
    for (const { id, method } of this.requests.splice(0)) this.answer(id, method);
  }

  emit(event: BrowserEvent) {
    this.deliver([3, 'changed', event]);
  }

  deliver(envelope: unknown[]) {
    (this.scope.__labUiReceive as (text: string) => void)(JSON.stringify(envelope));
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const quiet = { log: () => {} };
const selected = (seq: number, tabId: string): BrowserEvent => ({ type: 'tab-selected', seq, at: 0, tabId });

async function ready(client: BrowserClient) {
  for (let i = 0; i < 20 && client.getSnapshot().status !== 'ready'; i++) await tick();
  expect(client.getSnapshot().status).toBe('ready');
}

describe('connectToBrowser', () => {
  it('says so when the page has no shell', () => {
    const client = connectToBrowser({});
    expect(client.getSnapshot()).toMatchObject({ status: 'no-shell', browser: undefined });
    expect(client.getSnapshot().problem).toMatch(/__labUiSend/);
  });

  it('loads the state, then applies every changed event, telling subscribers', async () => {
    const browser = new FakeBrowser();
    const client = connectToBrowser(browser.scope, quiet);
    expect(client.getSnapshot().status).toBe('connecting');
    await ready(client);
    expect(browser.requests[0]).toMatchObject({ method: 'getState', payload: {} });
    let notified = 0;
    client.subscribe(() => notified++);
    browser.emit({ type: 'tab-changed', seq: 5, at: 0, tab: { ...browser.state.tabs[0]!, title: 'Renamed' } });
    expect(client.getSnapshot().browser?.tabs[0]?.title).toBe('Renamed');
    expect(notified).toBe(1);
  });

  it('holds events that arrive before the state and applies only the newer ones', async () => {
    const browser = new FakeBrowser();
    browser.holdRequests = true;
    const client = connectToBrowser(browser.scope, quiet);
    browser.emit(selected(4, 'tab-old')); // already in the state: ignored
    browser.emit(selected(5, 'tab-2'));
    browser.answerHeld();
    await ready(client);
    expect(client.getSnapshot().browser).toMatchObject({ selectedTabId: 'tab-2', lastSeq: 5 });
  });

  it('loads the state again after a gap in the events', async () => {
    const browser = new FakeBrowser();
    const client = connectToBrowser(browser.scope, quiet);
    await ready(client);
    browser.state = { ...browser.state, selectedTabId: 'tab-7', events: [selected(9, 'tab-7')] };
    browser.emit(selected(9, 'tab-7'));
    await tick();
    expect(browser.requests.filter((r) => r.method === 'getState')).toHaveLength(2);
    expect(client.getSnapshot().browser).toMatchObject({ selectedTabId: 'tab-7', lastSeq: 9 });
  });

  it('loads the state again after a message it could not read', async () => {
    const browser = new FakeBrowser();
    const client = connectToBrowser(browser.scope, quiet);
    await ready(client);
    browser.deliver([3, 'changed', { type: 'no-such-event', seq: 5, at: 0 }]);
    await tick();
    expect(browser.requests.filter((r) => r.method === 'getState')).toHaveLength(2);
  });

  it("keeps the browser's error code: call rejects, perform records it", async () => {
    const browser = new FakeBrowser();
    const client = connectToBrowser(browser.scope, quiet);
    await ready(client);
    browser.errors.set('omnibox', { name: 'UrlError', message: 'nope', code: 'URL_NOT_ALLOWED' });
    await expect(client.call('omnibox', { tabId: 'tab-1', text: 'file:///' })).rejects.toMatchObject({
      code: 'URL_NOT_ALLOWED',
      message: 'nope',
    });
    browser.errors.set('crashTab', { name: 'Error', message: 'There is no tab tab-5', code: 'NO_SUCH_TAB' });
    await expect(client.perform('crashTab', { tabId: 'tab-5' })).resolves.toBeUndefined();
    expect(client.getSnapshot().actionError).toMatchObject({
      method: 'crashTab',
      code: 'NO_SUCH_TAB',
      message: 'There is no tab tab-5',
    });
    client.dismissActionError();
    expect(client.getSnapshot().actionError).toBeUndefined();
    await expect(client.perform('openTab', { url: 'lab://live' })).resolves.toEqual({ tabId: 'tab-9' });
  });

  it('fails when the state does not come, and retries', async () => {
    const browser = new FakeBrowser();
    browser.errors.set('getState', { name: 'Error', message: 'not yet' });
    const client = connectToBrowser(browser.scope, quiet);
    for (let i = 0; i < 20 && client.getSnapshot().status === 'connecting'; i++) await tick();
    expect(client.getSnapshot()).toMatchObject({ status: 'failed' });
    expect(client.getSnapshot().problem).toMatch(/not yet/);
    browser.errors.delete('getState');
    client.retry();
    await ready(client);
  });
});
