// Packaging checks in `npm test`, offline: electron-builder.yml against electron-builder's own
// schema, and a `--linux dir` build with a stand-in Electron dist (an empty `electron` file), to see
// what app.asar holds: the built main, preloads, UI, tab pages, GPU process and plugin host, only
// runtime dependencies, and the native addon unpacked. The build needs `npm run build` first
// (`npm test` does it); without dist-electron/ that part is skipped.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const work = mkdtempSync(path.join(tmpdir(), 'lab-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface BuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
}
const builderConfig = require('app-builder-lib/out/util/config/config') as BuilderConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[] };

const BUNDLES = [
  'dist-electron/main.js',
  'dist-electron/ui-preload.cjs',
  'dist-electron/tab-preload.cjs',
  'dist-electron/gpu-worker.js',
  'dist-electron/plugin-host.js',
  'dist/renderer/index.html',
  'dist/pages/live.html',
];
const built = BUNDLES.every((file) => existsSync(path.join(root, file)));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

if (!built) console.warn('[packaging] the --dir build check is skipped: dist-electron/ is missing (npm test builds it first).');

describe('packaging', () => {
  it('electron-builder.yml matches electron-builder’s schema', async () => {
    const config = await builderConfig.getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await builderConfig.validateConfiguration(config, new DebugLogger(false));
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
    // And a misspelt key is caught, so the check is real.
    await expect(builderConfig.validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it.skipIf(!built)('a --dir build packs the bundles and only runtime dependencies', { timeout: 120_000 }, async () => {
    const electronDist = path.join(work, 'electron-dist');
    mkdirSync(electronDist, { recursive: true });
    writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(path.join(electronDist, 'electron'), 0o755);
    const output = path.join(work, 'out');
    // The real config, less the fuses: flipping them needs a real Electron binary, not a stand-in.
    const { electronFuses: _fuses, ...config } = await builderConfig.getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const configFile = path.join(work, 'electron-builder.json');
    writeFileSync(configFile, JSON.stringify({ ...config, electronDist, directories: { ...(config.directories as object), output } }));
    await promisify(execFile)(
      process.execPath,
      [
        path.join(root, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--publish',
        'never',
        '--config',
        configFile,
      ],
      { cwd: root, timeout: 110_000, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
    );
    const resources = path.join(output, 'linux-unpacked/resources');
    const packed = asar.listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((file) => file.replace(/^[\\/]/, '').replaceAll('\\', '/'));
    for (const bundle of BUNDLES) expect(packed, bundle).toContain(bundle);
    // No sources, tests or tools: only the build output, package.json and node_modules.
    expect(new Set(packed.map((file) => file.split('/')[0]))).toEqual(new Set(['dist', 'dist-electron', 'node_modules', 'package.json']));

    // Every packed package is a runtime dependency (not dev) in the lock file.
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const packages = new Set(
      packed
        .filter((file) => file.startsWith('node_modules/'))
        .map((file) => {
          const parts = file.split('/');
          return parts[1]?.startsWith('@') ? parts.slice(0, 3) : parts.slice(0, 2);
        })
        // A scope's own folder (node_modules/@napi-rs) is no package.
        .filter((parts) => parts.length === (parts[1]?.startsWith('@') ? 3 : 2))
        .map((parts) => parts.join('/')),
    );
    const dev = [...packages].filter((name) => lock.packages[name]?.dev === true);
    const unknown = [...packages].filter((name) => !(name in lock.packages));
    expect({ dev, unknown }).toEqual({ dev: [], unknown: [] });
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) expect(packages, name).toContain(`node_modules/${name}`);
    for (const name of ['electron', 'react', 'vite', 'typescript', 'playwright-core']) expect(packages).not.toContain(`node_modules/${name}`);

    // The native addon is a real file outside the asar.
    const unpacked = path.join(resources, 'app.asar.unpacked');
    expect(files(unpacked).some((file) => file.endsWith('.node'))).toBe(true);
  });
});
