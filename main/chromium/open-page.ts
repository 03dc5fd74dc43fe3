/**
 * Opens a top-level page (the browser UI) over raw CDP and hands back its session once loaded.
 */
import type { CdpConnection, CdpSession } from './cdp-connection.ts';

export async function openPage(
  connection: CdpConnection,
  url: string,
  { timeoutMs = 10_000 } = {},
): Promise<CdpSession> {
  const { targetId } = await connection.root.send('Target.createTarget', { url: 'about:blank' });
  const session = await connection.attach(targetId);
  await session.send('Page.enable');
  let stop = () => {};
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${url} did not load within ${timeoutMs} ms`)), timeoutMs);
    const unsubscribe = session.on('Page.loadEventFired', () => resolve());
    stop = () => {
      clearTimeout(timer);
      unsubscribe();
    };
  });
  loaded.catch(() => {}); // awaited below; this only keeps an early timeout from being "unhandled"
  try {
    const { errorText } = await session.send('Page.navigate', { url });
    if (errorText) throw new Error(`${url} failed to load: ${errorText}`);
    await loaded;
  } finally {
    stop();
  }
  return session;
}
