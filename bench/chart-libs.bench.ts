/**
 * Which chart library draws the experiment report (and the in-app Experiments view): Observable
 * Plot, Vega-Lite + Vega, ECharts and uPlot, each drawing the report's plots from the same synthetic
 * data (`chart-libs/chart-data.ts`): an ECDF per latency with the control arm beside it, a histogram
 * per latency, and a timeline with a lane per trial (`chart-libs/browser/<library>.ts`).
 *
 *   npm run bench:chart-libs [-- --quick] [--rounds N]
 *
 * - Size: each page's script bundled by esbuild (browser, IIFE, minified, production), gzipped (level 9).
 * - Render time: headless Chromium (playwright-core), a fresh page per draw. Round by round the four
 *   libraries take turns, in a rotated order, so a busy neighbour slows them all alike; the median of
 *   the rounds is reported, for a typical run (50 trials an arm) and a soak-sized one (1000). Timed:
 *   from calling `drawCharts` to the frame after it (requestAnimationFrame, then a task); the script's
 *   own evaluation is reported apart.
 * - Fit: every page runs under a CSP with the script allowed by its hash only and no 'unsafe-eval'
 *   (as the report and the browser UI have); a library that needs eval fails there and is then timed
 *   with 'unsafe-eval' allowed, and said so. A second policy also forbids inline styles. Each page must
 *   show 7 plots (an <svg> or <canvas> per section) or the run fails.
 *
 * Results: bench/results/chart-libs.md (written by this script).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { syntheticChartData, type ChartData, type DrawMeasurement } from './chart-libs/chart-data.ts';

const root = import.meta.dirname;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsFlag = args.indexOf('--rounds');
const ROUNDS = roundsFlag >= 0 ? Number(args[roundsFlag + 1]) : quick ? 2 : 7;
const SIZES = quick ? [50] : [50, 1000];
const SECTIONS = 7; // 3 ECDFs, 3 histograms, 1 timeline

const LIBRARIES = [
  { id: 'plot', name: 'Observable Plot', version: pkgVersion('@observablehq/plot') },
  { id: 'vega', name: 'Vega-Lite + Vega', version: `${pkgVersion('vega-lite')} + ${pkgVersion('vega')}` },
  { id: 'echarts', name: 'ECharts (tree-shaken core)', version: pkgVersion('echarts') },
  { id: 'uplot', name: 'uPlot', version: pkgVersion('uplot') },
] as const;
type LibraryId = (typeof LIBRARIES)[number]['id'];

/** What each draws natively (read from the drawing code beside this file: what it had to do by hand). */
const FIT: Record<LibraryId, { ecdf: string; histogram: string; timeline: string; output: string }> = {
  plot: {
    ecdf: 'yes: line, curve step-after',
    histogram: 'yes: binX transform (y2 for overlaid arms)',
    timeline: 'yes: band scale, ruleY lanes + dots',
    output: 'SVG',
  },
  vega: {
    ecdf: 'yes: line, interpolate step-after',
    histogram: 'yes: bin + count aggregate',
    timeline: 'yes: ordinal y, rule + point layers',
    output: 'SVG or canvas',
  },
  echarts: {
    ecdf: 'yes: line, step',
    histogram: 'no binning (needs the separate ecStat): bins counted by hand',
    timeline: 'partly: category y + scatter; lanes need a custom series (renderItem)',
    output: 'canvas or SVG',
  },
  uplot: {
    ecdf: 'partly: stepped paths, but arms must be joined onto one x array (nulls between)',
    histogram: 'no binning: bins counted by hand, bars path',
    timeline: 'poorly: time-series model; lanes as y values of points-only series, no ranges',
    output: 'canvas',
  },
};

function pkgVersion(name: string): string {
  const file = path.join(root, '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

interface Bundle {
  readonly code: string;
  readonly minBytes: number;
  readonly gzipBytes: number;
}

async function bundle(id: LibraryId): Promise<Bundle> {
  const result = await build({
    entryPoints: [path.join(root, 'chart-libs/browser', `${id}.ts`)],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    loader: { '.css': 'text' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.text;
  return { code, minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

function pageHtml(script: string, { eval: allowEval, inlineStyles }: { eval: boolean; inlineStyles: boolean }) {
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'${allowEval ? " 'unsafe-eval'" : ''}`,
    `style-src ${inlineStyles ? "'unsafe-inline'" : "'none'"}`,
    'img-src data:',
    'font-src data:',
  ].join('; ');
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><body><div id="root"></div><script>${script}</script></body>`;
}

interface DrawResult {
  readonly evalMs: number;
  readonly drawMs: number;
  readonly plots: number;
  readonly violations: string[];
  readonly errors: string[];
}

async function drawOnce(
  browser: Browser,
  code: string,
  data: ChartData,
  policy: { eval: boolean; inlineStyles: boolean },
): Promise<DrawResult> {
  const page = await browser.newPage({ viewport: { width: 800, height: 1200 } });
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  // The violation listener goes first in the page's one script (so the policy's hash covers it).
  const listen = `window.__violations=[];document.addEventListener('securitypolicyviolation',e=>window.__violations.push(e.violatedDirective));`;
  const script = `${listen}window.__startAt=performance.now();${code};window.__evaluatedAt=performance.now();`;
  await page.setContent(pageHtml(script, policy));
  try {
    const result = await page.evaluate(
      (chartData) =>
        (globalThis as unknown as { measureDraw(d: ChartData): Promise<DrawMeasurement> }).measureDraw(chartData),
      data,
    );
    if (result.failed) errors.push(result.failed);
    return { evalMs: result.evalMs, drawMs: result.drawMs, plots: result.plots, violations: result.violations, errors };
  } finally {
    await page.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

async function main(): Promise<void> {
  const bundles = new Map<LibraryId, Bundle>();
  for (const library of LIBRARIES) bundles.set(library.id, await bundle(library.id));

  const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true });
  const version = browser.version();
  try {
    // Fit first: does each draw all seven plots under the strict policy, and under no inline styles?
    const data50 = syntheticChartData(50);
    const fitRuns = new Map<LibraryId, { strict: DrawResult; noInlineStyles: DrawResult; needsEval: boolean }>();
    for (const { id } of LIBRARIES) {
      const code = bundles.get(id)!.code;
      const strict = await drawOnce(browser, code, data50, { eval: false, inlineStyles: true });
      const needsEval = strict.plots < SECTIONS;
      const noInlineStyles = await drawOnce(browser, code, data50, { eval: needsEval, inlineStyles: false });
      fitRuns.set(id, { strict, noInlineStyles, needsEval });
      console.log(
        `${id}: strict CSP ${strict.plots}/${SECTIONS} plots, violations [${strict.violations.join(', ')}]${strict.errors.length ? `, errors: ${strict.errors[0]!.slice(0, 120)}` : ''}; ` +
          `no inline styles: ${noInlineStyles.plots}/${SECTIONS}, violations [${[...new Set(noInlineStyles.violations)].join(', ')}]`,
      );
    }

    const timings = new Map<string, { draw: number[]; eval: number[] }>();
    for (const trials of SIZES) {
      const data = syntheticChartData(trials);
      for (let round = 0; round < ROUNDS; round++) {
        const order = LIBRARIES.map((_, i) => LIBRARIES[(i + round) % LIBRARIES.length]!);
        for (const { id } of order) {
          const result = await drawOnce(browser, bundles.get(id)!.code, data, {
            eval: fitRuns.get(id)!.needsEval,
            inlineStyles: true,
          });
          if (result.plots !== SECTIONS) {
            throw new Error(
              `${id} drew ${result.plots}/${SECTIONS} plots at ${trials} trials: ${result.errors.join('; ')}`,
            );
          }
          const key = `${id}/${trials}`;
          const entry = timings.get(key) ?? { draw: [], eval: [] };
          entry.draw.push(result.drawMs);
          entry.eval.push(result.evalMs);
          timings.set(key, entry);
        }
        process.stdout.write(`  ${trials} trials: round ${round + 1}/${ROUNDS}\r`);
      }
      process.stdout.write('\n');
    }

    const lines: string[] = [];
    const fastest = (trials: number) =>
      Math.min(...LIBRARIES.map(({ id }) => median(timings.get(`${id}/${trials}`)!.draw)));
    const smallest = Math.min(...[...bundles.values()].map((b) => b.gzipBytes));
    lines.push(
      '| library | version | min | min+gzip | script eval | ' +
        SIZES.map((trials) => `draw, ${trials} trials/arm`).join(' | ') +
        ' | strict CSP (no eval) | no inline styles |',
    );
    lines.push(`|---|---|---|---|---|${SIZES.map(() => '---|').join('')}---|---|`);
    for (const { id, name, version: libraryVersion } of LIBRARIES) {
      const b = bundles.get(id)!;
      const fit = fitRuns.get(id)!;
      const cells = SIZES.map((trials) => {
        const m = median(timings.get(`${id}/${trials}`)!.draw);
        return `${ms(m)} (${(m / fastest(trials)).toFixed(2)}x)`;
      });
      const evalMs = median(SIZES.flatMap((trials) => timings.get(`${id}/${trials}`)!.eval));
      const strict = fit.needsEval
        ? `fails (${fit.strict.plots}/${SECTIONS} plots; ${[...new Set(fit.strict.violations)].join(', ') || 'error'}): timed with 'unsafe-eval'`
        : 'works';
      const noStyles =
        fit.noInlineStyles.plots < SECTIONS
          ? `fails (${fit.noInlineStyles.plots}/${SECTIONS})`
          : fit.noInlineStyles.violations.length
            ? `draws, ${fit.noInlineStyles.violations.length} style violations`
            : 'works';
      lines.push(
        `| ${name} | ${libraryVersion} | ${kb(b.minBytes)} | ${kb(b.gzipBytes)} (${(b.gzipBytes / smallest).toFixed(1)}x) | ${ms(evalMs)} | ${cells.join(' | ')} | ${strict} | ${noStyles} |`,
      );
    }
    const fitLines = [
      '| library | output | ECDF (step line, arms together) | histogram | per-trial timeline |',
      '|---|---|---|---|---|',
      ...LIBRARIES.map(({ id, name }) => {
        const f = FIT[id];
        return `| ${name} | ${f.output} | ${f.ecdf} | ${f.histogram} | ${f.timeline} |`;
      }),
    ];
    const table = lines.join('\n');
    console.log(`\n${table}\n`);

    const commit = (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
      } catch {
        return 'unknown';
      }
    })();
    const results = [
      '# `npm run bench:chart-libs`: results',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)}, code of commit ${commit}; ${version.startsWith('1') ? `Chromium ${version}` : version} headless, Node ${process.version},`,
      `${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (a shared machine: compare the ratios, not the times).`,
      `${ROUNDS} rounds${quick ? ' (--quick)' : ''}, the libraries taking turns in a rotated order each round; medians.`,
      '',
      'Each library draws the same seven plots from the same synthetic data: an ECDF per latency (3) with the',
      'control arm on the same axes, a histogram per latency (3, both arms overlaid), and a timeline with a lane',
      'per trial (6 marks each). "Draw" is `drawCharts()` to the frame after it, in a fresh page; "script eval"',
      "is evaluating the page's one script (the library and the drawing code). Sizes: esbuild, minified, IIFE,",
      'gzip level 9, including the drawing code (about 2 KB of it).',
      '',
      table,
      '',
      "\"Strict CSP\": the script allowed by its sha256 hash only, no 'unsafe-eval' (the report's and the browser",
      "UI's policy). \"No inline styles\": also `style-src 'none'`.",
      '',
      '## Fit: what each draws natively',
      '',
      fitLines.join('\n'),
      '',
      'All four run offline from one bundled script (no fonts, workers or network fetched).',
      '',
    ].join('\n');
    writeFileSync(path.join(root, 'results/chart-libs.md'), results);
    console.log('written: bench/results/chart-libs.md');
  } finally {
    await browser.close();
  }
}

await main();
