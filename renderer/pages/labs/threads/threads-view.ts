/**
 * The threads lab page's view: plain DOM over a ThreadsLabSource (real runs, replays, process vs
 * thread in the lab host) and the model run right here (you are the scheduler, the proofs). Controls
 * are made once per section; what changes is drawn again. Every text comes from i18n (`threads`).
 */
import type { i18n, TFunction } from 'i18next';
import type {
  ProcessVsThread,
  RealRun,
  ReplayResult,
  ThreadEvent,
  ThreadsProgramId,
  ThreadsProgramParams,
  ThreadsRunOptions,
  ThreadsRunResult,
} from '../../../../protocol/labs/threads-result.ts';
import { h } from '../dom.ts';
import { historyPlot, memoryPlot, racePlot } from './threads-plots.ts';
import { LabHostNotConnectedError, NotConnectedThreadsLabSource, type ThreadsLabSource } from './threads-lab-source.ts';
import {
  checkRequirements,
  exportFileName,
  historyGraph,
  memoryRatio,
  memoryRows,
  PROOF_PARAMS,
  RACE_LOCKS,
  raceRows,
  raceTotals,
  replayVerdict,
  REQUIREMENT_PROGRAMS,
  runParams,
  SCHEDULER_PROGRAMS,
  SchedulerSession,
  type RequirementRow,
  type SearchOutcome,
} from './threads-view-model.ts';
import './threads-lab.css';

type Phase = 'idle' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';
type GapAt = NonNullable<ThreadsProgramParams['gapAt']>;

let sectionIds = 0;
function section(scene: string) {
  const headingId = `threads-section-${++sectionIds}`;
  const heading = h('h2', { id: headingId });
  const intro = h('p', { class: 'section-intro' });
  const body = h('div', { class: 'section-body' });
  const element = h(
    'section',
    { class: 'card threads-section', 'data-scene': scene, 'aria-labelledby': headingId },
    heading,
    intro,
    body,
  );
  return { element, heading, intro, body };
}

function labelled(label: HTMLElement, control: HTMLElement) {
  return h('label', { class: 'knob' }, label, control);
}

const number = (value: number, language: string) => value.toLocaleString(language);

export function mountThreadsLab(root: HTMLElement, source: ThreadsLabSource, i18n: i18n): void {
  const t: () => TFunction = () => i18n.getFixedT(null, 'threads');
  const notConnected = source instanceof NotConnectedThreadsLabSource;
  const lang = () => i18n.language;
  const logLines: string[] = [];
  const log = h('pre', { class: 'lab-log', role: 'log', tabindex: 0 });
  const logHeading = h('h3');
  function appendLog(line: string) {
    logLines.push(line);
    if (logLines.length > 500) logLines.splice(0, logLines.length - 500);
    log.textContent = logLines.join('\n');
    log.scrollTop = log.scrollHeight;
  }
  const errorText = (error: unknown) =>
    error instanceof LabHostNotConnectedError
      ? t()('run.notConnected')
      : t()('run.failed', { message: (error as Error).message });
  const chartWidth = (element: HTMLElement) => Math.max(480, Math.floor(element.clientWidth || 900));

  /** The one busy flag of the page: the lab host runs one thing at a time. */
  let busy: string | undefined;
  const busyListeners: (() => void)[] = [];
  const setBusy = (what: string | undefined) => {
    busy = what;
    for (const listener of busyListeners) listener();
  };
  async function exclusive<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined;
    setBusy(what);
    try {
      return await work();
    } finally {
      setBusy(undefined);
    }
  }

  // ==== process vs thread ===============================================================================
  const pvt = section('process-vs-thread');
  const pvtButton = h('button', { type: 'button', 'data-action': 'measure' });
  const pvtStatus = h('p', { class: 'lab-status', role: 'status' });
  const pvtResult = h('div', { class: 'pvt-result' });
  let pvtData: ProcessVsThread | undefined;
  let pvtError: string | undefined;
  pvt.body.append(h('div', { class: 'actions' }, pvtButton), pvtStatus, pvtResult);
  pvtButton.addEventListener(
    'click',
    () =>
      void exclusive('pvt', async () => {
        pvtError = undefined;
        drawPvt();
        try {
          pvtData = await source.processVsThread({ workers: 4, iterations: 1_000_000 });
          appendLog(
            `process vs thread: ${JSON.stringify(pvtData.processes.childCounters)} / ${pvtData.threads.sharedCounter}`,
          );
        } catch (error) {
          pvtError = errorText(error);
        }
        drawPvt();
      }),
  );
  function drawPvt() {
    const tr = t();
    pvt.heading.textContent = tr('pvt.heading');
    pvt.intro.textContent = tr('pvt.intro');
    pvtButton.textContent = tr('pvt.measure');
    pvtButton.disabled = busy !== undefined || notConnected;
    pvtStatus.setAttribute('aria-label', tr('pvt.status'));
    pvtStatus.dataset.state = busy === 'pvt' ? 'running' : pvtError ? 'failed' : pvtData ? 'done' : 'idle';
    pvtStatus.classList.toggle('problem', pvtError !== undefined);
    pvtStatus.textContent =
      busy === 'pvt'
        ? tr('pvt.running')
        : (pvtError ?? (pvtData ? tr('pvt.done') : notConnected ? tr('run.notConnected') : tr('pvt.idle')));
    if (!pvtData) return void pvtResult.replaceChildren();
    const data = pvtData;
    const ratio = memoryRatio(data);
    pvtResult.replaceChildren(
      h(
        'div',
        { class: 'pvt-columns' },
        h(
          'div',
          { class: 'pvt-side', 'data-side': 'processes' },
          h('h3', {}, tr('pvt.processes')),
          h(
            'p',
            {},
            tr('pvt.childCounters', {
              counters: data.processes.childCounters.map((c) => number(c, lang())).join(', '),
            }),
          ),
          h(
            'p',
            { 'data-parent-counter': data.processes.parentCounter },
            tr('pvt.parentCounter', { counter: data.processes.parentCounter }),
          ),
        ),
        h(
          'div',
          { class: 'pvt-side', 'data-side': 'threads' },
          h('h3', {}, tr('pvt.threads')),
          h(
            'p',
            { 'data-shared-counter': data.threads.sharedCounter },
            tr('pvt.sharedCounter', {
              counter: number(data.threads.sharedCounter, lang()),
              workers: data.workers,
              iterations: number(data.iterations, lang()),
            }),
          ),
          h('p', {}, tr('pvt.rss', { before: data.threads.rssBeforeMiB, after: data.threads.rssWithThreadsMiB })),
        ),
      ),
      h(
        'figure',
        { class: 'chart', 'data-chart': 'memory', role: 'img', 'aria-label': tr('pvt.chartAria') },
        memoryPlot(
          memoryRows(data),
          {
            what: (row) => tr(row.what === 'process' ? 'pvt.childN' : 'pvt.threadN', { n: row.index + 1 }),
            mib: tr('pvt.mib'),
          },
          { width: chartWidth(pvtResult), document },
        ),
        h('figcaption', {}, ratio ? tr('pvt.ratio', { ratio: ratio.toFixed(1) }) : tr('pvt.noRatio')),
      ),
      h('p', { class: 'note' }, tr('pvt.note')),
    );
  }

  // ==== the race ========================================================================================
  const race = section('race');
  const threadsInput = h('input', { type: 'number', min: 1, max: 8, value: 4, name: 'threads' });
  const iterationsInput = h('input', {
    type: 'number',
    min: 1,
    max: 200000,
    step: 1000,
    value: 5000,
    name: 'iterations',
  });
  const runsInput = h('input', { type: 'number', min: 1, max: 16, value: 4, name: 'runs' });
  const gapSelect = h('select', { name: 'gap-at' });
  const lockSelect = h('select', { name: 'lock' });
  const threadsLabel = h('span');
  const iterationsLabel = h('span');
  const runsLabel = h('span');
  const gapLabel = h('span');
  const lockLabel = h('span');
  const runButton = h('button', { type: 'button', 'data-action': 'run' });
  const stopButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'stop' });
  const exportButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'export' });
  const raceStatus = h('p', { class: 'lab-status', role: 'status' });
  const raceSummary = h('p', { class: 'race-summary' });
  const raceChart = h('div', { class: 'race-chart' });
  const raceTable = h('div');
  race.body.append(
    h(
      'div',
      { class: 'knobs' },
      labelled(lockLabel, lockSelect),
      labelled(threadsLabel, threadsInput),
      labelled(iterationsLabel, iterationsInput),
      labelled(gapLabel, gapSelect),
      labelled(runsLabel, runsInput),
    ),
    h('div', { class: 'actions' }, runButton, stopButton, exportButton),
    raceStatus,
    raceSummary,
    raceChart,
    raceTable,
  );
  let racePhase: Phase = 'idle';
  let raceRuns: RealRun[] = [];
  /** The last finished run as the lab host answered it (checked against its schema on arrival): what Export JSON saves. */
  let raceResult: ThreadsRunResult | undefined;
  let raceError: string | undefined;
  let raceProgram: ThreadsProgramId = 'race';
  let raceOptions: ThreadsRunOptions | undefined;
  let lastRealRun: RealRun | undefined;
  const clampInt = (input: HTMLInputElement, min: number, max: number, fallback: number) => {
    const value = Math.round(Number(input.value));
    const clamped = Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
    input.value = String(clamped);
    return clamped;
  };
  runButton.addEventListener(
    'click',
    () =>
      void exclusive('race', async () => {
        raceProgram = lockSelect.value as ThreadsProgramId;
        const params = runParams(raceProgram, {
          threads: clampInt(threadsInput, 1, 8, 4),
          iterations: clampInt(iterationsInput, 1, 200_000, 5000),
          gapAt: gapSelect.value as GapAt,
        });
        const runs = clampInt(runsInput, 1, 16, 4);
        raceOptions = { ...params, runs };
        raceRuns = [];
        raceResult = undefined;
        raceError = undefined;
        racePhase = 'running';
        drawRace();
        try {
          const result = await source.run({ ...params, runs }, (progress) => {
            appendLog(progress.line);
            const run = progress.race ?? progress.primitive;
            if (run && (racePhase === 'running' || racePhase === 'stopping')) {
              raceRuns = [...raceRuns, run];
              lastRealRun = run;
              drawRace();
              drawHistory();
            }
          });
          raceRuns = result.runs;
          raceResult = result;
          racePhase = 'done';
        } catch (error) {
          // stop() may have changed the phase while the run was awaited.
          if ((racePhase as Phase) === 'stopping') racePhase = 'stopped';
          else {
            racePhase = 'failed';
            raceError = errorText(error);
          }
        }
        drawRace();
        drawHistory();
      }),
  );
  stopButton.addEventListener('click', () => {
    if (racePhase !== 'running') return;
    racePhase = 'stopping';
    drawRace();
    void source.stop().catch((error: unknown) => appendLog(`stop: ${(error as Error).message}`));
  });
  exportButton.addEventListener('click', () => {
    if (!raceResult) return;
    const blob = new Blob([`${JSON.stringify({ options: raceOptions, ...raceResult }, null, 2)}\n`], {
      type: 'application/json',
    });
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: exportFileName(new Date()) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  function drawRace() {
    const tr = t();
    race.heading.textContent = tr('race.heading');
    race.intro.textContent = tr('race.intro');
    lockLabel.textContent = tr('race.lock');
    threadsLabel.textContent = tr('race.threads');
    iterationsLabel.textContent = tr('race.iterations');
    runsLabel.textContent = tr('race.runs');
    gapLabel.textContent = tr('race.gapAt');
    const selectedLock = lockSelect.value || 'race';
    lockSelect.replaceChildren(
      ...RACE_LOCKS.map((id) => h('option', { value: id, selected: id === selectedLock }, tr(`programs.${id}.name`))),
    );
    const selectedGap = gapSelect.value || 'load-store';
    gapSelect.replaceChildren(
      ...(['load-store', 'after-store', 'none'] as const).map((gap) =>
        h('option', { value: gap, selected: gap === selectedGap }, tr(`race.gap.${gap}`)),
      ),
    );
    runButton.textContent = tr('race.run');
    stopButton.textContent = tr('race.stop');
    exportButton.textContent = tr('race.export');
    const running = racePhase === 'running' || racePhase === 'stopping';
    runButton.disabled = busy !== undefined || notConnected;
    stopButton.disabled = racePhase !== 'running';
    exportButton.disabled = running || !raceResult;
    for (const control of [lockSelect, threadsInput, iterationsInput, gapSelect, runsInput]) control.disabled = running;
    raceStatus.setAttribute('aria-label', tr('race.status'));
    raceStatus.dataset.state = racePhase;
    raceStatus.classList.toggle('problem', raceError !== undefined || notConnected);
    raceStatus.textContent = notConnected
      ? tr('run.notConnected')
      : (raceError ??
        (racePhase === 'running'
          ? tr('race.running', { done: raceRuns.length })
          : racePhase === 'stopping'
            ? tr('race.stopping')
            : racePhase === 'stopped'
              ? tr('race.stopped')
              : racePhase === 'done'
                ? tr('race.done', { runs: raceRuns.length })
                : tr('race.idle')));
    const totals = raceTotals(raceRuns);
    race.element.dataset.lost = String(totals.lost);
    race.element.dataset.runs = String(totals.runs);
    race.element.dataset.program = raceProgram;
    raceSummary.textContent = totals.runs
      ? tr(totals.lost > 0 ? 'race.summaryLost' : 'race.summaryNone', {
          program: tr(`programs.${raceProgram}.name`),
          threads: raceRuns[0]?.threads ?? 0,
          lost: number(totals.lost, lang()),
          expected: number(totals.expected, lang()),
          runs: totals.runs,
          losing: totals.runsLosing,
        })
      : '';
    raceSummary.classList.toggle('lost', totals.lost > 0);
    raceChart.replaceChildren(
      raceRuns.length
        ? h(
            'figure',
            { class: 'chart', 'data-chart': 'race', role: 'img', 'aria-label': tr('race.chartAria') },
            racePlot(
              raceRows(raceRuns),
              {
                run: tr('race.chartRun'),
                count: tr('race.chartCount'),
                final: tr('race.final'),
                lost: tr('race.lost'),
              },
              { width: chartWidth(race.body), document },
            ),
          )
        : '',
    );
    raceTable.replaceChildren(
      raceRuns.length
        ? h(
            'table',
            { class: 'race-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['run', 'final', 'lost', 'inside', 'blocks', 'wall'].map((key) =>
                  h('th', { scope: 'col' }, tr(`race.col.${key}`)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...raceRuns.map((run, index) =>
                h(
                  'tr',
                  { 'data-lost': run.lostUpdates, class: run.lostUpdates > 0 ? 'tore' : '' },
                  h('td', { class: 'num' }, index + 1),
                  h('td', { class: 'num' }, `${number(run.final, lang())} / ${number(run.expected, lang())}`),
                  h('td', { class: 'num lost' }, number(run.lostUpdates, lang())),
                  h(
                    'td',
                    {},
                    run.regions.map((region) => `${region.region} ${region.maxInside}/${region.limit}`).join(', '),
                  ),
                  h(
                    'td',
                    { class: 'num' },
                    run.perThread.reduce((sum, thread) => sum + thread.blocks, 0),
                  ),
                  h('td', { class: 'num' }, `${run.wallMs} ms`),
                ),
              ),
            ),
          )
        : '',
    );
  }

  // ==== critical sections, three ways: the requirements ================================================
  const req = section('requirements');
  const proveButton = h('button', { type: 'button', 'data-action': 'prove' });
  const reqStatus = h('p', { class: 'lab-status', role: 'status' });
  const reqTable = h('div');
  req.body.append(h('div', { class: 'actions' }, proveButton), reqStatus, reqTable);
  const proofs = new Map<ThreadsProgramId, RequirementRow>();
  const realByProgram = new Map<ThreadsProgramId, RealRun | string>();
  let proving = false;
  proveButton.addEventListener('click', () => {
    if (proving) return;
    proving = true;
    proofs.clear();
    drawRequirements();
    // One program per task, so the page keeps answering while the model searches.
    const queue = [...REQUIREMENT_PROGRAMS];
    const next = () => {
      const id = queue.shift();
      if (!id) {
        proving = false;
        drawRequirements();
        return;
      }
      proofs.set(id, checkRequirements(id));
      drawRequirements();
      setTimeout(next, 0);
    };
    setTimeout(next, 0);
  });
  async function runReal(id: ThreadsProgramId) {
    await exclusive(`real-${id}`, async () => {
      drawRequirements();
      try {
        const params = runParams(id, { threads: 4, iterations: 2000, gapAt: 'load-store' });
        const result = await source.run({ ...params, runs: 1 }, (progress) => appendLog(progress.line));
        realByProgram.set(id, result.runs[0]!);
        lastRealRun = result.runs[0];
      } catch (error) {
        realByProgram.set(id, errorText(error));
      }
      drawRequirements();
      drawHistory();
    });
  }
  function verdictCell(row: RequirementRow, which: 'exclusion' | 'progress' | 'bounded') {
    const tr = t();
    const requirement = row[which];
    return h(
      'td',
      { 'data-requirement': which, 'data-verdict': requirement.verdict },
      h(
        'span',
        { class: `pill ${requirement.verdict === 'not-shown' ? 'unknown' : requirement.verdict}` },
        tr(`verdict.${requirement.verdict}`),
      ),
      ' ',
      h(
        'span',
        { class: 'verdict-detail' },
        tr(
          `req.${which}.${requirement.verdict === 'fails' ? `fails-${String(requirement.values.why ?? 'x')}` : requirement.verdict}`,
          requirement.values,
        ),
      ),
      requirement.schedule
        ? h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => showInScheduler(row.program, requirement.schedule!),
            },
            tr('req.show', { steps: requirement.schedule.length }),
          )
        : '',
    );
  }
  function drawRequirements() {
    const tr = t();
    req.heading.textContent = tr('req.heading');
    req.intro.textContent = tr('req.intro', PROOF_PARAMS);
    proveButton.textContent = tr('req.prove');
    proveButton.disabled = proving;
    reqStatus.setAttribute('aria-label', tr('req.status'));
    reqStatus.dataset.state = proving ? 'running' : proofs.size ? 'done' : 'idle';
    reqStatus.textContent = proving
      ? tr('req.proving', { done: proofs.size, total: REQUIREMENT_PROGRAMS.length })
      : proofs.size
        ? tr('req.proved')
        : tr('req.idle');
    reqTable.replaceChildren(
      h(
        'table',
        { class: 'req-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['program', 'exclusion', 'progress', 'bounded', 'real'].map((key) =>
              h('th', { scope: 'col' }, tr(`req.col.${key}`)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...REQUIREMENT_PROGRAMS.map((id) => {
            const row = proofs.get(id);
            const real = realByProgram.get(id);
            return h(
              'tr',
              { 'data-program': id },
              h(
                'th',
                { scope: 'row' },
                h('div', { class: 'program-name' }, tr(`programs.${id}.name`)),
                h('div', { class: 'program-shows' }, tr(`programs.${id}.shows`)),
              ),
              ...(row
                ? [verdictCell(row, 'exclusion'), verdictCell(row, 'progress'), verdictCell(row, 'bounded')]
                : [h('td', { colspan: 3, class: 'not-run' }, tr(proving ? 'req.waiting' : 'req.notYet'))]),
              h(
                'td',
                { class: 'real-cell' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    'data-action': 'run-real',
                    disabled: busy !== undefined || notConnected,
                    onclick: () => void runReal(id),
                  },
                  busy === `real-${id}` ? tr('req.running') : tr('req.runReal'),
                ),
                typeof real === 'string'
                  ? h('div', { class: 'channel-error' }, real)
                  : real
                    ? h(
                        'div',
                        { class: 'real-result', 'data-lost': real.lostUpdates },
                        tr('req.realResult', {
                          final: number(real.final, lang()),
                          expected: number(real.expected, lang()),
                          lost: number(real.lostUpdates, lang()),
                          inside: real.regions.map((region) => `${region.maxInside}/${region.limit}`).join(', '),
                          overtaken: real.maxOvertaken,
                          threads: real.threads,
                        }),
                      )
                    : '',
              ),
            );
          }),
        ),
      ),
    );
  }

  // ==== you are the scheduler ==========================================================================
  const sched = section('scheduler');
  const programSelect = h('select', { name: 'program' });
  const programLabel = h('span');
  const seedInput = h('input', { type: 'number', min: 1, max: 1_000_000, value: 1, name: 'seed' });
  const seedLabel = h('span');
  const pickButtons = h('div', { class: 'pick-buttons', role: 'group' });
  const backButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'back' });
  const randomStepButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'random-step' });
  const randomRunButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'random-run' });
  const restartButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'restart' });
  const searchButton = h('button', { type: 'button', 'data-action': 'search' });
  const replayButton = h('button', { type: 'button', 'data-action': 'replay' });
  const goal = h('p', { class: 'goal', role: 'status' });
  const scheduleLine = h('p', { class: 'schedule-line' });
  const threadCards = h('div', { class: 'thread-cards' });
  const panels = h('div', { class: 'primitive-panels' });
  const replayBox = h('div', { class: 'replay-box', role: 'status' });
  sched.body.append(
    h('div', { class: 'knobs' }, labelled(programLabel, programSelect), labelled(seedLabel, seedInput)),
    pickButtons,
    h(
      'div',
      { class: 'actions' },
      backButton,
      randomStepButton,
      randomRunButton,
      restartButton,
      searchButton,
      replayButton,
    ),
    goal,
    scheduleLine,
    threadCards,
    panels,
    replayBox,
  );
  const schedulerParams = (id: ThreadsProgramId): ThreadsProgramParams => ({
    program: id,
    threads: id === 'mutex' || id === 'binary-semaphore' ? 3 : 2,
    iterations: id.startsWith('milk') ? 1 : 2,
    gapAt: 'none',
  });
  let session = new SchedulerSession(schedulerParams('race'));
  let searchOutcome: SearchOutcome | undefined;
  let replayResult: { result: ReplayResult; region: string } | string | undefined;
  let replaying = false;
  const schedulerChanged = () => {
    searchOutcome = undefined;
    replayResult = undefined;
    drawScheduler();
    drawHistory();
  };
  function showInScheduler(id: ThreadsProgramId, schedule: readonly number[]) {
    if (!SCHEDULER_PROGRAMS.includes(id) && id !== 'counting-semaphore' && id !== 'monitor-buffer') return;
    session = new SchedulerSession({ program: id, ...PROOF_PARAMS }, session.seed);
    session.load(schedule);
    programSelect.value = id;
    schedulerChanged();
    sched.element.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
  programSelect.addEventListener('change', () => {
    session = new SchedulerSession(schedulerParams(programSelect.value as ThreadsProgramId), session.seed);
    schedulerChanged();
  });
  seedInput.addEventListener('change', () => {
    const seed = Math.max(1, Math.round(Number(seedInput.value)) || 1);
    seedInput.value = String(seed);
    session.restart(seed);
    schedulerChanged();
  });
  backButton.addEventListener('click', () => {
    session.back();
    schedulerChanged();
  });
  randomStepButton.addEventListener('click', () => {
    session.randomStep();
    schedulerChanged();
  });
  randomRunButton.addEventListener('click', () => {
    session.randomRun();
    schedulerChanged();
  });
  restartButton.addEventListener('click', () => {
    session.restart();
    schedulerChanged();
  });
  searchButton.addEventListener('click', () => {
    const outcome = session.search();
    schedulerChanged();
    searchOutcome = outcome;
    drawScheduler();
  });
  replayButton.addEventListener(
    'click',
    () =>
      void exclusive('replay', async () => {
        replaying = true;
        replayResult = undefined;
        drawScheduler();
        const region = session.region;
        try {
          const result = await source.replay({ ...session.params, schedule: [...session.schedule] });
          replayResult = { result, region };
          appendLog(
            `replay ${result.program}: ${result.schedule.length} steps, ${result.agree ? 'the same' : 'DIFFERENT'}`,
          );
        } catch (error) {
          replayResult = errorText(error);
        }
        replaying = false;
        drawScheduler();
        drawHistory();
      }),
  );
  function drawScheduler() {
    const tr = t();
    sched.heading.textContent = tr('sched.heading');
    sched.intro.textContent = tr('sched.intro');
    programLabel.textContent = tr('sched.program');
    seedLabel.textContent = tr('sched.seed');
    const selected = session.params.program;
    programSelect.replaceChildren(
      ...[...new Set([...SCHEDULER_PROGRAMS, selected])].map((id) =>
        h('option', { value: id, selected: id === selected }, tr(`programs.${id}.name`)),
      ),
    );
    const views = session.threads();
    pickButtons.setAttribute('aria-label', tr('sched.pick'));
    pickButtons.replaceChildren(
      h('span', { class: 'pick-label' }, tr('sched.pick')),
      ...views.map((view) =>
        h(
          'button',
          {
            type: 'button',
            'data-pick': view.index,
            disabled: !view.canStep,
            onclick: () => {
              session.pick(view.index);
              schedulerChanged();
            },
          },
          tr('sched.step', { thread: view.name }),
        ),
      ),
    );
    backButton.textContent = tr('sched.back');
    backButton.disabled = session.schedule.length === 0;
    randomStepButton.textContent = tr('sched.randomStep');
    randomRunButton.textContent = tr('sched.randomRun');
    restartButton.textContent = tr('sched.restart');
    searchButton.textContent = tr('sched.searchAll');
    replayButton.textContent = replaying ? tr('sched.replaying') : tr('sched.replay');
    replayButton.disabled = busy !== undefined || session.schedule.length === 0 || notConnected;
    randomStepButton.disabled = session.finished;
    randomRunButton.disabled = session.finished || session.violated;
    const outcome = session.model.outcome();
    const state = session.violated
      ? 'reached'
      : searchOutcome?.kind === 'impossible'
        ? 'impossible'
        : session.finished
          ? 'finished'
          : 'open';
    sched.element.dataset.goal = state;
    sched.element.dataset.steps = String(session.schedule.length);
    goal.setAttribute('aria-label', tr('sched.goalLabel'));
    goal.dataset.goal = state;
    const values = {
      region: session.region,
      limit: session.limit,
      inside: session.state.inside[session.region]?.length ?? 0,
      steps: session.schedule.length,
      counter: outcome.counter ?? 0,
      expected: outcome.expected ?? 0,
      states: number(searchOutcome?.states ?? 0, lang()),
    };
    goal.textContent = [
      tr(`sched.goal.${state}`, values),
      searchOutcome ? tr(`sched.search.${searchOutcome.kind}`, values) : '',
      session.finished && outcome.expected !== null ? tr('sched.finalCounter', values) : '',
    ]
      .filter(Boolean)
      .join(' ');
    scheduleLine.textContent = tr('sched.schedule', {
      schedule: session.schedule.length
        ? session.schedule.map((thread) => session.program.threads[thread]!.name).join(' ')
        : '—',
    });
    threadCards.replaceChildren(
      ...views.map((view) =>
        h(
          'div',
          {
            class: `thread-card ${view.inside ? 'inside' : ''}`,
            'data-thread': view.index,
            'data-status': view.status,
          },
          h(
            'div',
            { class: 'thread-head' },
            h('b', {}, view.name),
            ' ',
            h('span', { class: `pill ${view.status}` }, tr(`sched.status.${view.status}`)),
            view.inside ? h('span', { class: 'pill fails' }, tr('sched.inside')) : '',
          ),
          h(
            'ol',
            { class: 'code', start: 0 },
            ...view.lines.map((line, pc) =>
              h('li', { class: pc === view.pc && view.status !== 'done' ? 'pc' : '' }, h('code', {}, line)),
            ),
          ),
          h(
            'div',
            { class: 'regs' },
            view.regs.length ? view.regs.map(([reg, value]) => `${reg}=${value}`).join('  ') : '—',
          ),
        ),
      ),
    );
    panels.replaceChildren(
      ...session
        .panels()
        .map((panel) =>
          h(
            'div',
            { class: `primitive-panel ${panel.kind}`, 'data-panel': `${panel.kind}:${panel.name}` },
            h('div', { class: 'panel-title' }, tr(`panel.${panel.kind}`), ' ', h('code', {}, panel.name)),
            h(
              'dl',
              {},
              ...panel.fields.map(([key, value]) =>
                h('div', {}, h('dt', {}, tr(`panel.field.${key}`, { defaultValue: key })), h('dd', {}, value)),
              ),
            ),
          ),
        ),
    );
    if (replaying) replayBox.textContent = tr('sched.replaying');
    else if (typeof replayResult === 'string') replayBox.textContent = replayResult;
    else if (replayResult) {
      const verdict = replayVerdict(replayResult.result, replayResult.region);
      replayBox.textContent = tr(verdict.agree ? 'sched.replaySame' : 'sched.replayDifferent', {
        ...verdict,
        region: replayResult.region,
      });
    } else replayBox.textContent = '';
    replayBox.dataset.replay = replaying
      ? 'running'
      : typeof replayResult === 'string'
        ? 'failed'
        : replayResult
          ? replayResult.result.agree
            ? 'agree'
            : 'differ'
          : 'none';
    replayBox.setAttribute('aria-label', tr('sched.replayLabel'));
  }

  // ==== the history graph ===============================================================================
  const history = section('history');
  const historySource = h('select', { name: 'history-source' });
  const historySourceLabel = h('span');
  const syncOnly = h('input', { type: 'checkbox', name: 'sync-only' });
  const syncOnlyLabel = h('span');
  const historyChart = h('div');
  const historyObjects = h('div', { class: 'primitive-panels' });
  history.body.append(
    h(
      'div',
      { class: 'knobs' },
      labelled(historySourceLabel, historySource),
      h('label', { class: 'check' }, syncOnly, syncOnlyLabel),
    ),
    historyChart,
    historyObjects,
  );
  historySource.addEventListener('change', () => drawHistory());
  syncOnly.addEventListener('change', () => drawHistory());
  function historyEvents(): { events: readonly ThreadEvent[]; names: string[] } | undefined {
    const which = historySource.value || 'model';
    if (which === 'replay' && replayResult && typeof replayResult !== 'string')
      return { events: replayResult.result.realEvents, names: session.program.threads.map((thread) => thread.name) };
    if (which === 'real' && lastRealRun)
      return { events: lastRealRun.events, names: Array.from({ length: lastRealRun.threads }, (_, i) => `T${i}`) };
    if (which === 'model')
      return { events: session.events, names: session.program.threads.map((thread) => thread.name) };
    return undefined;
  }
  function drawHistory() {
    const tr = t();
    history.heading.textContent = tr('history.heading');
    history.intro.textContent = tr('history.intro');
    historySourceLabel.textContent = tr('history.source');
    syncOnlyLabel.textContent = tr('history.syncOnly');
    const current = historySource.value || 'model';
    historySource.replaceChildren(
      ...(['model', 'replay', 'real'] as const).map((value) =>
        h(
          'option',
          {
            value,
            selected: value === current,
            disabled:
              (value === 'replay' && (!replayResult || typeof replayResult === 'string')) ||
              (value === 'real' && !lastRealRun),
          },
          tr(`history.from.${value}`),
        ),
      ),
    );
    const chosen = historyEvents();
    const graph = chosen
      ? historyGraph(chosen.events, chosen.names, { syncOnly: syncOnly.checked || current === 'real', max: 300 })
      : undefined;
    history.element.dataset.points = String(graph?.points.length ?? 0);
    history.element.dataset.links = String(graph?.links.length ?? 0);
    historyChart.replaceChildren(
      graph && graph.points.length
        ? h(
            'figure',
            { class: 'chart', 'data-chart': 'history', role: 'img', 'aria-label': tr('history.aria') },
            historyPlot(
              graph,
              { time: tr('history.time'), kind: (kind) => tr(`history.kind.${kind}`) },
              { width: chartWidth(history.body), document },
            ),
            h('figcaption', {}, tr('history.caption', { events: graph.points.length, links: graph.links.length })),
          )
        : h('p', { class: 'not-run' }, tr('history.empty')),
    );
    historyObjects.replaceChildren(
      ...(graph?.objects ?? []).map((object) =>
        h(
          'div',
          { class: 'primitive-panel', 'data-object': object.name },
          h('div', { class: 'panel-title' }, h('code', {}, object.name)),
          h(
            'dl',
            {},
            h('div', {}, h('dt', {}, tr('history.acquires')), h('dd', {}, object.acquires)),
            h('div', {}, h('dt', {}, tr('history.blocks')), h('dd', {}, object.blocks)),
            h('div', {}, h('dt', {}, tr('history.wakes')), h('dd', {}, object.wakes)),
            object.count !== undefined
              ? h('div', {}, h('dt', {}, tr('panel.field.count')), h('dd', {}, object.count))
              : '',
          ),
        ),
      ),
    );
  }

  // ==== layout, language ===============================================================================
  const back = h('a', { class: 'back-link', href: 'labs' });
  const logSection = h('section', { class: 'card threads-section', 'data-scene': 'log' }, logHeading, log);
  root.replaceChildren(
    h('nav', { class: 'lab-nav' }, back),
    pvt.element,
    race.element,
    req.element,
    sched.element,
    history.element,
    logSection,
  );
  function drawAll() {
    back.textContent = `← ${i18n.t('labs:index.allLabs')}`;
    logHeading.textContent = t()('run.log');
    if (!logLines.length) log.textContent = t()('run.logEmpty');
    drawPvt();
    drawRace();
    drawRequirements();
    drawScheduler();
    drawHistory();
  }
  busyListeners.push(() => {
    drawPvt();
    drawRace();
    drawRequirements();
    drawScheduler();
  });
  i18n.on('languageChanged', drawAll);
  drawAll();
}
