// Builds the child-process entries (GPU process, plugin host) once per test run, as the app's build
// does, so the many tests that start real children spawn a plain Node bundle in a few hundred
// milliseconds instead of compiling TypeScript on every spawn.
import type { TestProject } from 'vitest/node';
import { bundleChildren } from './main/chromium/child-bundles.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Entry files of the bundled children: { gpu, 'plugin-host' }. */
    childEntries: { gpu: string; 'plugin-host': string };
  }
}

export default async function setup(project: TestProject) {
  const children = await bundleChildren(import.meta.dirname);
  project.provide('childEntries', children.entries);
  return children.remove;
}
