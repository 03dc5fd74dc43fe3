// The browser finder against real files in a temp folder: real executables (chmod +x), a fake PATH,
// and each OS's branch chosen by the `platform` option. macOS's and Windows' absolute install folders
// are looked up under the temp folder through the `isExecutable` option, which maps the path the
// finder asks about onto it and then checks the real file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BrowserNotFoundError,
  browserMissingMessage,
  findBrowser,
  findOnPath,
  isExecutableFile,
  requireBrowser,
} from './find-browser.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'find-browser-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a file under root; executable unless told otherwise. Returns its real path. */
function put(relative: string, { executable = true } = {}): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, executable ? 0o755 : 0o644);
  return file;
}
const dir = (relative: string) => path.join(root, relative);

/** `/Applications/X` or `C:\Program Files\X`, checked as root/Applications/X or root/C/Program Files/X. */
const underRoot = (file: string) =>
  isExecutableFile(path.join(root, file.replace(/^([A-Za-z]):/, '$1').replaceAll('\\', '/')), 'linux');

describe('findBrowser on Linux', () => {
  it('takes CHROME_PATH first, even when PATH has a browser', () => {
    const chosen = put('custom/my-chrome');
    put('bin/chromium');
    expect(findBrowser({ env: { CHROME_PATH: chosen, PATH: dir('bin') }, platform: 'linux' })).toEqual({
      found: true,
      path: chosen,
      via: 'CHROME_PATH',
    });
  });

  it.each([
    ['does not exist', () => dir('nowhere/chrome')],
    ['is not executable', () => put('custom/chrome', { executable: false })],
    ['is not a file', () => (fs.mkdirSync(dir('a-folder')), dir('a-folder'))],
  ])('says so when CHROME_PATH %s, and does not fall back to PATH', (problem, make) => {
    put('bin/chromium');
    const chromePath = make();
    const lookup = findBrowser({ env: { CHROME_PATH: chromePath, PATH: dir('bin') }, platform: 'linux' });
    expect(lookup.found).toBe(false);
    expect(!lookup.found && lookup.message).toContain(`CHROME_PATH is set to ${chromePath}, which ${problem}`);
  });

  it('searches PATH in order of the names, then of the entries', () => {
    put('first/google-chrome');
    const chromium = put('second/chromium');
    // chromium is preferred over google-chrome whichever PATH entry holds it.
    expect(findBrowser({ env: { PATH: [dir('first'), dir('second')].join(':') }, platform: 'linux' })).toEqual({
      found: true,
      path: chromium,
      via: 'PATH',
    });
    const earlier = put('first/chromium');
    expect(findBrowser({ env: { PATH: [dir('first'), dir('second')].join(':') }, platform: 'linux' })).toMatchObject({
      path: earlier,
    });
  });

  it.each(['chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'])(
    'finds %s on PATH',
    (name) => {
      const file = put(`bin/${name}`);
      expect(findBrowser({ env: { PATH: `/nonexistent:${dir('bin')}` }, platform: 'linux' })).toMatchObject({
        found: true,
        path: file,
      });
    },
  );

  it('skips a non-executable file and a folder of the same name', () => {
    put('a/chromium', { executable: false });
    fs.mkdirSync(dir('b/chromium'), { recursive: true });
    const real = put('c/google-chrome');
    expect(findBrowser({ env: { PATH: ['a', 'b', 'c'].map(dir).join(':') }, platform: 'linux' })).toMatchObject({
      path: real,
    });
  });

  it('never searches the current folder for an empty PATH entry', () => {
    put('chromium');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(findBrowser({ env: { PATH: '::' }, platform: 'linux' }).found).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  it('has no install folders to fall back to: nothing on PATH is nothing found, with the install paragraph', () => {
    const lookup = findBrowser({ env: { PATH: dir('empty'), HOME: root }, platform: 'linux' });
    expect(lookup).toEqual({ found: false, message: browserMissingMessage('linux') });
    expect(() => requireBrowser({ env: { PATH: dir('empty') }, platform: 'linux' })).toThrow(BrowserNotFoundError);
  });
});

describe('findBrowser on macOS', () => {
  it('finds Google Chrome, Chromium or Edge in /Applications', () => {
    put('Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
    put('Applications/Chromium.app/Contents/MacOS/Chromium');
    expect(
      findBrowser({ env: { PATH: dir('empty') }, platform: 'darwin', homedir: '/Users/me', isExecutable: underRoot }),
    ).toEqual({
      found: true,
      path: '/Applications/Chromium.app/Contents/MacOS/Chromium',
      via: 'install folder',
    });
  });

  it('finds an app in ~/Applications (HOME), after /Applications', () => {
    put('Users/me/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const env = { PATH: dir('empty'), HOME: '/Users/me' };
    expect(findBrowser({ env, platform: 'darwin', isExecutable: underRoot })).toMatchObject({
      path: '/Users/me/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    });
    put('Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(findBrowser({ env, platform: 'darwin', isExecutable: underRoot })).toMatchObject({
      path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    });
  });

  it('prefers PATH (a Homebrew chromium) to the install folders', () => {
    put('Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    put('opt/homebrew/bin/chromium');
    expect(
      findBrowser({ env: { PATH: '/opt/homebrew/bin' }, platform: 'darwin', isExecutable: underRoot }),
    ).toMatchObject({ path: '/opt/homebrew/bin/chromium', via: 'PATH' });
  });
});

describe('findBrowser on Windows', () => {
  const programFiles = {
    ProgramFiles: 'C:\\Program Files',
    'ProgramFiles(x86)': 'C:\\Program Files (x86)',
    LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local',
  };

  it.each([
    [
      'Program Files',
      'C/Program Files/Google/Chrome/Application/chrome.exe',
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    ],
    [
      'Program Files (x86)',
      'C/Program Files (x86)/Microsoft/Edge/Application/msedge.exe',
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    ],
    [
      'LocalAppData',
      'C/Users/me/AppData/Local/Chromium/Application/chrome.exe',
      'C:\\Users\\me\\AppData\\Local\\Chromium\\Application\\chrome.exe',
    ],
  ])('finds a browser under %s', (_where, file, expected) => {
    // Windows has no executable bit: a plain file counts.
    put(file, { executable: false });
    const isExecutable = (candidate: string) =>
      isExecutableFile(path.join(root, candidate.replace(/^C:/, 'C').replaceAll('\\', '/')), 'win32');
    expect(findBrowser({ env: { Path: 'C:\\nowhere', ...programFiles }, platform: 'win32', isExecutable })).toEqual({
      found: true,
      path: expected,
      via: 'install folder',
    });
  });

  it('prefers Chrome to Chromium to Edge, whichever folder holds it', () => {
    put('C/Program Files/Microsoft/Edge/Application/msedge.exe');
    put('C/Users/me/AppData/Local/Google/Chrome/Application/chrome.exe');
    expect(findBrowser({ env: programFiles, platform: 'win32', isExecutable: underRoot })).toMatchObject({
      path: 'C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    });
  });

  it('searches Path with PATHEXT, names case-insensitively, quoted entries unquoted', () => {
    put('C/Tools/chromium.EXE');
    const env = { Path: 'C:\\Empty;"C:\\Tools"', PathExt: '.COM;.EXE' };
    expect(findOnPath('chromium', { env, platform: 'win32', isExecutable: underRoot })).toBe('C:\\Tools\\chromium.EXE');
    expect(findBrowser({ env, platform: 'win32', isExecutable: underRoot })).toMatchObject({
      path: 'C:\\Tools\\chromium.EXE',
      via: 'PATH',
    });
    // Without PATHEXT, Windows' default list applies.
    put('C/Tools/msedge.BAT');
    expect(findOnPath('msedge', { env: { PATH: 'C:\\Tools' }, platform: 'win32', isExecutable: underRoot })).toBe(
      'C:\\Tools\\msedge.BAT',
    );
  });

  it('honours CHROME_PATH in any case of its name', () => {
    put('C/Portable/chrome.exe');
    expect(
      findBrowser({ env: { chrome_path: 'C:\\Portable\\chrome.exe' }, platform: 'win32', isExecutable: underRoot }),
    ).toMatchObject({ via: 'CHROME_PATH' });
  });

  it('finds nothing without a browser and says how to install one', () => {
    expect(
      findBrowser({ env: { Path: 'C:\\Empty', ...programFiles }, platform: 'win32', isExecutable: underRoot }),
    ).toEqual({
      found: false,
      message: browserMissingMessage('win32'),
    });
  });
});

describe('the paragraph shown when none is found', () => {
  it('names what is needed, each OS’s install command, and CHROME_PATH', () => {
    const message = browserMissingMessage('linux');
    for (const command of [
      'sudo apt-get install chromium',
      'sudo snap install chromium',
      'sudo dnf install chromium',
      'sudo pacman -S chromium',
      'brew install --cask google-chrome',
      'winget install Google.Chrome',
    ]) {
      expect(message).toContain(command);
    }
    expect(message).toMatch(/CHROME_PATH/);
    expect(message.split('\n').length).toBeLessThanOrEqual(10);
  });
});

describe('the real machine', () => {
  it('finds the browser this suite runs against', () => {
    // The suite's first step (scripts/require-browser.ts) has already required one.
    const lookup = findBrowser();
    expect(lookup.found, lookup.found ? '' : lookup.message).toBe(true);
    expect(lookup.found && isExecutableFile(lookup.path)).toBe(true);
  });
});
