/**
 * The one fixture every spec uses: `app`, the running Browser Process Lab, the same API for both
 * shells. Specs find things by role and name in the browser UI and look into a tab with `app.tab()`.
 *
 * The Chromium shell's trap is hidden here: a tab crash poisons every Playwright connection attached
 * at that moment (shared/knowledge/chromium-cdp.md), so `app.afterCrash()` reconnects (about 30 ms)
 * and `app.ui()` always returns a page on the live connection. In Electron it does nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  _electron,
  chromium,
  expect,
  test as base,
  type Browser,
  type ElectronApplication,
  type FrameLocator,
  type Locator,
  type Page,
} from '@playwright/test';
import { processModelArgs } from '../main/core/process-model-switch.ts';
import { SPARE_RENDERER_SWITCH } from '../main/core/spare-renderer-switch.ts';
import { SESSION_DIR_SWITCH } from '../main/core/session/session-switches.ts';
import { tabPageByPid } from '../main/electron/tab-identity.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox } from '../main/node/sandbox.ts';
import { findElectronBinary } from '../scripts/electron-binary.mjs';

export interface LabOptions {
  readonly shell: 'chromium' | 'electron';
  /** Chrome's process model for the app under test. */
  readonly processModel: 'process-per-tab' | 'process-per-site';
  /** More command-line arguments for the shell (`--no-sandbox`, `--browser-user=NAME`). */
  readonly shellArgs: readonly string[];
  /**
   * Keep the spare renderer (on in the app by default). Off unless a spec asks: specs count the
   * renderers their tabs run in, and the spare would be one more (e2e/spare-renderer.spec.ts and
   * main/chromium/spare-renderer-in-chromium.test.ts test it).
   */
  readonly spareRenderer: boolean;
}

export interface LabApp {
  readonly shell: LabOptions['shell'];
  /** Everything the app printed (stdout and stderr), for the suite-wide rule. */
  readonly log: AppLog;
  /** The browser UI page. */
  ui(): Promise<Page>;
  /** What a tab shows, to look into with locators (its iframe in the Chromium shell). */
  tab(tabId: string): Promise<FrameLocator | Page>;
  /**
   * After anything that crashes a renderer: waits until the UI shows each of `tabIds` ended, and
   * makes the next `ui()` and `tab()` work.
   */
  afterCrash(...tabIds: string[]): Promise<void>;
  /** Saves a screenshot of the whole window under test-results/e2e/screens/. */
  screenshot(name: string): Promise<void>;
  /** What the shell has printed to stdout (its start lines). */
  startOutput(): string;
}

const root = path.resolve(import.meta.dirname, '..');
const SCREENS = path.join(root, 'test-results/e2e/screens');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('The app did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export class ChromiumShellApp implements LabApp {
  readonly shell = 'chromium' as const;
  private browser: Browser | undefined;
  private page: Page | undefined;

  private constructor(
    private readonly process: ChildProcess,
    private readonly port: number,
    private readonly output: () => string,
    readonly log: AppLog,
  ) {}

  static async start(extraArgs: readonly string[]): Promise<ChromiumShellApp> {
    const port = await freePort();
    const args = [
      // A rejection nobody handles is then printed by name ("UnhandledPromiseRejectionWarning") and the
      // spec fails on it (appProblems) with the app still up to say what else happened, instead of
      // the app ending on a bare stack trace.
      '--unhandled-rejections=warn-with-error-code',
      '--import',
      'tsx',
      'main/chromium/main.ts',
      '--headless',
      `--remote-debugging-port=${port}`,
      ...extraArgs,
    ];
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const log = new AppLog();
    // Still shown as before; read as well for the suite-wide rule (appProblems).
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      log.add(chunk);
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        log.add(chunk);
        if (output.includes('is running')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`The Chromium shell exited (${code}) before it was ready:\n${output}`)),
      );
    });
    const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await ready.finally(() => clearTimeout(timeout));
    const app = new ChromiumShellApp(child, port, () => output, log);
    await app.connect();
    // Every test starts from the first tab live in its renderer process.
    await app.page!.locator('[data-tab-id]').first().getAttribute('title', { timeout: 30_000 });
    await waitFor(
      async () => /pid \d+/.test((await app.page!.locator('[data-tab-id]').first().getAttribute('title')) ?? ''),
      30_000,
    );
    return app;
  }

  async ui(): Promise<Page> {
    if (!this.page || this.page.isClosed()) await this.connect();
    return this.page!;
  }

  async tab(tabId: string): Promise<FrameLocator> {
    return (await this.ui()).frameLocator(`iframe[data-lab-tab="${tabId}"]`);
  }

  async afterCrash(...tabIds: string[]): Promise<void> {
    // Only connections attached at the moment of a crash are poisoned, and the crash lands a few
    // milliseconds after it was asked for: reconnect until a fresh connection sees every tab ended.
    const deadline = Date.now() + 15_000;
    for (;;) {
      // A poisoned connection may fail to close; it is dropped either way.
      await this.browser?.close().catch(() => {});
      this.browser = undefined;
      try {
        await this.connect();
      } catch (error) {
        // A connection made in the middle of a crash may never see the page: make another.
        if (Date.now() > deadline) throw error;
        continue;
      }
      const titles = await Promise.all(
        tabIds.map((id) =>
          this.page!.locator(`[data-tab-id="${id}"]`)
            .getAttribute('title', { timeout: 1000 })
            .catch(() => null),
        ),
      );
      if (titles.every((title) => title !== null && /process ended|crashed/i.test(title))) return;
      if (Date.now() > deadline) throw new Error(`Tabs ${tabIds.join(', ')} did not show a crash`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENS, { recursive: true });
    await (await this.ui()).screenshot({ path: path.join(SCREENS, `chromium-shell-${name}.png`) });
  }

  startOutput(): string {
    return this.output();
  }

  /** Ends the browser process with SIGKILL, as a crash would (no orderly shutdown), and waits for it. */
  async kill(): Promise<void> {
    await this.browser?.close().catch(() => {});
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = once(this.process, 'exit');
    this.process.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    // Only disconnects (the app's Chromium is ended below); a poisoned connection may fail to.
    await this.browser?.close().catch(() => {});
    if (this.process.exitCode === null) {
      this.process.kill('SIGTERM');
      await Promise.race([once(this.process, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    }
  }

  private async connect(): Promise<void> {
    this.browser = await chromium.connectOverCDP(`http://127.0.0.1:${this.port}`);
    // Right after a crash the new connection may list its pages a moment late.
    let page: Page | undefined;
    for (let attempt = 0; attempt < 20 && !page; attempt++) {
      const pages = this.browser.contexts().flatMap((context) => context.pages());
      page = pages.find((candidate) => candidate.url().startsWith('http://127.0.0.1:'));
      if (!page) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!page) throw new Error('No browser UI page on the new connection');
    await page.setViewportSize({ width: 1280, height: 800 });
    this.page = page;
  }
}

class ElectronApp implements LabApp {
  readonly shell = 'electron' as const;
  private output = '';
  readonly log = new AppLog();
  private constructor(private readonly app: ElectronApplication) {
    app.process().stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.log.add(chunk);
    });
    app.process().stderr?.on('data', (chunk: Buffer) => this.log.add(chunk));
  }

  static async start(executablePath: string, extraArgs: readonly string[]): Promise<ElectronApp> {
    const env = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    // Playwright adds --no-sandbox on Linux unless told the sandbox works: decide as scripts/start.mjs does
    // (Electron aborts where it cannot work, e.g. as root).
    const sandbox = decideSandbox({
      uid: currentUid(),
      noSandboxRequested: false,
      helperPaths: chromeSandboxHelpers(executablePath),
    });
    return new ElectronApp(
      await _electron.launch({ executablePath, args: [root, ...extraArgs], env, chromiumSandbox: sandbox.enabled }),
    );
  }

  ui(): Promise<Page> {
    return this.app.firstWindow();
  }

  async tab(tabId: string): Promise<Page> {
    // Each tab is a WebContentsView, which Playwright lists among the windows. The page knows
    // nothing of its tab; the UI shows the tab's renderer pid, and the main process knows each
    // window's pid by its DevTools target id (webContents.fromDevToolsTargetId).
    const ui = await this.ui();
    const badge = ui.locator(`[data-tab-id="${tabId}"]`);
    await expect(badge).toHaveAttribute('title', /pid \d+/);
    const pid = Number(/pid (\d+)/.exec((await badge.getAttribute('title')) ?? '')![1]);
    const pages = this.app.windows();
    const targetIds = await Promise.all(
      pages.map(async (page) => {
        const session = await this.app.context().newCDPSession(page);
        try {
          return (await session.send('Target.getTargetInfo')).targetInfo.targetId;
        } finally {
          // The page may have gone meanwhile; its session then is already detached.
          await session.detach().catch(() => {});
        }
      }),
    );
    const described = await this.app.evaluate(
      ({ webContents }, ids) =>
        ids.map((id) => {
          const contents = webContents.fromDevToolsTargetId(id);
          return contents && !contents.isDestroyed()
            ? { pid: contents.getOSProcessId(), url: contents.getURL() }
            : undefined;
        }),
      targetIds,
    );
    return tabPageByPid(
      pages.map((page, index) => ({ page, pid: described[index]?.pid, url: described[index]?.url })),
      tabId,
      pid,
    );
  }

  async afterCrash(...tabIds: string[]): Promise<void> {
    const ui = await this.ui();
    for (const id of tabIds) await ui.locator(`[data-tab-id="${id}"]`).getAttribute('title');
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENS, { recursive: true });
    await (await this.ui()).screenshot({ path: path.join(SCREENS, `electron-${name}.png`) });
  }

  startOutput(): string {
    return this.output;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export const test = base.extend<
  {
    app: LabApp;
    processModel: LabOptions['processModel'];
    shellArgs: LabOptions['shellArgs'];
    spareRenderer: LabOptions['spareRenderer'];
  },
  Pick<LabOptions, 'shell'>
>({
  shell: ['chromium', { option: true, scope: 'worker' }],
  processModel: ['process-per-tab', { option: true }],
  shellArgs: [[], { option: true }],
  spareRenderer: [false, { option: true }],
  app: async ({ shell, processModel, shellArgs, spareRenderer }, use, testInfo) => {
    // Each app its own session folder: no test restores another's tabs, none touches the user's session.
    const sessionDir = mkdtempSync(path.join(os.tmpdir(), 'lab-e2e-session-'));
    const extraArgs = [
      ...processModelArgs(processModel),
      ...(spareRenderer ? [] : [`--${SPARE_RENDERER_SWITCH}=off`]),
      `--${SESSION_DIR_SWITCH}=${sessionDir}`,
      ...shellArgs,
    ];
    let app: ChromiumShellApp | ElectronApp;
    if (shell === 'electron') {
      const binary = findElectronBinary(root);
      testInfo.skip(
        !binary,
        'The Electron binary is not installed (node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH).',
      );
      app = await ElectronApp.start(binary!, extraArgs);
    } else {
      app = await ChromiumShellApp.start(extraArgs);
    }
    try {
      await use(app);
    } finally {
      await app.close();
      rmSync(sessionDir, { recursive: true, force: true });
    }
    // Suite-wide rule (issue 19): the app (its browser process and the children printing through it)
    // warned of too many listeners or left a rejection unhandled: the spec fails, saying what.
    const problems = app.log.problems();
    expect(problems, 'MaxListenersExceededWarning or unhandled rejection in the app output').toEqual([]);
  },
});

/**
 * What the app under test printed, kept to find the lines that fail a spec: Node's
 * MaxListenersExceededWarning, an unhandled rejection (Node's warning with
 * --unhandled-rejections=warn-with-error-code, its error code, or a child's own handler saying so).
 */
export class AppLog {
  private partial = '';
  private readonly found: string[] = [];

  add(chunk: Buffer): void {
    // Line by line as it comes, keeping only the lines that fail a spec (an app may print a lot).
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (APP_PROBLEM.test(line) && this.found.length < 50) this.found.push(line);
    if (this.partial.length > 100_000) this.partial = this.partial.slice(-100_000);
  }

  problems(): string[] {
    return APP_PROBLEM.test(this.partial) ? [...this.found, this.partial] : [...this.found];
  }
}

const APP_PROBLEM =
  /MaxListenersExceededWarning|UnhandledPromiseRejection|ERR_UNHANDLED_REJECTION|unhandled rejection/i;

export { expect } from '@playwright/test';

/** The number a tab's page shows in its #counter (every built-in page has one). */
export async function counterOf(content: FrameLocator | Page): Promise<number> {
  const counter: Locator = content.locator('#counter');
  return Number(await counter.getAttribute('data-count', { timeout: 5000 }));
}
