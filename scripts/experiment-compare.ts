/**
 * `npm run experiment:compare -- a.json b.json [--seed N]`: what changed between two experiment
 * reports (per-tab vs per-site, Chromium shell vs Electron, before vs after a change). For each
 * latency and arm both reports have values for: p50 and p90 of each, their difference (b - a) with a
 * percentile-bootstrap 95% interval (both samples resampled, 2000 rounds), and the ratio b / a with its
 * interval. A report that fails `checkReport` is refused with its errors (exit 1).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Estimate, Report } from '../protocol/experiments/report.ts';
import {
  bootstrapDifference,
  checkReport,
  deriveSeed,
  latencyValues,
  quantile,
} from '../protocol/experiments/stats.ts';

const QUANTILES = { p50: 0.5, p90: 0.9 } as const;
const ARMS = ['experiment', 'control'] as const;

export interface QuantileComparison {
  readonly quantile: keyof typeof QUANTILES;
  readonly a: number;
  readonly b: number;
  /** b - a, ms. */
  readonly difference: Estimate;
  /** b / a; absent where a's quantile can be 0. */
  readonly ratio?: Estimate;
}

export interface ComparisonRow {
  readonly latency: string;
  readonly arm: (typeof ARMS)[number];
  readonly nA: number;
  readonly nB: number;
  readonly quantiles: readonly QuantileComparison[];
}

export interface Comparison {
  readonly rows: ComparisonRow[];
  /** Latencies only one report has, or both with different marks: not compared. */
  readonly notes: string[];
}

/** Compares every latency (by name, same marks) and arm both reports have values for. */
export function compareReports(a: Report, b: Report, seed = 1): Comparison {
  const rows: ComparisonRow[] = [];
  const notes: string[] = [];
  const inB = new Map(b.latencies.map((latency) => [latency.name, latency]));
  for (const latency of a.latencies) {
    const other = inB.get(latency.name);
    if (!other) {
      notes.push(`${latency.name}: only in a`);
      continue;
    }
    if (other.from !== latency.from || other.to !== latency.to) {
      notes.push(
        `${latency.name}: measured differently (a: ${latency.from} -> ${latency.to}, b: ${other.from} -> ${other.to})`,
      );
      continue;
    }
    for (const arm of ARMS) {
      const valuesA = latencyValues(
        a.trials.filter((trial) => trial.arm === arm),
        latency,
      );
      const valuesB = latencyValues(
        b.trials.filter((trial) => trial.arm === arm),
        latency,
      );
      if (valuesA.length === 0 || valuesB.length === 0) continue;
      const sortedA = [...valuesA].sort((x, y) => x - y);
      const sortedB = [...valuesB].sort((x, y) => x - y);
      const quantiles = Object.entries(QUANTILES).map(([name, q]) => {
        const { difference, ratio } = bootstrapDifference(valuesA, valuesB, (sorted) => quantile(sorted, q), {
          seed: deriveSeed(seed, `${latency.name}\u0000${arm}\u0000${name}`),
        });
        return {
          quantile: name as keyof typeof QUANTILES,
          a: quantile(sortedA, q),
          b: quantile(sortedB, q),
          difference,
          ...(ratio ? { ratio } : {}),
        };
      });
      rows.push({ latency: latency.name, arm, nA: valuesA.length, nB: valuesB.length, quantiles });
    }
  }
  for (const latency of b.latencies) {
    if (!a.latencies.some((own) => own.name === latency.name)) notes.push(`${latency.name}: only in b`);
  }
  return { rows, notes };
}

const fixed = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));
const signed = (value: number) => `${value > 0 ? '+' : ''}${fixed(value)}`;

/** The comparison as a table for a terminal: one line per latency, arm and quantile. */
export function formatComparison(a: Report, b: Report, comparison: Comparison, names: [string, string]): string {
  const describe = (report: Report) =>
    `${report.scenario}, ${report.environment.shell} (${report.environment.browserVersion}), ${report.environment.processModel}, ` +
    `${report.trials.length} trials, seed ${report.seed}${report.interrupted ? ', INTERRUPTED' : ''}`;
  const header = ['latency', 'arm', 'q', 'n a/b', 'a ms', 'b ms', 'b - a ms [95% CI]', 'b / a [95% CI]', ''];
  const body = comparison.rows.flatMap((row) =>
    row.quantiles.map((q) => {
      // The interval excludes no change: the difference is unlikely to be noise.
      const changed = q.difference.low > 0 || q.difference.high < 0;
      return [
        row.latency,
        row.arm,
        q.quantile,
        `${row.nA}/${row.nB}`,
        fixed(q.a),
        fixed(q.b),
        `${signed(q.difference.value)} [${signed(q.difference.low)}, ${signed(q.difference.high)}]`,
        q.ratio ? `${q.ratio.value.toFixed(2)}x [${q.ratio.low.toFixed(2)}, ${q.ratio.high.toFixed(2)}]` : '-',
        changed ? (q.difference.value > 0 ? 'slower' : 'faster') : '',
      ];
    }),
  );
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `a: ${names[0]}: ${describe(a)}`,
    `b: ${names[1]}: ${describe(b)}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...body.map(line),
    '',
    comparison.rows.length === 0 ? 'Nothing to compare: no latency and arm has values in both reports.' : '',
    ...comparison.notes.map((note) => `not compared: ${note}`),
    'Percentiles by linear interpolation; intervals: percentile bootstrap, 2000 resamples of each report.',
    '"slower"/"faster": the 95% interval of b - a excludes 0.',
  ]
    .filter((text, i, all) => text !== '' || all[i - 1] !== '')
    .join('\n');
}

/** Reads and checks one report file; an Error naming the file and every problem otherwise. */
export function readReport(file: string): Report {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const checked = checkReport(value);
  if (!checked.ok) throw new Error(`${file}: not a valid experiment report:\n  ${checked.errors.join('\n  ')}`);
  return checked.report;
}

function main(argv: string[]): number {
  const files: string[] = [];
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') seed = Number(argv[++i]);
    else files.push(argv[i]!);
  }
  if (files.length !== 2 || !Number.isInteger(seed)) {
    console.error('usage: npm run experiment:compare -- a.json b.json [--seed N]');
    return 2;
  }
  let reports: [Report, Report];
  try {
    reports = [readReport(files[0]!), readReport(files[1]!)];
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const comparison = compareReports(reports[0], reports[1], seed);
  console.log(
    formatComparison(reports[0], reports[1], comparison, [path.basename(files[0]!), path.basename(files[1]!)]),
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
