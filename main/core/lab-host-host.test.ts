// The lab host's policy on the port's doubles (FakeUtilityLauncher: in-process children serving the
// real LabHostService): started only when a lab page asks, restarted after a crash, and left down
// after a crash loop until a page asks again. Its real process, its watchdog ending a real hang and
// its channel are main/chromium/lab-host-on-real-processes.test.ts's.
import { afterEach, expect, it } from 'vitest';
import { systemClock } from './clock.ts';
import { EventLog } from './event-log.ts';
import { DEFAULT_LAB_HOST_CRASH_LIMIT, LAB_HOST_ID, LabProcessHost } from './lab-host-host.ts';
import { ProcessRegistry } from './process-registry.ts';
import { FakeUtilityLauncher } from './testing/fake-utility-launcher.ts';

const disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

function setUp() {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const launcher = new FakeUtilityLauncher();
  const labs = new LabProcessHost({ launcher, registry, log, clock: systemClock() });
  const crashes: { recentCrashes: number; restarting: boolean }[] = [];
  labs.onDidCrash((crash) => crashes.push(crash));
  disposers.push(() => {
    labs.dispose();
    launcher.dispose();
  });
  const ready = () => new Promise<number>((resolve) => labs.onDidBecomeReady(({ pid }) => resolve(pid)));
  return { registry, launcher, labs, crashes, ready };
}

it('starts no lab host until a page asks for a channel, then one, granting that tab', async () => {
  const { registry, launcher, labs } = setUp();
  expect(launcher.children).toHaveLength(0);
  expect(registry.get(LAB_HOST_ID)).toBeUndefined();
  const granted = await labs.establishChannel('tab-1');
  expect(launcher.children.map((child) => child.kind)).toEqual(['lab-host']);
  expect(launcher.children[0]!.grants).toEqual(['tab-1']);
  expect(granted.hostPid).toBe(launcher.children[0]!.pid);
  expect(registry.get(LAB_HOST_ID)).toMatchObject({ kind: 'lab-host', state: 'running', label: 'Lab host' });
  // A second page's ask reuses it.
  await labs.establishChannel('tab-2');
  expect(launcher.children).toHaveLength(1);
});

it('restarts a crashed lab host at once, and says it is restarting', async () => {
  const { registry, launcher, labs, crashes, ready } = setUp();
  await labs.establishChannel('tab-1');
  const back = ready();
  launcher.children[0]!.crash();
  const pid = await back;
  expect(crashes).toEqual([{ recentCrashes: 1, restarting: true }]);
  expect(launcher.children).toHaveLength(2);
  expect(pid).toBe(launcher.children[1]!.pid);
  expect(registry.get(LAB_HOST_ID)).toMatchObject({ state: 'running', restarts: 1, pid });
});

it('after a crash loop it stays down until a page asks again', async () => {
  const { launcher, labs, crashes, ready } = setUp();
  await labs.establishChannel('tab-1');
  for (let crash = 1; crash < DEFAULT_LAB_HOST_CRASH_LIMIT; crash++) {
    const back = ready();
    launcher.children.at(-1)!.crash();
    await back;
  }
  launcher.children.at(-1)!.crash();
  await new Promise((resolve) => setTimeout(resolve, 50)); // a restart, if one were made, would launch now
  expect(crashes.map((crash) => crash.restarting)).toEqual([true, true, false]);
  expect(launcher.children).toHaveLength(DEFAULT_LAB_HOST_CRASH_LIMIT);
  expect(labs.running).toBe(false);
  await labs.establishChannel('tab-1');
  expect(launcher.children).toHaveLength(DEFAULT_LAB_HOST_CRASH_LIMIT + 1);
  expect(labs.running).toBe(true);
});
