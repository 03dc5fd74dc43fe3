// lab://threads end to end, on the real lab host: the race on real worker threads loses updates,
// the same counter under a mutex loses none; the scheduler's search finds a schedule that puts two
// threads in the critical section and it replays on real workers with the same outcome; the three
// requirements proved on the model; process vs thread measured; English and Korean.
import { readFileSync } from 'node:fs';
import { openTab } from './helpers.ts';
import { expect, test } from './lab-app.ts';

/** i18next's missing keys show as ⟦key⟧ on the lab pages. */
const MISSING = '⟦';

/** What the race's run counter watch keeps in the page (e2e has no DOM types). */
interface RunsWatch {
  runsSeen: string[];
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: { attributes: boolean; attributeFilter: string[] }): void;
  };
}

test('lab://threads: lost updates without a lock, none with the mutex, a found schedule replayed on real workers', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const ui = await app.ui();
  const tabId = await openTab(ui, 'lab://threads');
  const page = await app.tab(tabId);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Threads lab');

  // ---- the race on real threads: updates lost -----------------------------------------------------
  const race = page.locator('[data-scene="race"]');
  await race.getByLabel('Lock').selectOption('race');
  await race.getByLabel('Threads').fill('4');
  await race.getByLabel('Iterations each').fill('2000');
  await race.getByLabel('Preemption point').selectOption('load-store');
  await race.getByLabel('Runs').fill('3');
  // Each run lands as it ends, before the answer: every value data-runs takes is recorded in the page
  // (a MutationObserver sees each change, where polling from here could miss a short-lived one).
  await race.evaluate((element) => {
    const globals = globalThis as unknown as RunsWatch;
    const seen: string[] = [];
    globals.runsSeen = seen;
    new globals.MutationObserver(() => seen.push(element.getAttribute('data-runs') ?? '')).observe(element, {
      attributes: true,
      attributeFilter: ['data-runs'],
    });
  });
  await race.getByRole('button', { name: 'Run' }).click();
  const raceStatus = page.getByRole('status', { name: 'Race status' });
  await expect(raceStatus).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const seen = await race.evaluate(() => (globalThis as unknown as RunsWatch).runsSeen);
  expect(
    seen.filter((runs) => runs === '1' || runs === '2'),
    `run counts seen: ${seen}`,
  ).not.toEqual([]);
  await expect(race).toHaveAttribute('data-runs', '3');
  expect(Number(await race.getAttribute('data-lost'))).toBeGreaterThan(0);
  await expect(race.locator('tbody tr')).toHaveCount(3);
  await expect(race.locator('[data-chart="race"] svg[class^="plot"]')).toHaveCount(1);

  // ---- the same counter under the mutex: none lost ------------------------------------------------
  await race.getByLabel('Lock').selectOption('mutex');
  await race.getByRole('button', { name: 'Run' }).click();
  await expect(raceStatus).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(race).toHaveAttribute('data-program', 'mutex');
  await expect(race).toHaveAttribute('data-lost', '0');
  await expect(race.locator('tbody tr[data-lost="0"]')).toHaveCount(3);
  await expect(race.locator('.race-summary')).toContainText('no update lost');
  // Export JSON saves the lab host's answer as it came, with the knobs asked for.
  const download = ui.waitForEvent('download');
  await race.getByRole('button', { name: 'Export JSON' }).click();
  const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
    options: { program: string; runs: number };
    runs: { lostUpdates: number; final: number; expected: number }[];
  };
  expect(exported.options).toMatchObject({ program: 'mutex', threads: 4, iterations: 2000, runs: 3 });
  expect(exported.runs.map((run) => run.lostUpdates)).toEqual([0, 0, 0]);
  await race.scrollIntoViewIfNeeded();
  await app.screenshot('lab-threads-race-en');

  // Stop: a long series ends as stopped, with what arrived kept.
  await race.getByLabel('Lock').selectOption('race');
  await race.getByLabel('Runs').fill('16');
  // Long runs (seconds each), so the series cannot end before the stop arrives.
  await race.getByLabel('Iterations each').fill('100000');
  await race.getByRole('button', { name: 'Run' }).click();
  await expect
    .poll(async () => Number(await race.getAttribute('data-runs')), { timeout: 60_000, intervals: [50] })
    .toBeGreaterThan(0);
  await race.getByRole('button', { name: 'Stop' }).click();
  await expect(raceStatus).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 });
  expect(Number(await race.getAttribute('data-runs'))).toBeLessThan(16);

  // ---- you are the scheduler: by hand, then the search, then the replay on real workers ----------
  const scheduler = page.locator('[data-scene="scheduler"]');
  await scheduler.getByLabel('Program').selectOption('race');
  const pick = scheduler.getByRole('group', { name: 'Run one step of' });
  await pick.getByRole('button', { name: 'T0' }).click();
  await pick.getByRole('button', { name: 'T1' }).click();
  await expect(scheduler).toHaveAttribute('data-steps', '2');
  await scheduler.getByRole('button', { name: 'Back' }).click();
  await expect(scheduler).toHaveAttribute('data-steps', '1');
  await scheduler.getByRole('button', { name: 'Search all schedules' }).click();
  await expect(scheduler).toHaveAttribute('data-goal', 'reached');
  await expect(page.getByRole('status', { name: 'Scheduler goal' })).toContainText('mutual exclusion broken');
  await scheduler.getByRole('button', { name: 'Replay on real workers' }).click();
  const replay = page.getByRole('status', { name: 'Replay on real workers' });
  await expect(replay).toHaveAttribute('data-replay', 'agree', { timeout: 60_000 });
  await expect(replay).toContainText('at most 2 in counter (model 2)');

  // The mutex: the search proves nobody can be caught.
  await scheduler.getByLabel('Program').selectOption('mutex');
  await scheduler.getByRole('button', { name: 'Search all schedules' }).click();
  await expect(scheduler).toHaveAttribute('data-goal', 'impossible', { timeout: 30_000 });
  await app.screenshot('lab-threads-scheduler-en');
  // A seeded random schedule of the mutex to its end, replayed on real workers: the same, and its
  // history graph has a line from each unlock to the thread it woke.
  await scheduler.getByRole('button', { name: 'Random until caught' }).click();
  await expect(scheduler).toHaveAttribute('data-goal', 'finished');
  await scheduler.getByRole('button', { name: 'Replay on real workers' }).click();
  await expect(replay).toHaveAttribute('data-replay', 'agree', { timeout: 60_000 });
  const history = page.locator('[data-scene="history"]');
  await history.getByLabel('Events from').selectOption('replay');
  await expect(history.locator('[data-chart="history"] svg[class^="plot"]')).toHaveCount(1);
  expect(Number(await history.getAttribute('data-points'))).toBeGreaterThan(0);
  expect(Number(await history.getAttribute('data-links'))).toBeGreaterThan(0);
  await history.scrollIntoViewIfNeeded();
  await app.screenshot('lab-threads-history-en');

  // ---- the three requirements on the model ---------------------------------------------------------
  const requirements = page.locator('[data-scene="requirements"]');
  await requirements.getByRole('button', { name: 'Prove with the model' }).click();
  await expect(page.getByRole('status', { name: 'Proof status' })).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });
  const verdict = (program: string, requirement: string) =>
    requirements.locator(`tr[data-program="${program}"] [data-requirement="${requirement}"]`);
  await expect(verdict('mutex', 'exclusion')).toHaveAttribute('data-verdict', 'holds');
  await expect(verdict('mutex', 'bounded')).toHaveAttribute('data-verdict', 'fails');
  await expect(verdict('ticket-lock', 'bounded')).toHaveAttribute('data-verdict', 'holds');
  await expect(verdict('race', 'exclusion')).toHaveAttribute('data-verdict', 'fails');
  await expect(verdict('milk-2', 'progress')).toHaveAttribute('data-verdict', 'fails');
  await requirements.scrollIntoViewIfNeeded();
  await app.screenshot('lab-threads-requirements-en');

  // ---- process vs thread ----------------------------------------------------------------------------
  const pvt = page.locator('[data-scene="process-vs-thread"]');
  await pvt.getByRole('button', { name: 'Measure' }).click();
  await expect(page.getByRole('status', { name: 'Process vs thread status' })).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  await expect(pvt.locator('[data-parent-counter]')).toHaveAttribute('data-parent-counter', '0');
  await expect(pvt.locator('[data-shared-counter]')).toHaveAttribute('data-shared-counter', '4000000');
  await expect(pvt.locator('[data-chart="memory"] svg[class^="plot"]')).not.toHaveCount(0);
  expect(await page.locator('body').innerText()).not.toContain(MISSING);
  await pvt.scrollIntoViewIfNeeded();
  await app.screenshot('lab-threads-en');

  // ---- Korean ------------------------------------------------------------------------------------------
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('스레드 실험실');
  await expect(race.getByRole('heading', { level: 2 })).toHaveText('경쟁 상태');
  await expect(requirements.locator('thead')).toContainText('상호 배제');
  await expect(requirements.locator('thead')).toContainText('한정 대기');
  await expect(requirements.locator('thead')).toContainText('융통성');
  expect(await page.locator('body').innerText()).not.toContain(MISSING);
  await app.screenshot('lab-threads-ko');
  await scheduler.scrollIntoViewIfNeeded();
  await app.screenshot('lab-threads-scheduler-ko');

  // The lab index links here: back to it through the page's own link, and in again.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('link', { name: /All labs/ }).click();
  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await expect(omnibox).toHaveValue('lab://labs', { timeout: 15_000 });
  const index = await app.tab(tabId);
  await expect(index.locator('[data-lab="threads"]')).toHaveAttribute('data-status', 'available');
  await index.getByRole('link', { name: 'Open the Threads lab' }).click();
  await expect(omnibox).toHaveValue('lab://threads', { timeout: 15_000 });
  await expect((await app.tab(tabId)).getByRole('heading', { level: 1 })).toHaveText('Threads lab');
});
