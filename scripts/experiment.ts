/**
 * `npm run experiment -- <scenario> [--trials N] [--tabs N] [--shell chromium|electron]
 * [--process-model per-tab|per-site] [--seed S] [--faults N] [--out DIR] [--no-control]`
 *
 * Chromium shell (default): starts the shell headless in this process, runs the experiment
 * (main/core/experiments/runner.ts), writes `<out>/<id>.json`, prints the verdict and the p50s.
 * Progress through listr2 (a plain line per step where the output is not a terminal, e.g. CI logs).
 * Ctrl-C stops after the current trial, still writes what was measured (`interrupted: true`) and
 * closes everything it started. Electron: runs the Electron app with `--lab-experiment=<request>`
 * and `--lab-experiment-out=<dir>`; where its binary is not installed, says so and exits 1.
 * Exit codes: 0 the hypothesis held, 1 it did not or the run failed, 2 bad arguments, 130 stopped.
 *
 * A browser-process entry like main/chromium/main.ts (it runs the core in-process), kept in scripts/
 * because it is a tool around the app, not part of it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Listr } from 'listr2';
import type { Report } from '../protocol/experiments/report.ts';
import type { ExperimentRun } from '../main/core/experiments/experiment-run.ts';
import { startExperiment } from '../main/core/experiments/runner.ts';
import { startExperimentShell } from '../main/chromium/experiment-host.ts';
import { ReportViewerMissingError, writeReportFiles } from '../main/node/experiment-report-file.ts';
import { findBrowser } from '../main/node/find-browser.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox } from '../main/node/sandbox.ts';
import { findElectronBinary } from './electron-binary.mjs';
import { parseExperimentArgs, USAGE, UsageError, type ExperimentCommand } from './experiment-args.ts';

const root = path.resolve(import.meta.dirname, '..');

if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
let command: ExperimentCommand;
try {
  command = parseExperimentArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message} (npm run experiment -- --help for usage)`);
  process.exit(2);
}
const out = path.resolve(command.out);

if (command.shell === 'electron') process.exit(await runInElectron(command));

const lookup = findBrowser();
if (!lookup.found) {
  console.error(lookup.message);
  process.exit(1);
}
if (!existsSync(path.join(root, 'dist/renderer/index.html'))) {
  console.error('The browser UI is not built: run `npm run build` first.');
  process.exit(1);
}
process.exit(await runInChromium(command));

async function runInChromium({ request, processModel }: ExperimentCommand): Promise<number> {
  let started: Awaited<ReturnType<typeof startExperimentShell>> | undefined;
  let run: ExperimentRun | undefined;
  let stopping = false;
  let report: Report | undefined;
  let file: string | undefined;
  // Ctrl-C: the run stops after the current trial and its report is still written; a second one exits at once.
  const onSigint = () => {
    if (stopping) {
      void started?.close().finally(() => process.exit(130));
      return;
    }
    stopping = true;
    console.error('\nStopping after the current trial (Ctrl-C again to quit without the report)…');
    run?.stop();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const total =
    request.scenario === 'chaos'
      ? (request.faults ?? 0) + (request.control === false ? 0 : Math.min(request.trials, request.faults ?? 0))
      : request.trials * (request.control === false ? 1 : 2);
  const tasks = new Listr(
    [
      {
        title: `Start the Chromium shell (headless, ${processModel})`,
        task: async () => {
          started = await startExperimentShell({ root, processModel, scenario: request.scenario });
        },
      },
      {
        title: `Run ${request.scenario} (seed ${request.seed})`,
        task: async (_context, task) => {
          if (stopping) return;
          run = startExperiment(started!.host, request);
          let landed = 0;
          run.onDidFinishTrial((trial) => {
            landed++;
            const moments = Object.entries(trial.marks)
              .filter(([name]) => name !== 'ended')
              .map(([name, ms]) => `${name} ${Math.round(ms)}`)
              .join(', ');
            task.output = `${landed}/${total} ${trial.arm} ${trial.scenario}: ${trial.ok ? 'ok' : `NOT ok (${trial.notes[0] ?? ''})`}; ${moments} ms`;
          });
          report = await run.done;
          task.title = `Ran ${request.scenario}: ${report.trials.length} trials${report.interrupted ? ' (stopped)' : ''}`;
        },
        rendererOptions: { outputBar: 1 },
      },
      {
        title: 'Write the report',
        task: async (_context, task) => {
          if (!report) return;
          await fs.mkdir(out, { recursive: true });
          file = path.join(out, `${report.id}.json`);
          const shown = (name: string) => path.relative(process.cwd(), name) || name;
          try {
            const written = await writeReportFiles(report, out);
            task.title = `Wrote ${shown(written.json)} and ${shown(written.html)}`;
          } catch (error) {
            // The JSON is written before the HTML: without the built viewer, say how to get the page.
            if (!(error instanceof ReportViewerMissingError)) throw error;
            task.title = `Wrote ${shown(file)}; no HTML: ${error.message}`;
          }
        },
      },
    ],
    { renderer: 'default', fallbackRenderer: 'simple', registerSignalListeners: false, exitOnError: true },
  );
  try {
    await tasks.run();
  } catch (error) {
    console.error(`The experiment failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await started?.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (!report) return stopping ? 130 : 1;
  printSummary(report);
  if (report.interrupted) return 130;
  return report.verdict.holds ? 0 : 1;
}

function printSummary(report: Report): void {
  console.log(
    `\n${report.verdict.holds ? 'The hypothesis held' : 'The hypothesis did NOT hold'}: ${report.hypothesis}`,
  );
  for (const reason of report.verdict.reasons) console.log(`  - ${reason}`);
  for (const summary of report.summaries) {
    if (!summary.p50) continue;
    const interval = `[${summary.p50.low.toFixed(1)}, ${summary.p50.high.toFixed(1)}]`;
    console.log(
      `  ${summary.name.padEnd(24)} ${summary.arm.padEnd(10)} n=${String(summary.n).padEnd(4)} p50 ${summary.p50.value.toFixed(1)} ms ${interval}`,
    );
  }
  if (report.soak) console.log(`  soak: ${JSON.stringify(report.soak)}`);
}

/** The Electron main runs the same runner in its browser process (`--lab-experiment`, main/electron/main.ts). */
async function runInElectron({ request, processModel }: ExperimentCommand): Promise<number> {
  const binary = findElectronBinary(root);
  if (!binary) {
    console.error(
      'No Electron binary is installed here (node_modules/electron/dist is missing): run with --shell chromium, or where Electron can be downloaded.',
    );
    return 1;
  }
  const sandbox = decideSandbox({
    uid: currentUid(),
    noSandboxRequested: false,
    helperPaths: chromeSandboxHelpers(binary),
  });
  const args = [
    ...(sandbox.enabled ? [] : ['--no-sandbox']),
    root,
    `--lab-experiment=${JSON.stringify(request)}`,
    `--lab-experiment-out=${out}`,
    ...(processModel === 'process-per-site' ? ['--lab-process-model=per-site'] : []),
  ];
  const child = spawn(binary, args, { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to us is passed on.
  const forward = () => child.kill('SIGINT');
  process.on('SIGTERM', forward);
  process.on('SIGINT', () => {});
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    child.once('error', (error) => {
      console.error(`Electron did not start: ${error.message}`);
      resolve(1);
    });
  });
}
