// The DOM-side adapters (windowTransport, domMessagePortTransport) and the RPC layer in a real
// headless Chromium, across real origins, under a CSP without 'unsafe-eval'. The pages are in
// ./testing/ and are bundled here at test time; the top page runs the checks and this file reads
// what the pages found. See ./testing/browser-checks.ts for what each page reports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, CDPSession, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage, launchChromium } from './testing/chromium-pages.ts';
import { FORGED, type FrameState, type TopResults } from './testing/browser-checks.ts';

const ENTRIES = ['window-page', 'frame-page', 'rogue-page', 'control-page'] as const;
const CSP = "default-src 'self'; script-src 'self'";

const html = (script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${script}</title></head>` +
  `<body><script type="module" src="/${script}.js"></script></body></html>`;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

let browser: Browser | undefined;
let page: Page;
const servers: http.Server[] = [];
let topOrigin = '';
let frameOrigin = '';
let thirdOrigin = '';
let results: TopResults;
let frameState: FrameState;
interface ControlResult {
  parsed: boolean;
  directive: string;
  frameDirective: string;
}
let control: ControlResult;
/** Console messages about CSP, and page errors, from every page and frame. */
const cspConsole: string[] = [];
const pageErrors: string[] = [];
/** CSP issues Chromium recorded, in the pages under test and in the negative control. */
let issues: string[] = [];
let controlIssues: string[] = [];
const timings: Record<string, number> = {};

beforeAll(async () => {
  let start = performance.now();
  const bundles = await Promise.all(ENTRIES.map(async (entry) => [`/${entry}.js`, await bundlePage(entry)] as const));
  const scripts = new Map<string, string>(bundles);
  timings.bundle = performance.now() - start;

  // Two servers: one port gives two origins (127.0.0.1 and localhost), the other a third.
  const handler: http.RequestListener = (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const headers: Record<string, string> = { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' };
    const script = scripts.get(url.pathname);
    const entry = {
      '/': 'window-page',
      '/frame.html': 'frame-page',
      '/rogue.html': 'rogue-page',
      '/control.html': 'control-page',
    }[url.pathname];
    // Pages may embed the other origins' frames; nothing else is loosened.
    if (entry !== undefined) headers['Content-Security-Policy'] = `${CSP}; frame-src ${frameOrigin} ${thirdOrigin}`;
    if (script !== undefined) {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (entry !== undefined) {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(html(entry));
    } else {
      response.writeHead(404, headers).end();
    }
  };
  servers.push(http.createServer(handler), http.createServer(handler));
  const [port, thirdPort] = await Promise.all(servers.map(listen));
  topOrigin = `http://127.0.0.1:${port}`;
  frameOrigin = `http://localhost:${port}`;
  thirdOrigin = `http://127.0.0.1:${thirdPort}`;

  start = performance.now();
  browser = await launchChromium([
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ]);
  timings.launch = performance.now() - start;

  start = performance.now();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (/content security policy|unsafe-eval|refused to/i.test(message.text())) cspConsole.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(`${topOrigin}/?frame=${encodeURIComponent(frameOrigin)}&third=${encodeURIComponent(thirdOrigin)}`);
  const outcome = await withTimeout(
    page.evaluate(() => (globalThis as unknown as { results: Promise<TopResults | { error: string }> }).results),
    8000,
    'the top page did not finish its checks',
  );
  if ('error' in outcome) throw new Error(`the top page failed: ${outcome.error}`);
  results = outcome;
  const frame = page.frames().find((f) => f.url().startsWith(`${frameOrigin}/frame.html`));
  if (!frame) throw new Error('service frame not found');
  // Both rogues' forged messages have reached the frame once their 'rogue-done' has.
  const deadline = performance.now() + 3000;
  while ((frameState = await readFrameState(frame)).rogueDone < 2) {
    if (performance.now() > deadline) throw new Error('the rogue frames did not finish');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  issues = await cspIssues(page);
  timings.checks = performance.now() - start;

  // The negative control, in a page of its own.
  start = performance.now();
  const controlPage = await browser.newPage();
  await controlPage.goto(`${topOrigin}/control.html?embed=${encodeURIComponent(frameOrigin)}`);
  control = await controlPage.evaluate(() => (globalThis as unknown as { control: Promise<ControlResult> }).control);
  controlIssues = await cspIssues(controlPage);
  await controlPage.close();
  timings.control = performance.now() - start;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (process.env.BROWSER_TEST_TIMINGS) console.log(timings);
});

/**
 * The CSP issues Chromium recorded for `page` and each of its out-of-process frames. Chromium 156
 * reports an eval violation as a DevTools issue, not a console message; `Audits.enable` replays
 * the issues collected so far, so this can run after the fact.
 */
async function cspIssues(target: Page): Promise<string[]> {
  const issues: string[] = [];
  const sessions: CDPSession[] = [await target.context().newCDPSession(target)];
  for (const frame of target.frames().slice(1)) {
    try {
      sessions.push(await target.context().newCDPSession(frame));
    } catch (error) {
      // A same-site frame runs in its parent's process: its issues come with the page's.
      if (!/separate CDP session/.test(String(error))) throw error;
    }
  }
  for (const session of sessions) {
    session.on('Audits.issueAdded', ({ issue }) => {
      const details = issue.details.contentSecurityPolicyIssueDetails;
      if (issue.code === 'ContentSecurityPolicyIssue') {
        issues.push(
          `${details?.contentSecurityPolicyViolationType} ${details?.violatedDirective} ${details?.sourceCodeLocation?.url}`,
        );
      }
    });
    await session.send('Audits.enable');
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all(sessions.map((session) => session.detach()));
  return issues;
}

function readFrameState(frame: Frame): Promise<FrameState> {
  return frame.evaluate(() => (globalThis as unknown as { frameState: FrameState }).frameState);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('windowTransport between cross-origin frames', () => {
  it('round-trips calls, discriminated unions included', () => {
    expect(results.echo).toEqual({ text: 'hello' });
    expect(results.draw.got).toEqual({ shapes: results.draw.sent });
  });

  it("rejects an invalid request in the frame's validation, and the frame reports the bad message", () => {
    expect(results.invalid).toMatchObject({ code: 'RPC_BAD_MESSAGE' });
    expect(results.invalid?.message).toContain('EchoService.draw request');
    // The frame's transport names the top page as configured: { process: 'ui' }.
    expect(frameState.bad).toEqual([
      { peer: 'ui', interface: 'EchoService', reason: expect.stringContaining('/shapes/0') },
    ]);
    expect(results.sawBadMessage).toEqual({ peer: 'ui', reason: frameState.bad[0]!.reason });
  });

  it('delivers events', () => {
    expect(results.ticked).toEqual([1, 2, 3]);
  });

  it('ignores messages from another window of the same origin, from a third origin and from its own window', () => {
    // The forged answers to the pending `wait` call were all delivered, and none was taken.
    expect(results.forged.pendingWhenForgedArrived).toBe(true);
    expect(results.forged.wait).toEqual({ waited: 500 });
    expect(results.forged.accepted).toBe(0);
    expect(results.ticked).not.toContain(FORGED);
    expect(results.clientBad).toEqual([]);
    // In the frame: only the top page's calls reached a handler (the rogues' `echo:forged` did not),
    // and the one bad message is the invalid request above.
    expect(frameState.windowCalls).toEqual(['echo:hello', 'draw', 'tick', 'wait']);
    expect(frameState.bad).toHaveLength(1);
  });

  it("throws for targetOrigin '*'", () => {
    expect(results.starError).toMatch(/exact target origin/);
  });
});

describe('domMessagePortTransport over a MessagePort handed to a cross-origin frame', () => {
  it('round-trips a call', () => {
    expect(results.port.echo).toEqual({ text: 'over the port' });
    expect(frameState.portCalls).toEqual(['echo:over the port', 'bytes', 'sendRaw']);
  });

  it('moves transferred bytes: they arrive, and the sender keeps a detached buffer', () => {
    // Frame to top: the `bytes` answer, sent with withTransfer.
    expect(results.port.received).toEqual({ isUint8Array: true, length: 1 << 20, allSevens: true });
    expect(frameState.sentBytesDetached).toBe(true);
    // Top to frame: a request sent with a transfer list.
    expect(results.port.sentDetached).toBe(true);
    expect(frameState.rawOverPort).toEqual(['Uint8Array(4096) first=1 last=9']);
  });
});

describe('under a CSP without unsafe-eval', () => {
  it('runs schema validation without a single CSP violation', () => {
    expect(results.invalid?.code).toBe('RPC_BAD_MESSAGE'); // validation did run
    expect(results.violations).toEqual([]);
    expect(frameState.violations).toEqual([]);
    expect(issues).toEqual([]);
    expect(cspConsole).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('would have seen one: validation without eval-free.ts trips the CSP (negative control)', () => {
    // Seen by the page's own listener, in the top document and in an out-of-process frame...
    expect(control).toEqual({ parsed: true, directive: 'script-src', frameDirective: 'script-src' });
    // ...and by Chromium's issue log, read the same way as for the pages under test.
    expect(controlIssues.sort()).toEqual([
      `kEvalViolation script-src ${topOrigin}/control-page.js`,
      `kEvalViolation script-src ${frameOrigin}/control-page.js`,
    ]);
  });
});
