import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.mjs';

describe('findElectronBinary', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'electron-binary-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function writeFile(file: string, text = '') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  const packageDir = () => path.join(root, 'node_modules', 'electron');

  it('returns null when the electron package is absent', () => {
    expect(findElectronBinary(root, { env: {} })).toBeNull();
  });

  it('returns null when path.txt names a binary that was never downloaded', () => {
    // What this machine has: the package without dist/.
    writeFile(path.join(packageDir(), 'index.js'));
    writeFile(path.join(packageDir(), 'path.txt'), 'electron');
    expect(findElectronBinary(root, { env: {} })).toBeNull();
  });

  it('finds node_modules/electron/dist/<path.txt>', () => {
    writeFile(path.join(packageDir(), 'path.txt'), 'electron');
    writeFile(path.join(packageDir(), 'dist', 'electron'), '#!/bin/sh\n');
    expect(findElectronBinary(root, { env: {} })).toBe(path.join(packageDir(), 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, with path.txt or the platform default', () => {
    const dist = path.join(root, 'custom-dist');
    writeFile(path.join(dist, 'electron'), '#!/bin/sh\n');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: dist };
    expect(findElectronBinary(root, { env, platform: 'linux' })).toBe(path.join(dist, 'electron'));

    writeFile(path.join(packageDir(), 'path.txt'), 'electron');
    expect(findElectronBinary(root, { env })).toBe(path.join(dist, 'electron'));
  });

  it('uses only the override when it is set, even if dist/ has a binary', () => {
    writeFile(path.join(packageDir(), 'path.txt'), 'electron');
    writeFile(path.join(packageDir(), 'dist', 'electron'), '#!/bin/sh\n');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'empty') };
    expect(findElectronBinary(root, { env })).toBeNull();
  });
});
