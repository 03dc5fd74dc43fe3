// ESLint flat config. Besides the usual checks it enforces the import direction between the
// process folders, like Chromium's DEPS files or VS Code's layer rule:
//   - folder boundaries: import-x/no-restricted-paths (by resolved path, see `resolver-next`),
//     including bench/, which may import the product and which nothing imports;
//   - which processes may load `electron` and Node built-ins (main/core none at all, not even as
//     types: shell-shared Node code lives in main/node/): core no-restricted-imports
//     (static imports; `allowTypeImports` lets Node-side code type against Electron) and
//     no-restricted-syntax (dynamic `import()` and `require()`);
//   - Node-only and DOM-only globals in protocol/, Node's globals in main/core: no-restricted-globals.
// eslint.config.test.ts proves that each rule fires. Every rule below is an error.
import path from 'node:path';
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** The folders named after the process their code runs in. */
const PROCESS_FOLDERS = ['main', 'preload', 'renderer', 'gpu-worker', 'plugin-host', 'lab-host'];

/** Node built-ins a sandboxed preload can `require` (Electron's sandbox polyfills exactly these). */
const SANDBOX_BUILTINS = ['events', 'timers', 'url'];

/** @param {string} text */
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regex source matching Node built-in specifiers (`fs`, `fs/promises`, `node:test`, ...),
 * except the bare and `node:` forms of `allowed`.
 * @param {string[]} allowed
 */
function builtinRegex(allowed) {
  const names = builtinModules.filter((name) => !allowed.includes(name)).map(escapeRegex);
  const prefixed = allowed.length ? `node:(?!(?:${allowed.map(escapeRegex).join('|')})$).*` : 'node:.*';
  return `^(?:${prefixed}|${names.join('|')})$`;
}

const ELECTRON_REGEX = '^electron(?:/.*)?$'; // electron, electron/main, electron/renderer, ...

const MESSAGES = {
  electronTypes:
    'Only main/electron/** and preload/** may load Electron at runtime (in plain Node it tries to download its binary and fails); `import type` is fine.',
  electronNone: 'This folder must not depend on Electron at all, not even on its types.',
  builtinsNone: 'No Node built-ins here: this code also runs where Node does not exist.',
  builtinsSandbox: `A sandboxed preload can only require electron and ${SANDBOX_BUILTINS.join(', ')}.`,
};

/**
 * Options for `no-restricted-imports` and `no-restricted-syntax` for one area of the code base.
 * A later config object replaces a rule's options entirely, so each area states all of them.
 * @param {{ electron: 'runtime' | 'types' | 'none', builtins: 'all' | 'sandbox' | 'none' }} area
 * @returns {import('eslint').Linter.RulesRecord}
 */
function moduleRules({ electron, builtins }) {
  /** @type {{ regex: string, message: string, allowTypeImports?: boolean }[]} */
  const forbidden = [];
  if (electron !== 'runtime') {
    forbidden.push({
      regex: ELECTRON_REGEX,
      allowTypeImports: electron === 'types',
      message: electron === 'types' ? MESSAGES.electronTypes : MESSAGES.electronNone,
    });
  }
  if (builtins !== 'all') {
    forbidden.push({
      regex: builtinRegex(builtins === 'sandbox' ? SANDBOX_BUILTINS : []),
      message: builtins === 'sandbox' ? MESSAGES.builtinsSandbox : MESSAGES.builtinsNone,
    });
  }
  if (forbidden.length === 0) {
    return { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' };
  }
  // esquery's /regex/ cannot contain a slash: spell it \u002F.
  /** @param {string} regex */
  const selectorRegex = (regex) => `/${regex.replaceAll('/', '\\u002F')}/`;
  const dynamic = forbidden.flatMap(({ regex, message }) => [
    { selector: `ImportExpression[source.value=${selectorRegex(regex)}]`, message },
    { selector: `CallExpression[callee.name="require"][arguments.0.value=${selectorRegex(regex)}]`, message },
  ]);
  return {
    'no-restricted-imports': ['error', { patterns: forbidden }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
}

/** Resolves relative specifiers by path alone, so folder rules apply to files that do not exist (yet). */
/** @type {import('eslint-plugin-import-x').NewResolver} */
const lexicalResolver = {
  interfaceVersion: 3,
  name: 'lexical-relative',
  resolve(source, file) {
    if (!/^\.{1,2}(?:\/|$)/.test(source)) return { found: false };
    return { found: true, path: path.resolve(path.dirname(file), source.replace(/[?#].*$/, '')) };
  },
};

/**
 * A zone: files in `folder` may import only from the `allowed` folders and node_modules/.
 * @param {string} folder
 * @param {string[]} allowed
 */
const onlyFrom = (folder, allowed) => ({
  target: `./${folder}`,
  from: '.',
  except: [...allowed.map((name) => `./${name}`), './node_modules'],
  message: `${folder}/ may import only ${allowed.map((name) => `${name}/`).join(', ')} and npm packages.`,
});

/** Node-side code the utility processes (GPU process, plugin host, lab host) share. */
const UTILITY_SHARED = 'utility';

/** Benchmarks: plain Node on the test runner's side, never shipped. They may import the product. */
const BENCH = 'bench';

/** Node-side code both shells share (finding a browser, ...), also used by e2e/, scripts/ and tests. */
const NODE_SHARED = 'main/node';

/** @param {{ protocolTests?: boolean }} [options] */
const zonesFor = ({ protocolTests = false } = {}) => [
  ...PROCESS_FOLDERS.map((folder) =>
    onlyFrom(
      folder,
      ['gpu-worker', 'plugin-host', 'lab-host'].includes(folder)
        ? [folder, UTILITY_SHARED, 'protocol']
        : [folder, 'protocol'],
    ),
  ),
  onlyFrom(UTILITY_SHARED, [UTILITY_SHARED, 'protocol']),
  // Protocol tests that drive a real browser find it as everything else does.
  onlyFrom('protocol', protocolTests ? ['protocol', NODE_SHARED] : ['protocol']),
  // renderer/ holds three programs: the browser UI page, and the tab runtime and built-in pages every
  // tab loads. The UI shares no code with a tab (a tab cannot reach it either way).
  // The Experiments view draws the HTML report's plots with the report's own module (plots.ts).
  onlyFrom('renderer/browser-ui', ['renderer/browser-ui', 'renderer/experiment-report', 'protocol']),
  // The HTML report's viewer: one script in a page of its own. It draws an IPC lab result with the lab
  // page's own view, charts and stylesheets (renderer/pages/labs/, renderer/pages/shared/page.css),
  // so no chart code is written twice; the tab runtime stays out, and tab code never imports it back.
  onlyFrom('renderer/experiment-report', [
    'renderer/experiment-report',
    'renderer/pages/labs',
    'renderer/pages/shared',
    'protocol',
  ]),
  {
    target: ['./renderer/tab-runtime', './renderer/pages'],
    from: ['./renderer/browser-ui', './renderer/experiment-report'],
    message:
      'Tab code (renderer/tab-runtime/, renderer/pages/) must not import the browser UI (renderer/browser-ui/) or the experiment report (renderer/experiment-report/).',
  },
  onlyFrom('e2e', ['e2e', 'main', 'protocol', 'scripts']),
  onlyFrom(BENCH, [BENCH, 'main', 'protocol', 'gpu-worker', 'plugin-host', UTILITY_SHARED]),
  {
    // Every file outside bench/ (its folders, and the files at the root); the folder zones above
    // say it too for the process folders, this also covers folders and tools yet to come.
    target: [`./!(${BENCH})/**`, './*'],
    from: `./${BENCH}`,
    message: "Nothing imports bench/: benchmarks run on the test runner's side and are never shipped.",
  },
  // The two shells drive the same core: what both need lives in main/node/, never in the other shell.
  {
    target: './main/electron',
    from: './main/chromium',
    message: 'The Electron shell must not import the Chromium shell: shared code goes in main/node/.',
  },
  {
    target: './main/chromium',
    from: './main/electron',
    message: 'The Chromium shell must not import the Electron shell: shared code goes in main/node/.',
  },
  {
    target: './main/core',
    from: ['./main/electron', './main/chromium', `./${NODE_SHARED}`],
    message: 'main/core/ is the runtime-neutral browser process: it must not import either shell, nor main/node/.',
  },
  {
    target: `./${NODE_SHARED}`,
    from: ['./main/core', './main/electron', './main/chromium'],
    message:
      'main/node/ is shared by both shells, e2e/ and scripts/: it may import protocol/, Node built-ins and npm packages, not main/core/ or a shell.',
  },
  {
    // Every product file: outside bench/ and e2e/, not a test, in no testing/ folder at any depth
    // (minimatch's !(...) matches one path segment, hence one pattern per depth).
    target: [1, 2, 3, 4, 5].map(
      (depth) => `./!(${BENCH}|e2e)/${'!(testing)/'.repeat(depth - 1)}!(*.test).{ts,tsx,js,mjs}`,
    ),
    from: './**/testing/**',
    message:
      'testing/ folders hold test doubles and fixtures for tests and benchmarks; product code never imports them.',
  },
];
const zones = zonesFor();

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
/** @param {string[]} names */
const restrictedGlobals = (names) =>
  names.map((name) => ({ name, message: 'protocol/ runs in every process: no Node-only or DOM-only globals.' }));

/** Node's own globals: the core is given what it needs through options and ports, as pids and clocks. */
const NODE_GLOBALS = [
  'process',
  'Buffer',
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
  'clearImmediate',
];
/** @param {string[]} names */
const coreGlobals = (names) =>
  names.map((name) => ({
    name,
    message: 'main/core/ is runtime-neutral: no Node globals; take what you need through options or a port.',
  }));

/** Tests and their fixtures run in Node (or a test page), not in every process. */
const PROTOCOL_NODE_FILES = ['protocol/**/*.test.ts', 'protocol/**/testing/**'];

export default defineConfig([
  globalIgnores([
    'dist/',
    'dist-electron/',
    'release/',
    'node_modules/',
    'test-results/',
    'playwright-report/',
    'experiment-reports/',
  ]),

  {
    name: 'lab/base',
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    extends: [js.configs.recommended],
    plugins: { 'import-x': importX },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
        }),
        lexicalResolver,
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
      ...moduleRules({ electron: 'types', builtins: 'all' }),
    },
  },
  {
    name: 'lab/typescript',
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    rules: {
      // `import { type X } from 'electron'` keeps `import 'electron'` under verbatimModuleSyntax.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `const { dropped, ...kept } = value` is how an immutable update drops a field.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'lab/node-scripts',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },

  // Where `electron` and Node built-ins may be imported. Later objects win.
  {
    name: 'lab/electron-shell',
    files: ['main/electron/**'],
    rules: moduleRules({ electron: 'runtime', builtins: 'all' }),
  },
  { name: 'lab/preload', files: ['preload/**'], rules: moduleRules({ electron: 'runtime', builtins: 'sandbox' }) },
  // The core, its tests too: Node's globals (MessageChannel, structuredClone) serve the tests.
  { name: 'lab/main-core', files: ['main/core/**'], rules: moduleRules({ electron: 'none', builtins: 'none' }) },
  {
    name: 'lab/main-core-globals',
    files: ['main/core/**'],
    ignores: ['main/core/**/*.test.ts'], // tests run in Node and may fake a child with its figures
    rules: { 'no-restricted-globals': ['error', ...coreGlobals(NODE_GLOBALS)] },
  },
  { name: 'lab/renderer', files: ['renderer/**'], rules: moduleRules({ electron: 'none', builtins: 'none' }) },
  {
    name: 'lab/protocol',
    files: ['protocol/**'],
    rules: {
      ...moduleRules({ electron: 'types', builtins: 'none' }),
      'no-restricted-globals': ['error', ...restrictedGlobals(PROTOCOL_GLOBALS)],
    },
  },
  {
    name: 'lab/protocol-node-tests',
    files: PROTOCOL_NODE_FILES,
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: zonesFor({ protocolTests: true }) }],
      ...moduleRules({ electron: 'types', builtins: 'all' }),
      'no-restricted-globals': [
        'error',
        ...restrictedGlobals(PROTOCOL_GLOBALS.filter((name) => name !== 'process' && name !== 'Buffer')),
      ],
    },
  },
]);
