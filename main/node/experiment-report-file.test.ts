// writeReportFiles: the JSON and the self-contained HTML, the HTML opened offline in real Chromium
// (no console errors, no CSP violations, every plot drawn), and what it refuses. The viewer is built
// here with the real vite.report.config.ts (into a temp folder), so the test never reads a stale build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reportPageHtml } from '../../protocol/experiments/report-page.ts';
import type { Report } from '../../protocol/experiments/report.ts';
import type { IpcLabResult } from '../../protocol/labs/ipc-result.ts';
import { syntheticReport } from '../../protocol/experiments/testing/synthetic-report.ts';
import {
  InvalidReportError,
  ReportViewerMissingError,
  reportHtml,
  viewerScriptCandidates,
  writeReportFiles,
} from './experiment-report-file.ts';
import { requireBrowser } from './find-browser.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const screenshots = path.join(repoRoot, 'test-results/experiment-report');
let temp: string;
let viewerScript: string;
let browser: Browser;

beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'experiment-report-'));
  await build({
    configFile: path.join(repoRoot, 'vite.report.config.ts'),
    logLevel: 'silent',
    build: { outDir: path.join(temp, 'viewer') },
  });
  viewerScript = path.join(temp, 'viewer/experiment-report.js');
  browser = await chromium.launch({ executablePath: requireBrowser(), chromiumSandbox: inject('chromiumSandbox') });
  mkdirSync(screenshots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(temp, { recursive: true, force: true });
});

/** The little of the page's DOM these checks use (this file is typed for Node, without DOM types). */
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  querySelectorAll(selector: string): { readonly length: number };
}
interface PageGlobals {
  readonly document: {
    addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
    querySelectorAll(selector: string): Iterable<PageElement>;
    readonly body: { readonly innerText: string };
  };
  requestAnimationFrame(callback: () => void): void;
  violations: string[];
}

interface Opened {
  consoleErrors: string[];
  violations: string[];
  requests: string[];
  sections: Record<string, { lines: number; rects: number; dots: number; svgs: number }>;
  text: string;
}

/** Opens a report page from disk with the network off, and reads what it drew. */
async function open(htmlFile: string, screenshot: string): Promise<Opened> {
  const context = await browser.newContext({ offline: true, viewport: { width: 900, height: 1200 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals;
    page.violations = [];
    page.document.addEventListener('securitypolicyviolation', (event) =>
      page.violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto(pathToFileURL(htmlFile).href);
  await page.waitForSelector('[data-section]');
  // A frame after the plots are in the DOM, so late violations or errors are seen.
  await page.evaluate(
    () =>
      new Promise((resolve) =>
        (globalThis as unknown as PageGlobals).requestAnimationFrame(() => setTimeout(resolve, 50)),
      ),
  );
  const result = await page.evaluate(() => {
    const { document, violations } = globalThis as unknown as PageGlobals;
    const sections: Record<string, { lines: number; rects: number; dots: number; svgs: number }> = {};
    for (const section of document.querySelectorAll('[data-section]')) {
      sections[section.dataset.section!] = {
        // Plot labels each mark's group with the mark's name.
        lines: section.querySelectorAll('svg g[aria-label="line"] path').length,
        rects: section.querySelectorAll('svg g[aria-label="rect"] rect').length,
        dots: section.querySelectorAll('svg g[aria-label="dot"] circle').length,
        svgs: section.querySelectorAll('svg').length,
      };
    }
    return {
      sections,
      violations: [...violations],
      text: document.body.innerText,
    };
  });
  await page.screenshot({ path: path.join(screenshots, screenshot), fullPage: true });
  await context.close();
  return { consoleErrors, requests, ...result };
}

describe('writeReportFiles', () => {
  it('writes <id>.json (the report) and <id>.html (its hash-allowed script and the escaped report)', async () => {
    const report = syntheticReport({ trials: 20 });
    const written = await writeReportFiles(report, path.join(temp, 'out'), { viewerScript });
    expect(written).toEqual({
      json: path.join(temp, 'out', `${report.id}.json`),
      html: path.join(temp, 'out', `${report.id}.html`),
    });
    expect(JSON.parse(readFileSync(written.json, 'utf8'))).toEqual(report);
    const html = readFileSync(written.html, 'utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).not.toContain('unsafe-eval');
  });

  it('opens offline in Chromium: no console error, no CSP violation, no request, every plot drawn', async () => {
    const report = syntheticReport({ trials: 25, failures: 2, soak: true });
    const { html } = await writeReportFiles(report, path.join(temp, 'full'), { viewerScript });
    const opened = await open(html, 'synthetic-report.png');
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.violations).toEqual([]);
    expect(opened.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    for (const latency of report.latencies) {
      const section = opened.sections[`latency-${latency.name}`];
      const arms = new Set(report.summaries.filter((s) => s.name === latency.name && s.n > 0).map((s) => s.arm)).size;
      // One ECDF line per arm with values; histogram bars.
      expect(section, latency.name).toMatchObject({ lines: arms });
      expect(section!.rects, latency.name).toBeGreaterThan(3);
    }
    // A dot per mark of every trial.
    const marks = report.trials.reduce((sum, trial) => sum + Object.keys(trial.marks).length, 0);
    expect(opened.sections.timeline!.dots).toBe(marks);
    for (const name of ['verdict', 'environment', 'steady-state', 'summaries', 'blast-radius', 'soak', 'trials']) {
      expect(opened.sections, name).toHaveProperty(name);
    }
    expect(opened.text).toContain('The hypothesis did not hold.');
    expect(opened.text).not.toContain('Interrupted');
  });

  it('shows an interrupted run as such', async () => {
    const report = syntheticReport({ seed: 2, trials: 4, interrupted: true, control: false });
    const { html } = await writeReportFiles(report, path.join(temp, 'interrupted'), { viewerScript });
    const opened = await open(html, 'interrupted-report.png');
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.text).toContain('Interrupted: stopped before every trial ran');
    expect(opened.text).toContain('Not checked');
  });

  it('keeps text that looks like markup as text: </script> and <!-- in a report end nothing', async () => {
    const report: Report = {
      ...syntheticReport({ seed: 3, trials: 3 }),
      hypothesis: 'a </script><script>document.title="pwned"</script> <!-- and </SCRIPT > too',
    };
    const { html } = await writeReportFiles(report, path.join(temp, 'markup'), { viewerScript });
    const opened = await open(html, 'markup-report.png');
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.violations).toEqual([]);
    expect(opened.text).toContain(report.hypothesis);
  });

  it('refuses an invalid report with checkReport errors, writing nothing', async () => {
    const dir = path.join(temp, 'invalid');
    const invalid = { ...syntheticReport(), seed: 'seven' } as unknown as Report;
    const error = await writeReportFiles(invalid, dir, { viewerScript }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidReportError);
    expect((error as InvalidReportError).errors.some((line) => line.startsWith('/seed'))).toBe(true);
    expect(existsSync(dir)).toBe(false);

    const escaping = { ...syntheticReport(), id: '../outside' };
    await expect(writeReportFiles(escaping, dir, { viewerScript })).rejects.toThrow(/cannot be a file name/);
    expect(existsSync(path.join(temp, 'outside.json'))).toBe(false);
  });

  it('the page lists why it cannot show an embedded report of another schema version', async () => {
    const newer = { ...syntheticReport({ seed: 4, trials: 2 }), schemaVersion: 2 } as unknown as Report;
    const file = path.join(temp, 'newer.html');
    writeFileSync(file, reportHtml(newer, readFileSync(viewerScript, 'utf8')));
    const opened = await open(file, 'refused-report.png');
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.sections).toHaveProperty('errors');
    expect(opened.text).toContain('schema version 2, this reader knows 1');
  });

  it('writes the JSON and then says to run npm run build when the viewer is not built', async () => {
    const report = syntheticReport({ seed: 5, trials: 2 });
    const dir = path.join(temp, 'unbuilt');
    const missing = path.join(temp, 'no-such-viewer.js');
    const error = await writeReportFiles(report, dir, { viewerScript: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportViewerMissingError);
    expect(String((error as Error).message)).toContain('run `npm run build`');
    expect(existsSync(path.join(dir, `${report.id}.json`))).toBe(true);
    expect(existsSync(path.join(dir, `${report.id}.html`))).toBe(false);
  });

  it('looks for the viewer beside the bundled Electron main and from the source tree', () => {
    expect(viewerScriptCandidates('/app/dist-electron')).toContain('/app/dist/experiment-report/experiment-report.js');
    expect(viewerScriptCandidates(path.join(repoRoot, 'main/node'))).toContain(
      path.join(repoRoot, 'dist/experiment-report/experiment-report.js'),
    );
  });
});

describe('the same viewer, an IPC lab result (lab-ipc/1)', () => {
  // A real quick run (the lab page's fixture), read as data; lab-host/ipc/report-file.ts writes such pages.
  const recorded = JSON.parse(
    readFileSync(path.join(repoRoot, 'renderer/pages/labs/ipc/testing/quick-result.json'), 'utf8'),
  ) as IpcLabResult;
  const page = (data: unknown, language: string) =>
    reportPageHtml({
      title: 'IPC lab report',
      language,
      data,
      viewerScript: readFileSync(viewerScript, 'utf8'),
      sha256Base64: (text) => createHash('sha256').update(text, 'utf8').digest('base64'),
    });

  for (const language of ['en', 'ko']) {
    it(`opens offline in Chromium with the lab page's charts, every figure a point (${language})`, async () => {
      const file = path.join(temp, `ipc-lab-${language}.html`);
      writeFileSync(file, page(recorded, language));
      const opened = await open(file, `ipc-lab-report-${language}.png`);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.violations).toEqual([]);
      expect(opened.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      const figures = recorded.channels.reduce((sum, channel) => sum + channel.sizes.length, 0);
      // p50, p99 and p99.9 of every channel and size; a throughput point each; a line per channel.
      expect(opened.sections.latency).toMatchObject({ dots: figures * 3, svgs: expect.any(Number) });
      expect(opened.sections.throughput!.dots).toBe(figures);
      expect(opened.sections.throughput!.lines).toBe(recorded.channels.length);
      expect(opened.sections.reference!.dots).toBeGreaterThan(0);
      for (const name of ['kinds', 'checks', 'sync', 'environment', 'tie-in'])
        expect(opened.sections).toHaveProperty(name);
      expect(opened.sections).not.toHaveProperty('run');
      expect(opened.text).toContain(language === 'ko' ? 'IPC 실험실 보고서' : 'IPC lab report');
      expect(opened.text).toContain(recorded.environment.cpu);
    });
  }

  it('lists why it cannot show a result that fails the schema', async () => {
    const file = path.join(temp, 'ipc-lab-invalid.html');
    writeFileSync(file, page({ ...recorded, channels: 'none' }, 'en'));
    const opened = await open(file, 'ipc-lab-report-invalid.png');
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.sections).toHaveProperty('errors');
    expect(opened.text).toContain('not a valid lab-ipc/1 result');
  });
});
