// Proves that eslint.config.js enforces the import direction: each case lints a snippet as if it
// were the named file and expects either no message at all or errors from exactly one rule.
// The files need not exist (folder rules resolve relative imports by path).
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = import.meta.dirname;

const PATHS = 'import-x/no-restricted-paths';
const IMPORTS = 'no-restricted-imports';
const SYNTAX = 'no-restricted-syntax';
const GLOBALS = 'no-restricted-globals';
const TYPE_SIDE_EFFECTS = '@typescript-eslint/no-import-type-side-effects';

/** [file, code, the rule that must report (every message), or null for "no message at all"] */
type Case = [file: string, code: string, rule: string | null];

const importValue = (from: string) => `import { x } from '${from}';\nexport { x };\n`;
const importType = (from: string) => `import type { X } from '${from}';\nexport type { X };\n`;

const folderCases: Case[] = [
  ['renderer/browser-ui/x.ts', importValue('../../main/core/tabs.ts'), PATHS],
  ['renderer/browser-ui/x.ts', importType('../../main/core/tabs'), PATHS],
  ['renderer/browser-ui/x.ts', importValue('../../preload/ui-preload.ts'), PATHS],
  ['renderer/browser-ui/x.ts', importValue('../../gpu-worker/main.ts'), PATHS],
  ['renderer/browser-ui/x.ts', importValue('../../plugin-host/main.ts'), PATHS],
  ['renderer/browser-ui/x.ts', importValue('../../protocol/ui.ts'), null],
  ['renderer/browser-ui/x.ts', importValue('./App.tsx'), null],
  ['renderer/browser-ui/tours/x.ts', importValue('../../../protocol/ui.ts'), null],
  ['renderer/browser-ui/x.ts', importValue('../tab-runtime/index.ts'), PATHS],
  ['renderer/browser-ui/tours/x.ts', importType('../../pages/live-scene.ts'), PATHS],
  ['renderer/tab-runtime/x.ts', importValue('../browser-ui/App.tsx'), PATHS],
  ['renderer/pages/x.ts', importType('../browser-ui/connection/browser-state.ts'), PATHS],
  ['renderer/pages/x.ts', importValue('../tab-runtime/index.ts'), null],
  // The Experiments view reuses the HTML report's plots; the report imports nothing of the UI or the tabs.
  ['renderer/browser-ui/experiments/x.ts', importValue('../../experiment-report/plots.ts'), null],
  ['renderer/experiment-report/x.ts', importValue('../browser-ui/App.tsx'), PATHS],
  ['renderer/experiment-report/x.ts', importValue('../tab-runtime/index.ts'), PATHS],
  ['renderer/experiment-report/x.ts', importValue('../../protocol/experiments/stats.ts'), null],
  ['renderer/experiment-report/x.ts', importValue('../pages/labs/ipc/ipc-plots.ts'), null],
  ['renderer/experiment-report/x.ts', importValue('../pages/ipc.ts'), PATHS],
  ['renderer/pages/labs/ipc/x.ts', importValue('../../../experiment-report/main.ts'), PATHS],
  ['renderer/tab-runtime/x.ts', importValue('../experiment-report/plots.ts'), PATHS],
  ['gpu-worker/x.ts', importValue('../plugin-host/y.ts'), PATHS],
  ['plugin-host/x.ts', importValue('../gpu-worker/main.ts'), PATHS], // an existing file
  ['gpu-worker/x.ts', importValue('../protocol/gpu.ts'), null],
  // utility/ is shared by the two utility processes only.
  ['gpu-worker/x.ts', importValue('../utility/channel-server.ts'), null],
  ['plugin-host/x.ts', importValue('../utility/channel-server.ts'), null],
  ['main/x.ts', importValue('../utility/channel-server.ts'), PATHS],
  ['renderer/x.ts', importValue('../utility/channel-server.ts'), PATHS],
  ['utility/x.ts', importValue('../gpu-worker/main.ts'), PATHS],
  ['utility/x.ts', importValue('../protocol/rpc/endpoint.ts'), null],
  // lab-host/: the lab host, a utility process like the plugin host.
  ['lab-host/ipc/x.ts', importValue('../../protocol/rpc/endpoint.ts'), null],
  ['lab-host/ipc/x.ts', importValue('../../utility/channel-server.ts'), null],
  ['lab-host/ipc/x.ts', importValue('./native/native-ipc.ts'), null],
  ['lab-host/x.ts', importValue('./ipc/kinds.ts'), null],
  ['lab-host/ipc/x.ts', importValue('../../main/core/tabs.ts'), PATHS],
  ['lab-host/ipc/x.ts', importValue('../../plugin-host/plugin.ts'), PATHS],
  ['lab-host/x.ts', importType('../renderer/browser-ui/App.tsx'), PATHS],
  ['main/core/x.ts', importValue('../../lab-host/ipc/kinds.ts'), PATHS],
  ['renderer/pages/x.ts', importType('../../lab-host/ipc/ipc-lab.ts'), PATHS],
  ['plugin-host/x.ts', importValue('../lab-host/ipc/kinds.ts'), PATHS],
  ['main/x.ts', importValue('../renderer/browser-ui/App.tsx'), PATHS],
  ['main/electron/x.ts', importValue('../../preload/ui-preload.ts'), PATHS],
  ['main/electron/x.ts', importValue('../core/tabs.ts'), null],
  ['main/electron/x.ts', importValue('../../protocol/ui.ts'), null],
  ['preload/x.ts', importValue('../main/core/tabs.ts'), PATHS],
  ['preload/x.ts', importType('../renderer/browser-ui/App.tsx'), PATHS],
  ['preload/x.ts', importType('../protocol/ui.ts'), null],
  ['protocol/x.ts', importValue('../main/core/tabs.ts'), PATHS],
  ['protocol/x.ts', importType('../renderer/browser-ui/App.tsx'), PATHS],
  ['protocol/x.ts', importValue('../e2e/helpers.ts'), PATHS],
  ['protocol/x.ts', importValue('./rpc/channel.ts'), null],
  ['protocol/x.ts', importValue('typebox'), null],
  ['main/core/x.ts', importValue('../electron/main.ts'), PATHS],
  ['main/core/x.ts', importType('../chromium/main.ts'), PATHS],
  ['main/core/sub/x.ts', importValue('../../electron/window.ts'), PATHS],
  ['main/core/x.ts', importValue('./tabs.ts'), null],
  // main/node/: Node code both shells share (and e2e, tests); never the runtime-neutral core.
  ['main/core/x.ts', importValue('../node/sandbox.ts'), PATHS],
  ['main/chromium/x.ts', importValue('../node/sandbox.ts'), null],
  ['main/electron/x.ts', importValue('../node/proc-sandbox.ts'), null],
  ['e2e/x.ts', importValue('../main/node/sandbox.ts'), null],
  ['main/node/x.ts', importValue('../../protocol/interfaces/ui-browser.ts'), null],
  ['main/core/x.ts', importValue('../../protocol/ui.ts'), null],
  ['e2e/x.ts', importValue('../main/core/tabs.ts'), null],
  ['e2e/x.ts', importValue('../protocol/ui.ts'), null],
  ['e2e/x.ts', importValue('../scripts/electron-binary.mjs'), null],
  ['e2e/x.ts', importValue('../renderer/browser-ui/App.tsx'), PATHS],
  // main/node/: Node code both shells share; the core may not import it, nor it the shells.
  ['main/electron/x.ts', importValue('../node/static-paths.ts'), null],
  ['main/chromium/x.ts', importValue('../node/static-paths.ts'), null],
  ['main/core/x.ts', importValue('../node/static-paths.ts'), PATHS],
  ['main/core/x.ts', importType('../node/static-paths.ts'), PATHS],
  ['main/node/x.ts', importValue('../../protocol/ui.ts'), null],
  ['main/node/x.ts', importValue('../chromium/app-server.ts'), PATHS],
  ['main/node/x.ts', importType('../electron/app-protocol.ts'), PATHS],
  // bench/ may import the product; nothing imports bench/.
  ['bench/x.bench.ts', importValue('../main/core/trace-buffer.ts'), null],
  ['bench/x.bench.ts', importValue('../main/chromium/child-bundles.ts'), null],
  ['bench/x/child.ts', importValue('../../protocol/rpc/endpoint.ts'), null],
  ['bench/x.bench.ts', importValue('../gpu-worker/rasterizer.ts'), null],
  ['bench/x.bench.ts', importValue('../plugin-host/main.ts'), null],
  ['bench/x.bench.ts', importValue('../utility/channel-server.ts'), null],
  ['bench/x.bench.ts', importValue('./tracing/interfaces.ts'), null],
  ['bench/x.bench.ts', importValue('../renderer/browser-ui/App.tsx'), PATHS],
  // testing/ folders serve tests, benchmarks and each other, never the product.
  ['main/core/x.ts', importValue('./testing/fake-tab-host.ts'), PATHS],
  ['main/core/sub/x.ts', importType('../testing/manual-clock.ts'), PATHS],
  ['main/chromium/x.ts', importValue('../../protocol/rpc/testing/fork-service.ts'), PATHS],
  ['gpu-worker/x.ts', importValue('./testing/pixels.ts'), PATHS],
  ['main/core/x.test.ts', importValue('./testing/fake-tab-host.ts'), null],
  ['main/core/testing/x.ts', importValue('./manual-clock.ts'), null],
  ['gpu-worker/testing/x.ts', importValue('../../protocol/rpc/testing/fork-service.ts'), null],
  ['bench/x.bench.ts', importValue('../protocol/rpc/testing/echo-service.ts'), null],
  ['bench/x.bench.ts', importValue('../e2e/helpers.ts'), PATHS],
  ['main/core/x.ts', importValue('../../bench/tracing/interfaces.ts'), PATHS],
  ['main/core/x.test.ts', importType('../../bench/tracing/interfaces.ts'), PATHS],
  ['main/chromium/x.ts', importValue('../../bench/ipc/child.ts'), PATHS],
  ['protocol/rpc/x.test.ts', importValue('../../bench/ipc/child.ts'), PATHS],
  ['gpu-worker/x.ts', importValue('../bench/raster.bench.ts'), PATHS],
  ['utility/x.ts', importValue('../bench/x.ts'), PATHS],
  ['e2e/x.ts', importValue('../bench/x.ts'), PATHS],
  ['scripts/x.mjs', importValue('../bench/x.ts'), PATHS],
  ['vitest.config.ts', importValue('./bench/x.ts'), PATHS],
  ['newfolder/x.ts', importValue('../bench/x.ts'), PATHS],
  // The two shells never import each other.
  ['main/electron/x.ts', importValue('../chromium/tab-host.ts'), PATHS],
  ['main/electron/x.ts', importType('../chromium/process-metrics.ts'), PATHS],
  ['main/chromium/x.ts', importValue('../electron/tab-identity.ts'), PATHS],
  ['main/chromium/x.test.ts', importType('../electron/utility-exits.ts'), PATHS],
  // main/node/: shared by both shells, e2e/, scripts/ and tests; never by main/core/.
  ['main/node/x.ts', importValue('../../protocol/ui.ts'), null],
  ['main/node/x.ts', importValue('./y.ts'), null],
  ['main/node/x.ts', importValue('../core/tabs.ts'), PATHS],
  ['main/node/x.ts', importValue('../chromium/main.ts'), PATHS],
  ['main/node/x.ts', importType('../electron/main.ts'), PATHS],
  ['main/node/x.ts', importValue('../../renderer/browser-ui/App.tsx'), PATHS],
  ['main/core/x.ts', importValue('../node/find-browser.ts'), PATHS],
  ['main/chromium/x.ts', importValue('../node/find-browser.ts'), null],
  ['main/electron/x.ts', importValue('../node/find-browser.ts'), null],
  ['e2e/x.ts', importValue('../main/node/find-browser.ts'), null],
  ['scripts/x.ts', importValue('../main/node/find-browser.ts'), null],
  ['protocol/transport/x.test.ts', importValue('../../main/node/find-browser.ts'), null],
  ['protocol/transport/x.ts', importValue('../../main/node/find-browser.ts'), PATHS],
  ['protocol/transport/x.test.ts', importValue('../../main/core/tabs.ts'), PATHS],
];

const electronCases: Case[] = [
  ['protocol/x.ts', importType('electron'), null],
  ['protocol/x.ts', importValue('electron'), IMPORTS],
  ['protocol/x.ts', `import { type X } from 'electron';\nexport type { X };\n`, TYPE_SIDE_EFFECTS],
  ['protocol/x.ts', `export type { X } from 'electron';\n`, null],
  ['protocol/x.ts', `export { x } from 'electron';\n`, IMPORTS],
  ['main/core/x.ts', importType('electron'), IMPORTS],
  ['main/core/x.ts', importValue('electron'), IMPORTS],
  ['main/electron/x.ts', importValue('electron'), null],
  ['main/electron/sub/x.ts', importValue('electron/main'), null],
  ['preload/x.ts', importValue('electron'), null],
  ['main/chromium/x.ts', importValue('electron'), IMPORTS],
  ['main/chromium/x.ts', importType('electron'), null],
  ['main/x.ts', importValue('electron'), IMPORTS],
  ['gpu-worker/x.ts', importValue('electron/utility'), IMPORTS],
  ['plugin-host/x.ts', importType('electron'), null],
  ['lab-host/x.ts', importType('electron'), null],
  ['lab-host/ipc/x.ts', importValue('electron/utility'), IMPORTS],
  ['renderer/browser-ui/x.ts', importType('electron'), IMPORTS],
  ['renderer/browser-ui/x.tsx', importValue('electron/renderer'), IMPORTS],
  ['e2e/x.ts', importValue('electron'), IMPORTS],
  ['scripts/x.mjs', `import 'electron';\n`, IMPORTS],
  ['vite.config.ts', importValue('electron'), IMPORTS],
  // Dynamic loads, which no-restricted-imports does not see.
  ['e2e/x.ts', `export const load = () => import('electron');\n`, SYNTAX],
  [
    'scripts/x.mjs',
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const e = require('electron');\n`,
    SYNTAX,
  ],
  ['main/electron/x.ts', `export const load = () => import('electron');\n`, null],
];

const builtinCases: Case[] = [
  ['protocol/x.ts', importValue('node:fs'), IMPORTS],
  ['protocol/x.ts', importValue('fs'), IMPORTS],
  ['protocol/x.ts', importValue('fs/promises'), IMPORTS],
  ['protocol/x.ts', importValue('worker_threads'), IMPORTS],
  ['protocol/x.ts', importValue('node:test'), IMPORTS],
  ['protocol/x.ts', importType('child_process'), IMPORTS],
  ['protocol/x.ts', `export const load = () => import('child_process');\n`, SYNTAX],
  ['protocol/x.ts', `export const load = () => import('node:fs/promises');\n`, SYNTAX],
  ['renderer/browser-ui/x.ts', importValue('node:path'), IMPORTS],
  ['renderer/browser-ui/x.ts', importValue('events'), IMPORTS],
  ['preload/x.ts', importValue('node:events'), null],
  ['preload/x.ts', importValue('timers'), null],
  ['preload/x.ts', importValue('fs'), IMPORTS],
  ['preload/x.ts', importValue('node:path'), IMPORTS],
  // main/core/: no Node built-ins at all, not even types, its tests included.
  ['main/core/x.ts', importValue('node:fs'), IMPORTS],
  ['main/core/x.ts', importValue('fs'), IMPORTS],
  ['main/core/x.ts', importValue('node:path'), IMPORTS],
  ['main/core/x.ts', importValue('events'), IMPORTS],
  ['main/core/x.ts', importValue('child_process'), IMPORTS],
  ['main/core/x.ts', importValue('node:v8'), IMPORTS],
  ['main/core/x.ts', importValue('vm'), IMPORTS],
  ['main/core/x.ts', importValue('os'), IMPORTS],
  ['main/core/x.ts', importValue('url'), IMPORTS],
  ['main/core/x.ts', importValue('node:worker_threads'), IMPORTS],
  ['main/core/x.ts', importType('node:child_process'), IMPORTS],
  ['main/core/x.ts', importType('worker_threads'), IMPORTS],
  ['main/core/x.ts', `export type { ChildProcess } from 'node:child_process';\n`, IMPORTS],
  ['main/core/x.ts', `export const load = () => import('node:fs/promises');\n`, SYNTAX],
  ['main/core/x.test.ts', importValue('node:worker_threads'), IMPORTS],
  ['main/core/sub/x.ts', importValue('perf_hooks'), IMPORTS],
  ['main/core/x.ts', importValue('typebox'), null],
  ['main/core/x.ts', `export const timer: NodeJS.Timeout | undefined = undefined;\n`, null],
  // Node code outside the core keeps them.
  ['main/node/x.ts', importValue('node:path'), null],
  ['main/node/x.ts', importValue('electron'), IMPORTS],
  ['main/node/x.ts', importType('electron'), null],
  ['main/chromium/x.ts', importValue('node:child_process'), null],
  ['main/node/x.ts', importValue('node:child_process'), null],
  ['gpu-worker/x.ts', importValue('node:worker_threads'), null],
  ['lab-host/ipc/x.ts', importValue('node:worker_threads'), null],
  // Protocol tests and benchmarks run in Node; electron stays type-only there.
  ['protocol/rpc/x.test.ts', importValue('node:worker_threads'), null],
  ['protocol/rpc/x.test.ts', importValue('child_process'), null],
  ['protocol/rpc/x.test.ts', importValue('electron'), IMPORTS],
  ['protocol/rpc/x.test.ts', importType('electron'), null],
  // Benchmarks run in plain Node; electron stays type-only there too.
  ['bench/ipc.bench.ts', importValue('node:child_process'), null],
  ['bench/tracing/browser.ts', importValue('v8'), null],
  ['bench/ipc.bench.ts', `export const load = () => import('electron');\n`, SYNTAX],
  ['bench/tracing.bench.ts', importValue('electron'), IMPORTS],
  ['bench/tracing.bench.ts', importType('electron'), null],
];

const PROTOCOL_GLOBALS = [
  'window',
  'document',
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'global',
  'self',
  'navigator',
  'localStorage',
];

const globalCases: Case[] = [
  ...PROTOCOL_GLOBALS.map((name): Case => ['protocol/x.ts', `export const g = ${name};\n`, GLOBALS]),
  ['protocol/x.ts', `export const g = globalThis;\n`, null],
  ['protocol/rpc/x.test.ts', `export const g = process.env;\n`, null],
  ['bench/schema.bench.ts', `export const g = [process.argv, Buffer.from('')];\n`, null],
  ['protocol/rpc/x.test.ts', `export const g = window;\n`, GLOBALS],
  ['protocol/rpc/testing/x.ts', `export const g = process.pid;\n`, null],
  // main/core: no Node globals either (its tests may use them).
  ['main/core/x.ts', `export const g = process.pid;\n`, GLOBALS],
  ['main/core/x.ts', `export const g = Buffer.from('');\n`, GLOBALS],
  ['main/core/x.ts', `export const g = __dirname;\n`, GLOBALS],
  ['main/core/x.ts', `setImmediate(() => {});\n`, GLOBALS],
  [
    'main/core/x.ts',
    `export const g = [globalThis, setTimeout, queueMicrotask, structuredClone, performance];\n`,
    null,
  ],
  ['main/core/x.test.ts', `export const g = [process.versions, Buffer.from('')];\n`, null],
  ['main/core/trace-buffer.ts', `export const g = Buffer.from('');\n`, GLOBALS],
  ['main/core/trace-buffer.ts', `export const g = process.pid;\n`, GLOBALS],
  ['main/chromium/x.ts', `export const g = process.pid;\n`, null],
];

describe('eslint.config.js', () => {
  let eslint: ESLint;

  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    if (!result) throw new Error(`no lint result for ${file}`);
    return result.messages;
  }

  const run = (cases: Case[]) =>
    it.each(cases)('%s: %j -> %s', async (file, code, rule) => {
      const messages = await lint(file, code);
      const summary = messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
      if (rule === null) {
        expect(summary).toEqual([]);
      } else {
        expect(summary.length).toBeGreaterThan(0);
        for (const message of messages) {
          expect(message.ruleId, summary.join('\n')).toBe(rule);
          expect(message.severity, 'must be an error, not a warning').toBe(2);
        }
      }
    });

  describe('folder boundaries', () => run(folderCases));
  describe('electron at runtime only in main/electron/ and preload/', () => run(electronCases));
  describe('Node built-ins', () => run(builtinCases));
  describe('globals in protocol/ and main/core/', () => run(globalCases));

  it('ignores build output and reports', async () => {
    for (const dir of ['dist', 'dist-electron', 'release', 'node_modules', 'test-results', 'playwright-report']) {
      expect(await eslint.isPathIgnored(path.join(root, dir, 'x.js')), dir).toBe(true);
    }
    expect(await eslint.isPathIgnored(path.join(root, 'main/electron/main.ts'))).toBe(false);
  });
});
