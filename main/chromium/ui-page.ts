/**
 * The browser UI page in the Chromium shell: a top-level page on the app server whose scripts reach
 * the browser process through a CDP binding (`__labUiSend`) and hear back through `__labUiReceive`
 * (the same two functions the Electron preload exposes). Each document of the page gets its own
 * channel: reloading the UI (F5) reconnects it, and the old document can no longer be answered.
 */
import { UI_CHANNEL_NAMES } from '../../protocol/transport/string-channel.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import type { CdpConnection, CdpSession } from './cdp-connection.ts';
import { TabPageChannel } from './tab-page-channel.ts';

/** Hands a message to the page's receiver (called with the page's global object as its scope). */
const DELIVER = `function (text) { globalThis.${UI_CHANNEL_NAMES.receive}?.(text); }`;

export interface UiPage {
  readonly session: CdpSession;
}

/**
 * Opens `url` as the UI page. `onDocument` is called for every document that loads, with the
 * transport to it; the transport closes when that document goes away.
 */
export async function openUiPage(
  connection: CdpConnection,
  url: string,
  onDocument: (transport: Transport) => void,
): Promise<UiPage> {
  // Use the window Chromium opened with (headful: the one the user sees), else open one.
  const { targetInfos } = await connection.root.send('Target.getTargets');
  const blank = targetInfos.find((target) => target.type === 'page' && target.url === 'about:blank');
  const targetId =
    blank?.targetId ?? (await connection.root.send('Target.createTarget', { url: 'about:blank' })).targetId;
  const session = await connection.attach(targetId);
  const { frameTree } = await session.send('Page.getFrameTree');
  const mainFrameId = frameTree.frame.id;
  let current: { contextId: number; channel: TabPageChannel } | undefined;

  session.on('Runtime.executionContextCreated', ({ context }) => {
    const aux = context.auxData as { isDefault?: boolean; frameId?: string } | undefined;
    if (!aux?.isDefault || aux.frameId !== mainFrameId || !context.origin.startsWith('http')) return;
    current?.channel.close();
    const contextId = context.id;
    // The message goes as the call's argument, not spliced into an expression: the CDP message then
    // JSON-encodes it once, where a string literal in an expression was escaped twice over (a large
    // getTrace answer is mostly quotes).
    const channel = new TabPageChannel((text) => {
      void session
        .send('Runtime.callFunctionOn', {
          functionDeclaration: DELIVER,
          executionContextId: contextId,
          arguments: [{ value: text }],
        })
        .catch(() => {}); // the document went away meanwhile
    });
    current = { contextId, channel };
    onDocument(channel.transport({ process: 'ui' }));
  });
  session.on('Runtime.executionContextsCleared', () => {
    current?.channel.close();
    current = undefined;
  });
  session.on('Runtime.bindingCalled', ({ name, payload, executionContextId }) => {
    if (name === UI_CHANNEL_NAMES.send && current?.contextId === executionContextId) current.channel.receive(payload);
  });

  await Promise.all([
    session.send('Page.enable'),
    session.send('Runtime.enable'),
    session.send('Runtime.addBinding', { name: UI_CHANNEL_NAMES.send }),
  ]);
  // Tabs are mounted into the page's tab container: wait until the page has loaded and built it.
  const loaded = new Promise<void>((resolve) => {
    const stop = session.on('Page.loadEventFired', () => {
      stop();
      resolve();
    });
  });
  const { errorText } = await session.send('Page.navigate', { url });
  if (errorText) throw new Error(`The browser UI at ${url} failed to load: ${errorText}`);
  await Promise.race([
    loaded,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`The browser UI at ${url} did not load in 10 s`)), 10_000),
    ),
  ]);
  return { session };
}
