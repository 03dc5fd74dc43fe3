// `npm run experiment` end to end, as a user runs it: a tab-crash experiment of a few trials on the
// shell of this project (the CLI starts its own app: no `app` fixture); the JSON it writes passes
// the report's schema check and says what happened, and its HTML report opens offline in Chromium
// with no console error and every latency plotted. Kept as the run's evidence in the test output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { checkReport } from '../protocol/experiments/stats.ts';
import { findElectronBinary } from '../scripts/electron-binary.mjs';
import { launchOwnChromium } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '..');

// Playwright needs the fixtures argument destructured; this test uses none (the CLI starts its own app).
// eslint-disable-next-line no-empty-pattern
test('npm run experiment -- tab-crash: every trial crashed, painted and recovered; the JSON validates', async ({}, testInfo) => {
  const shell = (testInfo.project.use as { shell?: string }).shell ?? 'chromium';
  testInfo.skip(
    shell === 'electron' && !findElectronBinary(root),
    'The Electron binary is not installed (node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH).',
  );
  const out = testInfo.outputPath('reports');
  const args = ['--import', 'tsx', 'scripts/experiment.ts', 'tab-crash', '--trials', '3', '--tabs', '2'];
  args.push('--seed', '5', '--shell', shell, '--out', out);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await testInfo.attach('cli-output', { body: output, contentType: 'text/plain' });
  expect(code, output).toBe(0);
  // Non-TTY progress: one readable line per trial, as a CI log shows it.
  expect(output).toMatch(/6\/6 experiment tab-crash: ok/);

  const files = fs.readdirSync(out).filter((name) => name.endsWith('.json'));
  expect(files).toHaveLength(1);
  const file = path.join(out, files[0]!);
  await testInfo.attach('report', { path: file, contentType: 'application/json' });
  const checked = checkReport(JSON.parse(fs.readFileSync(file, 'utf8')));
  expect(checked.ok ? [] : checked.errors).toEqual([]);
  if (!checked.ok) return;
  const { report } = checked;
  expect(report.environment.shell).toBe(shell);
  expect(report.verdict.holds).toBe(true);
  const experiment = report.trials.filter((trial) => trial.arm === 'experiment');
  expect(experiment).toHaveLength(3);
  for (const trial of experiment) {
    expect(trial.exit?.reason).toBe('crashed');
    expect(trial.marks.uiPainted).toBeGreaterThan(trial.marks.injected!);
    expect(trial.marks.firstTick).toBeGreaterThan(trial.marks.reloadAsked!);
  }
  expect(report.summaries.find((summary) => summary.name === 'fault-to-sad-tab')?.p50).toBeDefined();

  // The HTML beside it: opened from disk with the network refused, it draws every latency.
  const html = file.replace(/\.json$/, '.html');
  expect(fs.existsSync(html), 'the self-contained HTML report').toBe(true);
  const browser = await launchOwnChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.route(/^https?:/, (route) => {
      problems.push(`network: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(`file://${html}`);
    await page.waitForSelector('[data-section]');
    for (const latency of report.latencies) {
      const section = page.locator(`[data-section="latency-${latency.name}"]`);
      await expect(section.locator('svg').first(), latency.name).toBeVisible();
    }
    await expect(page.locator('[data-section="timeline"] svg').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('report.png'), fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
