// What the Chromium-driving transport tests share: their pages, bundled from TypeScript at test time,
// and a headless Chromium launched the way vitest.global-setup.ts decided the sandbox works.
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { inject } from 'vitest';
import { requireBrowser } from '../../../main/node/find-browser.ts';

const PAGES_DIR = import.meta.dirname;

/** One self-contained ES module for the page `./<entry>.ts` in this folder, built by Vite. */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    configFile: false,
    root: PAGES_DIR,
    logLevel: 'silent',
    publicDir: false,
    envDir: false,
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      modulePreload: false,
      reportCompressedSize: false,
      rolldownOptions: { input: path.join(PAGES_DIR, `${entry}.ts`), output: { format: 'es' } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((output) => output.output).filter((item) => item.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`${entry}: expected one chunk, got ${chunks.length}`);
  return chunks[0]!.code;
}

/** The system Chromium, headless, with exactly these flags (each test says which it needs). */
export function launchChromium(args: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: requireBrowser(),
    // Playwright adds --no-sandbox unless told the sandbox works here (vitest.global-setup.ts decides).
    chromiumSandbox: inject('chromiumSandbox'),
    args,
  });
}
