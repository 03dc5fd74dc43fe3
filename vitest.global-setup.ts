// Builds the child-process entries (GPU process, plugin host, lab host) once per test run, as the app's build
// does, so the many tests that start real children spawn a plain Node bundle in a few hundred
// milliseconds instead of compiling TypeScript on every spawn. Also decides once whether the tests'
// Chromium can run with its OS sandbox (main/node/sandbox.ts): as an ordinary user it does.
import type { TestProject } from 'vitest/node';
import { bundleChildren } from './main/chromium/child-bundles.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox } from './main/node/sandbox.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Entry files of the bundled children: { gpu, 'plugin-host', 'lab-host' }. */
    childEntries: { gpu: string; 'plugin-host': string; 'lab-host': string };
    /** Playwright's `chromiumSandbox` for tests that launch Chromium themselves: off only where it cannot work (root, no namespaces). */
    chromiumSandbox: boolean;
  }
}

export default async function setup(project: TestProject) {
  const children = await bundleChildren(import.meta.dirname);
  project.provide('childEntries', children.entries);
  const executable = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  project.provide(
    'chromiumSandbox',
    decideSandbox({ uid: currentUid(), noSandboxRequested: false, helperPaths: chromeSandboxHelpers(executable) })
      .enabled,
  );
  return children.remove;
}
