/**
 * The deadlock lab page's view: plain DOM over a DeadlockLabSource. Controls are made once (the focus
 * stays); what the lab host reports is drawn again on each change and on a language change. Every
 * text comes from i18n (`deadlock` namespace, `tx`).
 */
import type { i18n } from 'i18next';
import type {
  BankerCheckResult,
  DeadlockRunResult,
  DeadlockSnapshotEvent,
  RecoveryRecord,
  StarvationComparison,
  SyncCallReport,
} from '../../../../protocol/labs/deadlock-result.ts';
import { h } from '../dom.ts';
import { allocationGraphSvg } from './allocation-graph-svg.ts';
import { LabHostNotConnectedError, type DeadlockLabSource } from './deadlock-lab-source.ts';
import {
  agingSummary,
  allocationGraph,
  conditionRows,
  deriveNeed,
  formatRate,
  formatVector,
  histogramBars,
  nextStall,
  parseCount,
  rateRow,
  safetyView,
  STALL_IDLE,
  stallSeconds,
  TEXTBOOK_FORM,
  type BankerForm,
  type GraphNode,
  type RateRow,
  type StallEvent,
} from './deadlock-view-model.ts';
import { waitHistogram } from './starvation-plot.ts';
import './deadlock-lab.css';

type RunPhase = 'idle' | 'running' | 'deadlocked' | 'recovering' | 'finished' | 'recovered' | 'stopped' | 'failed';
type Strategy = DeadlockRunResult['row']['strategy'];
const PREVENTION_SWITCHES = ['lock-order', 'all-or-none', 'preemption', 'shareable'] as const;
/** The condition each switch breaks (lab-host/deadlock/model/programs.ts PREVENTION). */
const BREAKS: Record<(typeof PREVENTION_SWITCHES)[number], string> = {
  'lock-order': 'circular-wait',
  'all-or-none': 'hold-and-wait',
  preemption: 'no-preemption',
  shareable: 'mutual-exclusion',
};

let sectionIds = 0;
function section(name: string) {
  const headingId = `deadlock-section-${++sectionIds}`;
  const heading = h('h2', { id: headingId });
  const intro = h('p', { class: 'section-intro' });
  const body = h('div', { class: 'section-body' });
  const element = h(
    'section',
    { class: 'card deadlock-section', 'data-section': name, 'aria-labelledby': headingId },
    heading,
    intro,
    body,
  );
  return { element, heading, intro, body };
}

function labelled(text: HTMLElement, control: HTMLElement) {
  return h('label', { class: 'control' }, text, control);
}

function select(name: string, values: readonly string[], value: string) {
  return h(
    'select',
    { name },
    ...values.map((option) => h('option', { value: option, selected: option === value }, option)),
  );
}

function numberInput(name: string, value: number, min: number, max: number) {
  return h('input', { type: 'number', name, value, min, max, step: 1, inputmode: 'numeric' });
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function mountDeadlockLab(root: HTMLElement, source: DeadlockLabSource, i18n: i18n): void {
  const tx = (key: string, options?: Record<string, unknown>) => i18n.t(`deadlock:${key}`, options ?? {});
  const renders: (() => void)[] = [];
  const exportable: Record<string, unknown> = {};

  // ---- 1. cause a deadlock, see the cycle, detect and recover ---------------------------------
  const cause = section('cause');
  const sceneSelect = select('scene', ['philosophers', 'transfer'], 'philosophers');
  const philosophersInput = numberInput('philosophers', 5, 2, 16);
  const strategySelect = select('strategy', ['none', 'lock-order', 'all-or-none', 'preemption'], 'none');
  const policySelect = select('policy', ['fewest-held', 'youngest'], 'fewest-held');
  const actionSelect = select('action', ['terminate', 'rollback'], 'terminate');
  const labels = {
    scene: h('span'),
    philosophers: h('span'),
    strategy: h('span'),
    policy: h('span'),
    action: h('span'),
  };
  const startButton = h('button', { type: 'button' });
  const recoverButton = h('button', { type: 'button', disabled: true });
  const stopButton = h('button', { type: 'button', class: 'secondary', disabled: true });
  const runStatus = h('p', { role: 'status', 'aria-label': 'Run status', 'data-state': 'idle', class: 'status' });
  const graphFigure = h('figure', { class: 'graph', 'data-graph': 'live', 'data-cycle': 'false' });
  const graphCaption = h('figcaption');
  const conditionsList = h('ul', { class: 'conditions' });
  const recoveryBox = h('div', { class: 'recovery', 'data-recovery': '' });
  const causeLog = h('pre', { class: 'log', role: 'log' });
  cause.body.append(
    h(
      'div',
      { class: 'controls' },
      labelled(labels.scene, sceneSelect),
      labelled(labels.philosophers, philosophersInput),
      labelled(labels.strategy, strategySelect),
      labelled(labels.policy, policySelect),
      labelled(labels.action, actionSelect),
    ),
    h('div', { class: 'buttons' }, startButton, recoverButton, stopButton),
    runStatus,
    h('div', { class: 'graph-and-conditions' }, graphFigure, h('div', {}, conditionsList, recoveryBox)),
    causeLog,
  );
  let runPhase: RunPhase = 'idle';
  let runsStarted = 0;
  let live: DeadlockSnapshotEvent | undefined;
  let lastRecovery: RecoveryRecord | undefined;
  let runError = '';
  const log = (target: HTMLElement, line: string) => {
    target.textContent = `${target.textContent ?? ''}${line}\n`.split('\n').slice(-200).join('\n');
    target.scrollTop = target.scrollHeight;
  };
  // Short labels on the ring: P0, F0 (the full names are in each node's tooltip and the lists).
  const shortName = (node: GraphNode) =>
    node.mainThread
      ? tx('graph.mainThread')
      : /\d+$/.test(node.name)
        ? `${node.kind === 'thread' ? 'P' : 'F'}${/\d+$/.exec(node.name)![0]}`
        : node.name;

  /** The lab host names threads and resources in English; the page says them in the reader's language. */
  const localName = (name: string): string => {
    const match = /^(philosopher|fork|account|ledger) (\w+)$/.exec(name);
    if (match) return tx(`names.${match[1]}`, { id: match[2] });
    const pair = /^(transfer|audit) (\w)(?:->|,)(\w)$/.exec(name);
    if (pair) return tx(`names.${pair[1]}`, { from: pair[2], to: pair[3] });
    if (name === 'lock worker') return tx('names.lockWorker');
    if (name === 'lab host main thread') return tx('names.mainThread');
    return name;
  };
  const localized = (event: DeadlockSnapshotEvent): DeadlockSnapshotEvent => ({
    ...event,
    snapshot: {
      ...event.snapshot,
      threads: event.snapshot.threads.map((thread) => ({ ...thread, name: localName(thread.name) })),
      resources: event.snapshot.resources.map((resource) => ({ ...resource, name: localName(resource.name) })),
    },
  });

  const drawGraph = (figure: HTMLElement, caption: HTMLElement, event: DeadlockSnapshotEvent | undefined) => {
    if (!event) {
      figure.replaceChildren(caption);
      caption.textContent = tx('graph.empty');
      figure.dataset.cycle = 'false';
      return;
    }
    const { snapshot, detection, mainThread } = localized(event);
    const graph = allocationGraph(snapshot, detection, mainThread);
    figure.dataset.cycle = String(graph.cycles.length > 0);
    figure.dataset.confirmed = String(event.confirmed);
    caption.textContent = graph.cycles.length
      ? tx(event.mainThread !== null ? 'graph.stall' : event.confirmed ? 'graph.deadlock' : 'graph.cycle', {
          cycle: graph.cycles[0]!.join(' → '),
        })
      : tx('graph.noCycle', { version: snapshot.version });
    figure.replaceChildren(allocationGraphSvg(graph, tx('graph.label'), shortName), caption);
  };

  const renderCause = () => {
    cause.heading.textContent = tx('cause.title');
    cause.intro.textContent = tx('cause.intro');
    labels.scene.textContent = tx('controls.scene');
    labels.philosophers.textContent = tx('controls.philosophers');
    labels.strategy.textContent = tx('controls.strategy');
    labels.policy.textContent = tx('controls.policy');
    labels.action.textContent = tx('controls.action');
    for (const option of sceneSelect.options) option.textContent = tx(`scene.${option.value}`);
    for (const option of strategySelect.options) option.textContent = tx(`strategy.${option.value}`);
    for (const option of policySelect.options) option.textContent = tx(`policy.${option.value}`);
    for (const option of actionSelect.options) option.textContent = tx(`action.${option.value}`);
    philosophersInput.disabled = sceneSelect.value !== 'philosophers' || runPhase === 'running';
    const recoveryApplies = strategySelect.value === 'none';
    policySelect.disabled = !recoveryApplies;
    actionSelect.disabled = !recoveryApplies;
    startButton.textContent = tx('cause.start');
    recoverButton.textContent = tx('cause.recover');
    stopButton.textContent = tx('cause.stop');
    const busy = runPhase === 'running' || runPhase === 'deadlocked' || runPhase === 'recovering';
    startButton.disabled = busy;
    stopButton.disabled = !busy;
    recoverButton.disabled = runPhase !== 'deadlocked' || !recoveryApplies;
    runStatus.dataset.state = runPhase;
    runStatus.textContent = tx(`runPhase.${runPhase}`, { error: runError });
    drawGraph(graphFigure, graphCaption, live);
    conditionsList.replaceChildren(
      ...(live
        ? conditionRows(localized(live).snapshot, live.detection).map((row) =>
            h(
              'li',
              { 'data-condition': row.id, 'data-holds': String(row.holds), class: row.holds ? 'holds' : 'not-held' },
              h('strong', {}, tx(`condition.${row.id}`)),
              ' ',
              h('span', { class: 'pill' }, tx(row.holds ? 'condition.holds' : 'condition.notHeld')),
              row.where.length
                ? h('span', { class: 'where' }, ` ${tx('condition.where')} ${row.where.join(', ')}`)
                : null,
            ),
          )
        : []),
    );
    recoveryBox.replaceChildren(
      ...(lastRecovery
        ? [
            h('h3', {}, tx('recovery.title')),
            h(
              'p',
              {},
              tx('recovery.victim', {
                victim: lastRecovery.victimName,
                policy: tx(`policy.${lastRecovery.policy}`),
                policyText: tx(`policyText.${lastRecovery.policy}`),
                action: tx(`action.${lastRecovery.action}`),
              }),
            ),
            h(
              'p',
              { 'data-cost': '' },
              tx('recovery.cost', {
                released: lastRecovery.released.length,
                lost: lastRecovery.workLost,
                redone: lastRecovery.roundsRedone,
              }),
            ),
          ]
        : []),
    );
  };
  renders.push(renderCause);
  sceneSelect.addEventListener('change', renderCause);
  strategySelect.addEventListener('change', renderCause);

  const failureText = (error: unknown) =>
    error instanceof LabHostNotConnectedError ? tx('notConnected') : errorText(error);

  startButton.addEventListener('click', () => {
    runPhase = 'running';
    live = undefined;
    lastRecovery = undefined;
    runError = '';
    causeLog.textContent = '';
    renderCause();
    const strategy = strategySelect.value as Strategy;
    const scene = sceneSelect.value as 'philosophers' | 'transfer';
    source
      .run(
        {
          scene,
          ...(scene === 'philosophers' ? { philosophers: Number(philosophersInput.value) } : {}),
          strategy,
          runs: 1,
          // Seeded pauses: run k of this page is the same schedule of pauses every time.
          seed: ++runsStarted,
          live: true,
          ...(strategy === 'none'
            ? {
                recovery: {
                  policy: policySelect.value as RecoveryRecord['policy'],
                  action: actionSelect.value as RecoveryRecord['action'],
                },
              }
            : {}),
        },
        {
          onSnapshot: (event) => {
            live = event;
            if (event.confirmed && runPhase === 'running') runPhase = 'deadlocked';
            renderCause();
          },
          onProgress: (event) => {
            log(causeLog, event.line);
            if (event.recovery) {
              lastRecovery = event.recovery;
              runPhase = 'running';
              renderCause();
            }
          },
        },
      )
      .then(
        (result) => {
          exportable.lastRun = result;
          const outcome = result.outcomes[0];
          runPhase = outcome === 'recovered' ? 'recovered' : outcome === 'finished' ? 'finished' : 'stopped';
          log(causeLog, tx('cause.outcome', { outcome: tx(`outcome.${outcome ?? 'aborted'}`) }));
        },
        (error: unknown) => {
          const stoppedByUs = runPhase === 'stopped';
          runPhase = stoppedByUs ? 'stopped' : 'failed';
          runError = failureText(error);
        },
      )
      .finally(renderCause);
  });
  recoverButton.addEventListener('click', () => {
    runPhase = 'recovering';
    renderCause();
    void source.recover().catch((error: unknown) => {
      runPhase = 'failed';
      runError = failureText(error);
      renderCause();
    });
  });
  stopButton.addEventListener('click', () => {
    runPhase = 'stopped';
    renderCause();
    void source.stop();
  });

  // ---- 2. prevention: one switch per condition, the rate over N seeded runs ----------------------
  const prevention = section('prevention');
  const pScene = select('prevention-scene', ['philosophers', 'transfer', 'audit'], 'philosophers');
  const pSwitch = select('prevention-switch', PREVENTION_SWITCHES, 'lock-order');
  const pRuns = numberInput('prevention-runs', 10, 1, 100);
  const pLabels = { scene: h('span'), switch: h('span'), runs: h('span') };
  const measureButton = h('button', { type: 'button' });
  const preventionStatus = h('p', { role: 'status', 'data-state': 'idle', class: 'status' });
  const rateTable = h('table', { class: 'rates', 'data-table': 'rates' });
  prevention.body.append(
    h(
      'div',
      { class: 'controls' },
      labelled(pLabels.scene, pScene),
      labelled(pLabels.switch, pSwitch),
      labelled(pLabels.runs, pRuns),
    ),
    h('div', { class: 'buttons' }, measureButton),
    preventionStatus,
    rateTable,
  );
  let rates: RateRow[] = [];
  let preventionState: 'idle' | 'running' | 'done' | 'failed' = 'idle';
  let preventionError = '';
  const renderRates = (table: HTMLTableElement, rows: readonly RateRow[]) => {
    table.replaceChildren(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['rates.strategy', 'rates.breaks', 'rates.deadlocks', 'rates.restarts', 'rates.finished'].map((key) =>
            h('th', { scope: 'col' }, tx(key)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map((row) =>
          h(
            'tr',
            { 'data-strategy': row.strategy, 'data-deadlocks': row.deadlocks, 'data-runs': row.runs },
            h('th', { scope: 'row' }, tx(`strategy.${row.strategy}`)),
            h('td', {}, row.breaks ? tx(`condition.${row.breaks}`) : '—'),
            h('td', {}, row.applicable ? formatRate(row) : tx('rates.notApplicable')),
            h('td', {}, row.restarts),
            h('td', {}, `${row.finished}/${row.runs}`),
          ),
        ),
      ),
    );
  };
  const renderPrevention = () => {
    prevention.heading.textContent = tx('prevention.title');
    prevention.intro.textContent = tx('prevention.intro');
    pLabels.scene.textContent = tx('controls.scene');
    pLabels.switch.textContent = tx('controls.switch');
    pLabels.runs.textContent = tx('controls.runs');
    for (const option of pScene.options) option.textContent = tx(`scene.${option.value}`);
    for (const option of pSwitch.options)
      option.textContent = `${tx(`strategy.${option.value}`)} — ${tx('prevention.breaks', { condition: tx(`condition.${BREAKS[option.value as keyof typeof BREAKS]}`) })}`;
    measureButton.textContent = tx('prevention.measure');
    measureButton.disabled = preventionState === 'running';
    preventionStatus.dataset.state = preventionState;
    preventionStatus.textContent =
      preventionState === 'idle'
        ? tx('prevention.how', { how: tx(`how.${pSwitch.value}`) })
        : tx(`prevention.${preventionState}`, { error: preventionError });
    renderRates(rateTable, rates);
  };
  renders.push(renderPrevention);
  pSwitch.addEventListener('change', renderPrevention);
  const measure = async (scene: 'philosophers' | 'transfer' | 'audit', strategies: Strategy[], runs: number) => {
    const rows: RateRow[] = [];
    for (const strategy of strategies) {
      const result = await source.run(
        { scene, ...(scene === 'philosophers' ? { philosophers: 5 } : {}), strategy, runs, seed: 1 },
        {},
      );
      rows.push(rateRow(result.row));
    }
    return rows;
  };
  measureButton.addEventListener('click', () => {
    preventionState = 'running';
    rates = [];
    renderPrevention();
    const runs = Math.min(100, Math.max(1, Number(pRuns.value) || 10));
    measure(pScene.value as 'philosophers', ['none', pSwitch.value as Strategy], runs)
      .then(
        (rows) => {
          rates = rows;
          exportable.prevention = rows;
          preventionState = 'done';
        },
        (error: unknown) => {
          preventionState = 'failed';
          preventionError = failureText(error);
        },
      )
      .finally(renderPrevention);
  });

  // ---- 3. avoidance: the banker's algorithm ----------------------------------------------------
  const banker = section('banker');
  let form: BankerForm = TEXTBOOK_FORM;
  let check: BankerCheckResult | undefined;
  let checkedForm: BankerForm | undefined;
  let shown = 0;
  let bankerError = '';
  let askResult: BankerCheckResult | undefined;
  let askedRequest: { process: number; request: number[] } | undefined;
  let gateRows: RateRow[] = [];
  let gateState: 'idle' | 'running' | 'done' | 'failed' = 'idle';
  const matrixTable = h('table', { class: 'banker-matrix', 'data-table': 'banker' });
  const bankerButtons = {
    check: h('button', { type: 'button' }),
    step: h('button', { type: 'button', class: 'secondary' }),
    back: h('button', { type: 'button', class: 'secondary' }),
    all: h('button', { type: 'button', class: 'secondary' }),
    textbook: h('button', { type: 'button', class: 'secondary' }),
  };
  const safetyTable = h('table', { class: 'safety', 'data-table': 'safety' });
  const bankerVerdict = h('p', {
    role: 'status',
    class: 'status',
    'data-state': 'idle',
    'aria-label': 'Banker verdict',
  });
  const askProcess = h('select', { name: 'ask-process' });
  const askInputs = h('span', { class: 'ask-inputs' });
  const askButton = h('button', { type: 'button' });
  const grantButton = h('button', { type: 'button', class: 'secondary', hidden: true });
  const askVerdict = h('p', { class: 'status', 'data-state': 'idle', 'aria-label': 'Request verdict' });
  const askLabels = { process: h('span'), request: h('span') };
  const gateButton = h('button', { type: 'button' });
  const gateStatus = h('p', { class: 'status', 'data-state': 'idle' });
  const gateTable = h('table', { class: 'rates', 'data-table': 'banker-gate' });
  const askTitle = h('h3');
  const gateTitle = h('h3');
  banker.body.append(
    matrixTable,
    h('div', { class: 'buttons' }, ...Object.values(bankerButtons)),
    bankerVerdict,
    safetyTable,
    askTitle,
    h(
      'div',
      { class: 'controls' },
      labelled(askLabels.process, askProcess),
      labelled(askLabels.request, askInputs),
      askButton,
      grantButton,
    ),
    askVerdict,
    gateTitle,
    h('div', { class: 'buttons' }, gateButton),
    gateStatus,
    gateTable,
  );
  const cellInput = (value: number, onValue: (value: number | null) => void, name: string) => {
    const input = h('input', { type: 'text', value, size: 2, inputmode: 'numeric', 'aria-label': name, class: 'cell' });
    input.addEventListener('input', () => {
      const parsed = parseCount(input.value);
      input.classList.toggle('invalid', parsed === null);
      onValue(parsed);
    });
    return input;
  };
  const setCell = (matrix: 'allocation' | 'max', p: number, r: number, value: number | null) => {
    if (value === null) return;
    form = {
      ...form,
      [matrix]: form[matrix].map((row, i) => (i === p ? row.map((v, j) => (j === r ? value : v)) : row)),
    };
    check = undefined;
    askResult = undefined;
    renderNeed();
    renderBankerResults();
  };
  const needCells: HTMLTableCellElement[][] = [];
  const buildMatrix = () => {
    needCells.length = 0;
    const groups = ['banker.allocation', 'banker.max', 'banker.need'];
    matrixTable.replaceChildren(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}),
          ...groups.map((key) => h('th', { colspan: form.resources.length, scope: 'colgroup' }, tx(key))),
        ),
        h('tr', {}, h('th', {}), ...groups.flatMap(() => form.resources.map((r) => h('th', { scope: 'col' }, r)))),
      ),
      h(
        'tbody',
        {},
        ...form.processes.map((process, p) => {
          const need = form.resources.map(() => h('td', { class: 'need' }));
          needCells.push(need);
          return h(
            'tr',
            { 'data-process': process },
            h('th', { scope: 'row' }, process),
            ...form.resources.map((resource, r) =>
              h(
                'td',
                {},
                cellInput(
                  form.allocation[p]![r]!,
                  (v) => setCell('allocation', p, r, v),
                  `Allocation ${process} ${resource}`,
                ),
              ),
            ),
            ...form.resources.map((resource, r) =>
              h(
                'td',
                {},
                cellInput(form.max[p]![r]!, (v) => setCell('max', p, r, v), `Max ${process} ${resource}`),
              ),
            ),
            ...need,
          );
        }),
        h(
          'tr',
          { class: 'available' },
          h('th', { scope: 'row' }, tx('banker.available')),
          ...form.resources.map((resource, r) =>
            h(
              'td',
              {},
              cellInput(
                form.available[r]!,
                (v) => {
                  if (v === null) return;
                  form = { ...form, available: form.available.map((x, j) => (j === r ? v : x)) };
                  check = undefined;
                  askResult = undefined;
                  renderBankerResults();
                },
                `Available ${resource}`,
              ),
            ),
          ),
        ),
      ),
    );
    askProcess.replaceChildren(...form.processes.map((process, p) => h('option', { value: p }, process)));
    askInputs.replaceChildren(
      ...form.resources.map((resource) =>
        h('input', {
          type: 'text',
          size: 2,
          value: 0,
          inputmode: 'numeric',
          'aria-label': `Request ${resource}`,
          class: 'cell',
        }),
      ),
    );
    renderNeed();
  };
  const renderNeed = () => {
    const { need, overClaimed } = deriveNeed(form);
    need.forEach((row, p) =>
      row.forEach((value, r) => {
        const cell = needCells[p]?.[r];
        if (!cell) return;
        cell.textContent = String(value);
        cell.classList.toggle(
          'invalid',
          overClaimed.some((o) => o.process === p && o.resource === r),
        );
      }),
    );
  };
  const renderBankerResults = () => {
    for (const [key, button] of Object.entries(bankerButtons)) button.textContent = tx(`banker.${key}`);
    const view =
      check && checkedForm
        ? safetyView(check.safety, checkedForm.available, checkedForm.processes.length, shown)
        : undefined;
    bankerButtons.step.disabled = !view || view.done;
    bankerButtons.back.disabled = !view || view.shown === 0;
    bankerButtons.all.disabled = !view || view.done;
    bankerVerdict.dataset.state = bankerError
      ? 'failed'
      : !check
        ? 'idle'
        : !view?.done
          ? 'stepping'
          : check.safety.safe
            ? 'safe'
            : 'unsafe';
    const names = (indices: readonly number[]) => indices.map((p) => checkedForm?.processes[p] ?? `#${p}`).join(', ');
    bankerVerdict.textContent = bankerError
      ? tx('banker.error', { error: bankerError })
      : !check || !view
        ? tx('banker.idle')
        : !view.done
          ? tx('banker.stepping', { shown: view.shown, total: view.total, work: formatVector(view.work) })
          : check.safety.safe
            ? tx('banker.safe', { sequence: names(check.safety.sequence) })
            : tx('banker.unsafe', {
                finished: names(check.safety.sequence) || '—',
                stuck: names(
                  checkedForm!.processes.map((_, p) => p).filter((p) => !check!.safety.sequence.includes(p)),
                ),
                work: formatVector(check.safety.work),
              });
    safetyTable.replaceChildren();
    if (view && checkedForm) {
      const steps = check!.safety.steps.slice(0, view.shown);
      safetyTable.append(
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'banker.col.step',
              'banker.col.row',
              'banker.col.check',
              'banker.col.workAfter',
              'banker.col.finish',
            ].map((k) => h('th', { scope: 'col' }, tx(k))),
          ),
        ),
        h(
          'tbody',
          {},
          ...steps.map((step, i) =>
            h(
              'tr',
              { 'data-step': step.kind, class: i === steps.length - 1 ? 'current' : '' },
              h('td', {}, i + 1),
              h('th', { scope: 'row' }, checkedForm!.processes[step.process] ?? ''),
              h(
                'td',
                {},
                step.kind === 'compare'
                  ? tx(step.fits ? 'banker.fits' : 'banker.doesNotFit', {
                      need: formatVector(step.need),
                      work: formatVector(step.work),
                    })
                  : tx('banker.finishes', { allocation: formatVector(checkedForm!.allocation[step.process] ?? []) }),
              ),
              h('td', {}, step.kind === 'finish' ? formatVector(step.work) : ''),
              h('td', {}, step.kind === 'finish' ? tx('banker.true') : ''),
            ),
          ),
        ),
      );
    }
    askTitle.textContent = tx('banker.askTitle');
    askLabels.process.textContent = tx('banker.process');
    askLabels.request.textContent = tx('banker.request');
    askButton.textContent = tx('banker.ask');
    grantButton.textContent = tx('banker.grant');
    const evaluation = askResult?.evaluation;
    grantButton.hidden = evaluation?.verdict !== 'granted';
    askVerdict.dataset.state = evaluation?.verdict ?? 'idle';
    const asked = askResult ? askedRequest : undefined;
    askVerdict.textContent =
      evaluation && asked
        ? `${tx(`verdict.${evaluation.verdict}`, {
            process: form.processes[asked.process],
            request: formatVector(asked.request),
            need: formatVector(deriveNeed(form).need[asked.process] ?? []),
            available: formatVector(form.available),
          })} ${evaluation.safety?.safe ? tx('banker.after', { sequence: evaluation.safety.sequence.map((p) => form.processes[p]).join(', ') }) : ''}`
        : '';
    gateTitle.textContent = tx('banker.gateTitle');
    gateButton.textContent = tx('banker.gate');
    gateButton.disabled = gateState === 'running';
    gateStatus.dataset.state = gateState;
    gateStatus.textContent = tx(`gate.${gateState}`);
    renderRates(gateTable, gateRows);
  };
  const renderBanker = () => {
    banker.heading.textContent = tx('banker.title');
    banker.intro.textContent = tx('banker.intro');
    buildMatrix();
    renderBankerResults();
  };
  renders.push(renderBanker);
  bankerButtons.check.addEventListener('click', () => {
    const asked = form;
    bankerError = '';
    source.banker({ state: structuredClone(asked) as never }).then(
      (result) => {
        check = result;
        checkedForm = asked;
        shown = 0;
        exportable.banker = { state: asked, result };
        renderBankerResults();
      },
      (error: unknown) => {
        bankerError = failureText(error);
        renderBankerResults();
      },
    );
  });
  bankerButtons.step.addEventListener('click', () => {
    shown++;
    renderBankerResults();
  });
  bankerButtons.back.addEventListener('click', () => {
    shown = Math.max(0, shown - 1);
    renderBankerResults();
  });
  bankerButtons.all.addEventListener('click', () => {
    shown = check?.safety.steps.length ?? 0;
    renderBankerResults();
  });
  bankerButtons.textbook.addEventListener('click', () => {
    form = TEXTBOOK_FORM;
    check = undefined;
    askResult = undefined;
    renderBanker();
  });
  askButton.addEventListener('click', () => {
    const request = [...askInputs.querySelectorAll('input')].map((input) => parseCount(input.value) ?? -1);
    if (request.some((value) => value < 0)) {
      bankerError = tx('banker.badRequest');
      renderBankerResults();
      return;
    }
    bankerError = '';
    askedRequest = { process: Number(askProcess.value), request };
    source
      .banker({ state: structuredClone(form) as never, ask: askedRequest })
      .then(
        (result) => {
          askResult = result;
        },
        (error: unknown) => {
          bankerError = failureText(error);
        },
      )
      .finally(renderBankerResults);
  });
  grantButton.addEventListener('click', () => {
    const state = askResult?.evaluation?.state;
    if (!state) return;
    form = state;
    check = undefined;
    askResult = undefined;
    renderBanker();
  });
  gateButton.addEventListener('click', () => {
    gateState = 'running';
    gateRows = [];
    renderBankerResults();
    measure('philosophers', ['none', 'banker'], 5)
      .then(
        (rows) => {
          gateRows = rows;
          exportable.bankerGate = rows;
          gateState = 'done';
        },
        () => {
          gateState = 'failed';
        },
      )
      .finally(renderBankerResults);
  });

  // ---- 4. ignoring it: the lab host stalls; two processes' sync calls -------------------------
  const ignoring = section('ignoring');
  const stallButton = h('button', { type: 'button' });
  const stallStatus = h('p', {
    role: 'status',
    'aria-label': 'Watchdog status',
    class: 'status',
    'data-state': 'idle',
  });
  const stallFigure = h('figure', { class: 'graph small', 'data-graph': 'stall', 'data-cycle': 'false' });
  const stallCaption = h('figcaption');
  const syncTitle = h('h3');
  const syncIntro = h('p');
  const ruleText = h('blockquote', { class: 'rule' });
  const bothButton = h('button', { type: 'button' });
  const oneWayButton = h('button', { type: 'button', class: 'secondary' });
  const syncStatus = h('p', { class: 'status', 'data-state': 'idle', 'aria-label': 'Sync call status' });
  const syncTable = h('table', { class: 'sync', 'data-table': 'sync' });
  ignoring.body.append(
    h('div', { class: 'buttons' }, stallButton),
    stallStatus,
    stallFigure,
    syncTitle,
    syncIntro,
    ruleText,
    h('div', { class: 'buttons' }, bothButton, oneWayButton),
    syncStatus,
    syncTable,
  );
  let stall = STALL_IDLE;
  let stallSnapshot: DeadlockSnapshotEvent | undefined;
  let sync: SyncCallReport | undefined;
  let syncState: 'idle' | 'running' | 'done' | 'failed' = 'idle';
  let syncError = '';
  const onStall = (event: StallEvent) => {
    stall = nextStall(stall, event);
    renderIgnoring();
  };
  source.onHostChanged((running) => {
    onStall({ type: 'host-changed', running, at: performance.now() });
    if (running && stall.phase === 'restarted')
      void source.hostPid().then(
        (pid) => onStall({ type: 'new-host', pid }),
        () => {},
      );
  });
  const renderIgnoring = () => {
    ignoring.heading.textContent = tx('ignoring.title');
    ignoring.intro.textContent = tx('ignoring.intro');
    stallButton.textContent = tx('ignoring.stall');
    stallButton.disabled = stall.phase === 'starting' || stall.phase === 'stalled' || stall.phase === 'host-ended';
    stallStatus.dataset.state = stall.phase;
    stallStatus.textContent = tx(`stall.${stall.phase}`, {
      pid: stall.stalledPid ?? '?',
      newPid: stall.newPid ?? '…',
      seconds: stallSeconds(stall) ?? '?',
    });
    drawGraph(stallFigure, stallCaption, stallSnapshot);
    syncTitle.textContent = tx('sync.title');
    syncIntro.textContent = tx('sync.intro');
    ruleText.textContent = tx('sync.rule');
    bothButton.textContent = tx('sync.both');
    oneWayButton.textContent = tx('sync.oneWay');
    bothButton.disabled = oneWayButton.disabled = syncState === 'running';
    syncStatus.dataset.state = syncState === 'done' && sync ? (sync.deadlocked ? 'deadlocked' : 'answered') : syncState;
    syncStatus.textContent =
      syncState === 'done' && sync
        ? sync.deadlocked
          ? tx('sync.deadlocked', { ms: sync.detectedAfterMs ?? '?', threshold: sync.thresholdMs })
          : tx('sync.answered')
        : tx(`sync.${syncState}`, { error: syncError });
    syncTable.replaceChildren(
      ...(sync
        ? [
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['sync.peer', 'sync.pid', 'sync.calls', 'sync.gotAnswer', 'sync.blockedIn', 'sync.ended'].map((k) =>
                  h('th', { scope: 'col' }, tx(k)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...sync.peers.map((peer) =>
                h(
                  'tr',
                  { 'data-peer': peer.name },
                  h('th', { scope: 'row' }, peer.name),
                  h('td', {}, peer.pid),
                  h('td', {}, tx(peer.callsPeer ? 'sync.yes' : 'sync.no')),
                  h('td', {}, tx(peer.gotAnswer ? 'sync.yes' : 'sync.no')),
                  h('td', {}, peer.blockedIn ?? '—'),
                  h('td', {}, peer.ended),
                ),
              ),
            ),
          ]
        : []),
    );
  };
  renders.push(renderIgnoring);
  stallButton.addEventListener('click', () => {
    onStall({ type: 'start' });
    stallSnapshot = undefined;
    source
      .stall((event) => {
        stallSnapshot = event;
        renderIgnoring();
      })
      .then(
        (started) => onStall({ type: 'stalled', pid: started.hostPid, at: performance.now() }),
        () => onStall({ type: 'failed' }),
      );
  });
  const runSync = (mode: 'both-sync' | 'one-way') => {
    syncState = 'running';
    sync = undefined;
    renderIgnoring();
    source
      .syncCall({ mode })
      .then(
        (report) => {
          sync = report;
          exportable[`sync-${mode}`] = report;
          syncState = 'done';
        },
        (error: unknown) => {
          syncState = 'failed';
          syncError = failureText(error);
        },
      )
      .finally(renderIgnoring);
  };
  bothButton.addEventListener('click', () => runSync('both-sync'));
  oneWayButton.addEventListener('click', () => runSync('one-way'));

  // ---- 5. starvation and aging --------------------------------------------------------------
  const starvation = section('starvation');
  const agingInput = numberInput('aging-every', 5, 1, 1000);
  const agingLabel = h('span');
  const starveButton = h('button', { type: 'button' });
  const starveFigure = h('figure', { class: 'chart', 'data-chart': 'waits' });
  const starveTable = h('table', { class: 'rates', 'data-table': 'starvation' });
  const starveStatus = h('p', {
    role: 'status',
    class: 'status',
    'data-state': 'idle',
    'aria-label': 'Starvation status',
  });
  starvation.body.append(
    h('div', { class: 'controls' }, labelled(agingLabel, agingInput), starveButton),
    starveStatus,
    starveFigure,
    starveTable,
  );
  let comparison: StarvationComparison | undefined;
  let starveState: 'idle' | 'running' | 'done' | 'failed' = 'idle';
  const renderStarvation = () => {
    starvation.heading.textContent = tx('starvation.title');
    starvation.intro.textContent = tx('starvation.intro');
    agingLabel.textContent = tx('starvation.agingEvery');
    starveButton.textContent = tx('starvation.run');
    starveButton.disabled = starveState === 'running';
    starveStatus.dataset.state = starveState;
    if (!comparison) {
      starveStatus.textContent = tx(`starvation.${starveState}`);
      starveFigure.replaceChildren();
      starveTable.replaceChildren();
      return;
    }
    const summary = agingSummary(comparison.off, comparison.on);
    starveStatus.textContent = tx('starvation.summary', {
      off: summary.p99Off.toFixed(0),
      on: summary.p99On.toFixed(0),
      longestOff: summary.longestOff,
      longestOn: summary.longestOn,
    });
    const width = Math.max(320, Math.min(720, root.clientWidth - 48));
    starveFigure.replaceChildren(
      waitHistogram(
        histogramBars(comparison.off, comparison.on),
        {
          x: tx('starvation.x'),
          y: tx('starvation.y'),
          aging: (aging) => tx(`starvation.aging.${aging}`),
          label: tx('starvation.chart'),
        },
        width,
      ),
    );
    const row = (key: string, report: StarvationComparison['off'], aging: 'off' | 'on') =>
      h(
        'tr',
        { 'data-aging': aging, 'data-p99': report.all.p99 },
        h('th', { scope: 'row' }, tx(key)),
        h('td', {}, report.all.p50.toFixed(0)),
        h('td', {}, report.all.p99.toFixed(0)),
        h('td', {}, report.all.longest),
        h('td', {}, report.low.p99.toFixed(0)),
        h('td', {}, report.unservedLow),
      );
    starveTable.replaceChildren(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}),
          ...[
            'starvation.p50',
            'starvation.p99',
            'starvation.longest',
            'starvation.lowP99',
            'starvation.unservedLow',
          ].map((k) => h('th', { scope: 'col' }, tx(k))),
        ),
      ),
      h(
        'tbody',
        {},
        row('starvation.aging.off', comparison.off, 'off'),
        row('starvation.aging.on', comparison.on, 'on'),
      ),
    );
  };
  renders.push(renderStarvation);
  starveButton.addEventListener('click', () => {
    starveState = 'running';
    renderStarvation();
    source
      .starvation({ agingEvery: Math.max(1, Number(agingInput.value) || 5) })
      .then(
        (result) => {
          comparison = result;
          exportable.starvation = result;
          starveState = 'done';
        },
        () => {
          starveState = 'failed';
        },
      )
      .finally(renderStarvation);
  });

  // ---- export ----------------------------------------------------------------------------------
  const exportButton = h('button', { type: 'button', class: 'secondary export' });
  exportButton.addEventListener('click', () => {
    const blob = new Blob(
      [JSON.stringify({ schema: 'lab-deadlock-page/1', exportedAt: new Date().toISOString(), ...exportable }, null, 2)],
      {
        type: 'application/json',
      },
    );
    const link = h('a', { href: URL.createObjectURL(blob), download: `deadlock-lab-${Date.now()}.json` });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  renders.push(() => {
    exportButton.textContent = tx('export');
  });

  root.replaceChildren(
    cause.element,
    prevention.element,
    banker.element,
    ignoring.element,
    starvation.element,
    h('div', { class: 'buttons' }, exportButton),
  );
  i18n.on('languageChanged', () => renders.forEach((render) => render()));
  renders.forEach((render) => render());
}
