// lab://deadlock end to end in the real app: real worker threads in the lab host deadlock, the page
// draws the cycle from the real lock table and recovers it; the banker on the textbook case; the lab
// host deadlocked on purpose ("ignoring it") is ended by the browser's watchdog and the page says so;
// English and Korean texts, screenshots of both.
import { openTab, pageState } from './helpers.ts';
import { expect, test } from './lab-app.ts';

/** i18next's missing keys show as ⟦key⟧ on the lab pages. */
const MISSING = '⟦';

test('lab://deadlock: cause a deadlock and recover, the banker, the watchdog ending a stalled lab host, EN and KO', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const ui = await app.ui();
  const tabId = await openTab(ui, 'lab://deadlock');
  const tab = await app.tab(tabId);
  await tab.getByRole('button', { name: 'English' }).click();
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText('Deadlock lab');

  // Cause a deadlock: five philosophers, no prevention; the cycle lights up from the real table.
  const cause = tab.locator('[data-section="cause"]');
  const status = cause.getByRole('status', { name: 'Run status' });
  await cause.getByRole('button', { name: 'Start' }).click();
  await expect(status).toHaveAttribute('data-state', 'deadlocked', { timeout: 60_000 });
  const graph = cause.locator('figure[data-graph="live"]');
  await expect(graph).toHaveAttribute('data-cycle', 'true');
  await expect(graph).toHaveAttribute('data-confirmed', 'true');
  // Every philosopher and fork of the ring is on the cycle, and all four conditions hold.
  await expect(graph.locator('[data-node="thread"][data-on-cycle="true"]')).toHaveCount(5);
  await expect(graph.locator('[data-edge="request"][data-on-cycle="true"]')).toHaveCount(5);
  for (const condition of ['mutual-exclusion', 'hold-and-wait', 'no-preemption', 'circular-wait'])
    await expect(cause.locator(`[data-condition="${condition}"]`)).toHaveAttribute('data-holds', 'true');
  await graph.scrollIntoViewIfNeeded();
  await app.screenshot('deadlock-cycle-en');

  // Recover: a victim by the stated policy, its cost shown, and the run finishes.
  await cause.getByRole('button', { name: 'Recover' }).click();
  await expect(status).toHaveAttribute('data-state', 'recovered', { timeout: 60_000 });
  await expect(cause.locator('[data-cost]')).toContainText(/Cost: [1-9]\d* locks taken back/);
  await expect(cause.locator('[data-recovery]')).toContainText('Fewest locks held');

  // Prevention: the rate over seeded runs, above zero without, zero with the global lock order.
  const prevention = tab.locator('[data-section="prevention"]');
  await prevention.getByLabel('Seeded runs').fill('3');
  await prevention.getByRole('button', { name: 'Measure before and after' }).click();
  await expect(prevention.getByRole('status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  const rates = prevention.locator('[data-table="rates"]');
  expect(Number(await rates.locator('[data-strategy="none"]').getAttribute('data-deadlocks'))).toBeGreaterThan(0);
  await expect(rates.locator('[data-strategy="lock-order"]')).toHaveAttribute('data-deadlocks', '0');

  // The banker on the textbook case: safe, <P1, P3, P4, P0, P2>; P1 asks (1,0,2): granted; then P0 (0,2,0): unsafe.
  const banker = tab.locator('[data-section="banker"]');
  await banker.getByRole('button', { name: 'Check safety' }).click();
  await banker.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(banker.locator('[data-table="safety"] tbody tr')).toHaveCount(1);
  await banker.getByRole('button', { name: 'To the end' }).click();
  const verdict = banker.getByRole('status', { name: 'Banker verdict' });
  await expect(verdict).toHaveAttribute('data-state', 'safe');
  await expect(verdict).toContainText('<P1, P3, P4, P0, P2>');
  const ask = async (process: string, request: readonly number[]) => {
    await banker.getByLabel('Process').selectOption({ label: process });
    for (const [i, resource] of ['A', 'B', 'C'].entries())
      await banker.getByLabel(`Request ${resource}`).fill(String(request[i]));
    await banker.getByRole('button', { name: 'Ask' }).click();
  };
  const requestVerdict = banker.getByLabel('Request verdict');
  await ask('P1', [1, 0, 2]);
  await expect(requestVerdict).toHaveAttribute('data-state', 'granted');
  await banker.getByRole('button', { name: 'Grant it' }).click();
  await expect(banker.getByLabel('Allocation P1 A')).toHaveValue('3');
  await ask('P0', [0, 2, 0]);
  await expect(requestVerdict).toHaveAttribute('data-state', 'unsafe');
  await banker.scrollIntoViewIfNeeded();
  await app.screenshot('deadlock-banker-en');

  // Ignoring it: the lab host's main thread deadlocks; the browser's watchdog ends it, a new one starts.
  const ignoring = tab.locator('[data-section="ignoring"]');
  const watchdog = ignoring.getByRole('status', { name: 'Watchdog status' });
  await ignoring.getByRole('button', { name: 'Deadlock the lab host' }).click();
  await expect(watchdog).toHaveAttribute('data-state', 'stalled', { timeout: 60_000 });
  await expect(ignoring.locator('figure[data-graph="stall"]')).toHaveAttribute('data-cycle', 'true');
  await expect(watchdog).toHaveAttribute('data-state', 'restarted', { timeout: 60_000 });
  await expect(watchdog).toContainText(/a new lab host \(pid \d+\) is running/);
  const [, oldPid, newPid] = /pid (\d+)\)[\s\S]*pid (\d+)\)/.exec((await watchdog.textContent()) ?? '') ?? [];
  expect(Number(newPid)).not.toBe(Number(oldPid));
  await ignoring.scrollIntoViewIfNeeded();
  await app.screenshot('deadlock-watchdog-en');

  // Beside it, two real processes calling each other synchronously: the heartbeat watchdog ends both.
  await ignoring.getByRole('button', { name: 'Both call synchronously' }).click();
  const sync = ignoring.getByLabel('Sync call status');
  await expect(sync).toHaveAttribute('data-state', 'deadlocked', { timeout: 60_000 });
  await expect(ignoring.locator('[data-table="sync"] tbody tr')).toHaveCount(2);
  await expect(ignoring.locator('[data-table="sync"] tbody')).toContainText('SIGKILL');

  // The new lab host answers: starvation with aging lowers the p99 wait.
  const starvation = tab.locator('[data-section="starvation"]');
  await starvation.getByRole('button', { name: 'Run with aging off and on' }).click();
  await expect(starvation.getByRole('status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(starvation.locator('figure[data-chart="waits"] svg').first()).toBeVisible();
  const p99 = async (aging: string) =>
    Number(await starvation.locator(`tr[data-aging="${aging}"]`).getAttribute('data-p99'));
  expect(await p99('on')).toBeLessThan(await p99('off'));
  await starvation.scrollIntoViewIfNeeded();
  await app.screenshot('deadlock-starvation-en');
  expect(await tab.locator('body').innerText()).not.toContain(MISSING);

  // Korean: the notes' terms.
  await tab.getByRole('button', { name: '한국어' }).click();
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText('교착상태 실험실');
  await expect(cause.locator('[data-condition="circular-wait"] strong')).toHaveText('환형 대기');
  await expect(banker.getByRole('heading', { level: 2 })).toHaveText('회피: 은행원 알고리즘');
  expect(await tab.locator('body').innerText()).not.toContain(MISSING);
  expect(await pageState(tab, 'lang')).toBe('ko');
  // Scrolled inside the tab's own document (the section may count as visible from the UI page).
  const scrollTo = async (section: typeof cause) => {
    await section.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    // Painted there before the window's screenshot: two frames of the tab's own document.
    await section.evaluate((element) => {
      const view = element.ownerDocument.defaultView!;
      return new Promise((resolve) => view.requestAnimationFrame(() => view.requestAnimationFrame(resolve)));
    });
    await expect
      .poll(() => section.evaluate((element) => Math.abs(element.getBoundingClientRect().top)))
      .toBeLessThan(2);
  };
  await scrollTo(cause);
  await app.screenshot('deadlock-recovered-ko');
  await scrollTo(ignoring);
  await app.screenshot('deadlock-watchdog-ko');
  await scrollTo(banker);
  await app.screenshot('deadlock-banker-ko');
});
