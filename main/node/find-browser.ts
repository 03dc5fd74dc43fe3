/**
 * Finds the Chrome, Chromium or Edge the app drives, in the order Playwright's and Puppeteer's users
 * expect: `CHROME_PATH`; then `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable`,
 * `microsoft-edge` on PATH; then the usual macOS and Windows install folders. Nothing is downloaded.
 *
 * Everything that launches a browser asks here: the Chromium shell, `npm test`'s first step, the e2e
 * suite and the tests. Every input (environment, platform, home folder, the file check) can be
 * given, so each OS's branch runs in a test on any machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Command names searched on PATH, in order. */
export const BROWSER_COMMANDS = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
] as const;
/** On Windows the executables themselves are named so (rarely on PATH, but when they are, they win). */
const WINDOWS_EXTRA_COMMANDS = ['chrome', 'msedge'];

const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];
const WINDOWS_BASES = ['ProgramFiles', 'ProgramFiles(x86)', 'LOCALAPPDATA'];
const WINDOWS_APPS = [
  'Google\\Chrome\\Application\\chrome.exe',
  'Chromium\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
];

type Env = Readonly<Record<string, string | undefined>>;

export interface BrowserSearchOptions {
  readonly env?: Env;
  readonly platform?: NodeJS.Platform;
  /** For `~/Applications` on macOS; defaults to HOME, then the OS's idea of it. */
  readonly homedir?: string;
  /** Whether `file` is an executable file (on Windows: a file). Defaults to a real check. */
  readonly isExecutable?: (file: string, platform: NodeJS.Platform) => boolean;
}

export type BrowserLookup =
  | { readonly found: true; readonly path: string; readonly via: 'CHROME_PATH' | 'PATH' | 'install folder' }
  | { readonly found: false; readonly message: string };

/** A real check: an existing regular file, executable by this user (Windows has no such bit). */
export function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBrowser(options: BrowserSearchOptions = {}): BrowserLookup {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const isExecutable = (file: string) => (options.isExecutable ?? isExecutableFile)(file, platform);
  const variable = (name: string) => envValue(env, name, platform);

  const chromePath = variable('CHROME_PATH');
  if (chromePath) {
    // Asked for by name: never fall back to another browser behind the user's back.
    if (isExecutable(chromePath)) return { found: true, path: chromePath, via: 'CHROME_PATH' };
    return { found: false, message: badChromePathMessage(chromePath, platform) };
  }

  const names = platform === 'win32' ? [...BROWSER_COMMANDS, ...WINDOWS_EXTRA_COMMANDS] : [...BROWSER_COMMANDS];
  for (const name of names) {
    const onPath = findOnPath(name, { env, platform, isExecutable });
    if (onPath) return { found: true, path: onPath, via: 'PATH' };
  }

  for (const candidate of installFolders(platform, env, options.homedir)) {
    if (isExecutable(candidate)) return { found: true, path: candidate, via: 'install folder' };
  }
  return { found: false, message: browserMissingMessage(platform) };
}

/** The browser's executable, or throws `BrowserNotFoundError` with the paragraph to show. */
export function requireBrowser(options: BrowserSearchOptions = {}): string {
  const lookup = findBrowser(options);
  if (!lookup.found) throw new BrowserNotFoundError(lookup.message);
  return lookup.path;
}

/** Its message is meant for the user as it is: print it, no stack. */
export class BrowserNotFoundError extends Error {
  override readonly name = 'BrowserNotFoundError';
}

/**
 * `command` on PATH, as a shell would find it: PATH's entries in order; on Windows with each of
 * PATHEXT's extensions (a name that already has one is tried as it is too).
 */
export function findOnPath(
  command: string,
  options: Pick<BrowserSearchOptions, 'env' | 'platform'> & { isExecutable?: (file: string) => boolean } = {},
): string | undefined {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const isExecutable = options.isExecutable ?? ((file: string) => isExecutableFile(file, platform));
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const extensions =
    platform === 'win32'
      ? [
          ...(paths.extname(command) ? [''] : []),
          ...(envValue(env, 'PATHEXT', platform) ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean),
        ]
      : [''];
  const entries = (envValue(env, 'PATH', platform) ?? '')
    .split(paths.delimiter)
    // Windows allows quoted entries; an empty entry would mean the current folder: never search that.
    .map((entry) => (platform === 'win32' ? entry.replace(/^"(.*)"$/, '$1') : entry))
    .filter(Boolean);
  for (const dir of entries) {
    for (const extension of extensions) {
      const file = paths.join(dir, command + extension);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

function installFolders(platform: NodeJS.Platform, env: Env, homedir?: string): string[] {
  if (platform === 'darwin') {
    const home = homedir ?? env.HOME ?? os.homedir();
    return ['/Applications', path.posix.join(home, 'Applications')].flatMap((dir) =>
      MAC_APPS.map((app) => path.posix.join(dir, app)),
    );
  }
  if (platform === 'win32') {
    const bases = WINDOWS_BASES.map((name) => envValue(env, name, platform)).filter((base): base is string => !!base);
    return WINDOWS_APPS.flatMap((app) => bases.map((base) => path.win32.join(base, app)));
  }
  // Linux and the BSDs install browsers on PATH (/usr/bin, /snap/bin, /opt/... through a link).
  return [];
}

/** Windows' environment names are case-insensitive (`Path`, `PATH`); elsewhere they are not. */
function envValue(env: Env, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

function badChromePathMessage(chromePath: string, platform: NodeJS.Platform): string {
  let problem = 'does not exist';
  try {
    const stat = fs.statSync(chromePath);
    problem = stat.isFile() ? 'is not executable' : 'is not a file';
  } catch {
    // does not exist
  }
  return (
    `CHROME_PATH is set to ${chromePath}, which ${problem}. Set it to the executable of Chrome, Chromium or Edge ` +
    `(${platform === 'darwin' ? 'e.g. "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"' : platform === 'win32' ? 'e.g. C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe' : 'e.g. /usr/bin/chromium'}), ` +
    'or unset it to let the app search PATH and the usual install folders.'
  );
}

/** The one paragraph shown when no browser is found: what is needed, and how to install it per OS. */
export function browserMissingMessage(platform: NodeJS.Platform = process.platform): string {
  const folders = platform === 'darwin' || platform === 'win32' ? ' or in the usual install folders' : '';
  return [
    'No Chrome, Chromium or Edge found: CHROME_PATH is not set and none is on PATH (chromium,',
    `chromium-browser, google-chrome, google-chrome-stable, microsoft-edge)${folders}.`,
    "Browser Process Lab drives an installed browser (its tabs are that browser's renderer processes)",
    'and downloads none. Install one, or set CHROME_PATH to its executable, then run the command again:',
    '  Debian:   sudo apt-get install chromium',
    "  Ubuntu:   sudo snap install chromium   (apt's chromium-browser installs this same snap)",
    '  Fedora:   sudo dnf install chromium',
    '  Arch:     sudo pacman -S chromium',
    '  macOS:    brew install --cask google-chrome   (or: brew install --cask chromium)',
    '  Windows:  winget install Google.Chrome',
  ].join('\n');
}
