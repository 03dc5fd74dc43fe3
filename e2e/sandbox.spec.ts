// The OS sandbox, on and off: what the UI shows (the status bar, and the task manager's Sandbox
// column for the browser, the GPU process, the plugin host and every renderer) equals what /proc
// says about those pids, read here on our own, not through the app's reader.
//
// On: as an ordinary user the shell starts Chromium sandboxed; as root (CI) the Chromium shell runs
// Chromium as the ordinary user `labsandbox` (--browser-user; .ci/run creates it). Off: as root
// without that option (Chromium cannot sandbox as root), or `--no-sandbox` as an ordinary user.
import { readFileSync, readlinkSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { lookUpBrowserUser } from '../main/chromium/browser-user.ts';
import { currentUid } from '../main/node/sandbox.ts';
import { openTab } from './helpers.ts';
import { expect, test, type LabApp } from './lab-app.ts';

const SANDBOX_USER = 'labsandbox';
const root = currentUid() === 0;
const sandboxUserMissing = (() => {
  if (!root) return undefined;
  try {
    lookUpBrowserUser(SANDBOX_USER);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
})();

test.skip(process.platform !== 'linux', 'The sandbox is measured from /proc, which only Linux has.');

/** What the kernel says about `pid`, in the task manager's words; its namespaces against `browserPid`'s. */
function procSays(pid: number, browserPid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const seccomp = /^Seccomp:\s*(\d)/m.exec(status)![1];
  const noNewPrivs = /^NoNewPrivs:\s*1/m.test(status);
  const own = ['user', 'pid', 'net'].filter(
    (ns) => readlinkSync(`/proc/${pid}/ns/${ns}`) !== readlinkSync(`/proc/${browserPid}/ns/${ns}`),
  );
  const parts = [
    ...(seccomp === '2' ? ['seccomp-bpf'] : seccomp === '1' ? ['seccomp strict'] : []),
    ...(noNewPrivs ? ['no_new_privs'] : []),
    ...(own.length ? [`${own.join('/')} ns`] : []),
  ];
  return parts.length ? parts.join(' · ') : 'none';
}

interface Row {
  readonly task: string;
  readonly kind: string;
  readonly pid: number;
  readonly sandbox: string;
}

/** The task manager's rows: task, kind, pid and the Sandbox column, by header. */
async function taskManagerRows(ui: Page): Promise<Row[]> {
  const table = ui.getByRole('table', { name: 'Task manager' });
  const headers = (await table.locator('thead th').allTextContents()).map((text) => text.replace(/[▲▼]/g, '').trim());
  const body = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())));
  return body.map((cells) => {
    const cell = (name: string) => cells[headers.indexOf(name)] ?? '';
    return { task: cell('Task'), kind: cell('Kind'), pid: Number(cell('Process ID')), sandbox: cell('Sandbox') };
  });
}

/**
 * Opens a second tab and the task manager, waits until every row has its measurement, and checks
 * each row's Sandbox column against /proc. Returns the rows.
 */
async function uiEqualsProc(app: LabApp): Promise<Row[]> {
  const ui = await app.ui();
  await openTab(ui, 'lab://live');
  await ui.getByRole('button', { name: /^Processes/ }).click();
  await expect(ui.getByRole('table', { name: 'Task manager' })).toBeVisible();
  await expect
    .poll(
      async () => {
        const rows = await taskManagerRows(ui);
        return rows.length >= 6 && rows.every((row) => row.sandbox !== '—' && row.pid > 0);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const rows = await taskManagerRows(ui);
  // Two GPU rows: the active GPU process and its hot standby, each measured.
  expect(rows.map((row) => row.kind).sort()).toEqual(['Browser', 'GPU', 'GPU', 'Plugin host', 'Renderer', 'Renderer']);
  expect(rows.filter((row) => row.task.includes('(standby)'))).toHaveLength(1);
  const browserPid = rows.find((row) => row.kind === 'Browser')!.pid;
  for (const row of rows) expect(row.sandbox, `${row.task} (pid ${row.pid})`).toBe(procSays(row.pid, browserPid));
  // The browser is the measure of "own namespaces", and it confines nothing of itself.
  expect(rows.find((row) => row.kind === 'Browser')!.sandbox).toBe('none');
  return rows;
}

test.describe('with the sandbox on', () => {
  test.skip(
    ({ shell }) => shell === 'electron' && root,
    'Electron cannot keep its sandbox as root (it aborts without --no-sandbox) and has no --browser-user.',
  );
  test.skip(
    sandboxUserMissing !== undefined,
    `As root the sandbox needs an ordinary user for Chromium: ${sandboxUserMissing}`,
  );
  test.use({ shellArgs: root ? [`--browser-user=${SANDBOX_USER}`] : [] });

  test('the status bar says on, and every renderer measures seccomp-bpf, no_new_privs and its own user, pid and net namespaces', async ({
    app,
  }) => {
    const ui = await app.ui();
    await expect(ui.getByRole('status', { name: 'Browser status' }).locator('[data-sandbox]')).toHaveText(
      'Sandbox: on',
    );
    expect(app.startOutput()).toMatch(/^Sandbox: on\b/m);
    const rows = await uiEqualsProc(app);
    for (const row of rows.filter((r) => r.kind === 'Renderer'))
      expect(row.sandbox).toBe('seccomp-bpf · no_new_privs · user/pid/net ns');
    await app.screenshot('sandbox-on-task-manager');
  });
});

test.describe('with the sandbox off', () => {
  // Root cannot have it; an ordinary user asks for it off.
  test.use({ shellArgs: root ? [] : ['--no-sandbox'] });

  test('the status bar says off and why, and no renderer measures seccomp or namespaces of its own', async ({
    app,
  }) => {
    const ui = await app.ui();
    const reason = root ? 'running as root' : '--no-sandbox was given';
    await expect(ui.getByRole('status', { name: 'Browser status' }).locator('[data-sandbox]')).toHaveText(
      `Sandbox: off (${reason})`,
    );
    expect(app.startOutput()).toContain(`Sandbox: off (${reason})`);
    const rows = await uiEqualsProc(app);
    for (const row of rows.filter((r) => r.kind === 'Renderer')) {
      expect(row.sandbox).not.toContain('seccomp');
      expect(row.sandbox).not.toContain(' ns');
    }
    await app.screenshot('sandbox-off-task-manager');
  });
});
