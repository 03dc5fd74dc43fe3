// The e2e suite: the same specs against both shells. `chromium-shell` runs here and in CI (headless,
// the system Chromium); `electron` runs where the Electron binary is installed and otherwise skips
// every spec with one printed reason (e2e/global-setup.ts).
import { defineConfig } from '@playwright/test';
import type { LabOptions } from './e2e/lab-app.ts';

export default defineConfig<Pick<LabOptions, 'shell'>>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  // Each test starts its own app (a browser process, Chromium, a GPU process, a plugin host): on a
  // 2-core machine, one at a time.
  workers: 1,
  fullyParallel: false,
  // In CI one retry, reported as "flaky" rather than hidden: a fresh tab frame's first OOPIF target
  // now and then detaches during set-up (see main/chromium/tab-host.ts), which a loaded
  // machine turns into a slow first load.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  globalSetup: './e2e/global-setup.ts',
  use: { trace: 'off' },
  projects: [
    { name: 'chromium-shell', use: { shell: 'chromium' } },
    { name: 'electron', use: { shell: 'electron' } },
  ],
});
