// Packaging checks in `npm test`, offline: electron-builder.yml against electron-builder's own
// schema, and a `--linux dir` build with a stand-in Electron dist (an empty `electron` file), to see
// what app.asar holds: the built main, preloads, UI, tab pages, GPU process and plugin host, only
// runtime dependencies, and the native addon unpacked. The build needs `npm run build` first
// (`npm test` does it); without dist-electron/ that part is skipped.
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../node/find-browser.ts';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const work = mkdtempSync(path.join(tmpdir(), 'lab-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface BuilderConfigModule {
  getConfig(
    projectDir: string,
    configPath: string | null,
    configFromOptions: unknown,
  ): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
}
const builderConfig = require('app-builder-lib/out/util/config/config') as BuilderConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[] };
const builder = require('electron-builder') as typeof import('electron-builder');

const BUNDLES = [
  'dist-electron/main.js',
  'dist-electron/ui-preload.cjs',
  'dist-electron/tab-preload.cjs',
  'dist-electron/gpu-worker.js',
  'dist-electron/plugin-host.js',
  // The lab host and, beside it, the IPC lab's peer process and ring thread (lab-host/built-entries.ts).
  'dist-electron/lab-host.js',
  'dist-electron/lab-ipc-peer.js',
  'dist-electron/lab-ipc-ring-worker.js',
  'dist-electron/lab-ipc-port-worker.js',
  'dist/renderer/index.html',
  'dist/pages/live.html',
];
const built = BUNDLES.every((file) => existsSync(path.join(root, file)));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

if (!built)
  console.warn('[packaging] the --dir build check is skipped: dist-electron/ is missing (npm test builds it first).');

/** The real config, less the fuses: flipping them needs a real Electron binary, not a stand-in. */
async function standInConfig(output: string): Promise<Record<string, unknown>> {
  const electronDist = path.join(work, 'electron-dist');
  mkdirSync(electronDist, { recursive: true });
  writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(path.join(electronDist, 'electron'), 0o755);
  const { electronFuses: _fuses, ...config } = await builderConfig.getConfig(
    root,
    path.join(root, 'electron-builder.yml'),
    null,
  );
  return { ...config, electronDist, directories: { ...(config.directories as object), output } };
}

let unpackedDir: Promise<string> | undefined;
/** `electron-builder --linux dir` once, as `npm run dist:dir` runs it; the folder it made. */
function dirBuild(): Promise<string> {
  unpackedDir ??= (async () => {
    const output = path.join(work, 'out');
    const configFile = path.join(work, 'electron-builder.json');
    writeFileSync(configFile, JSON.stringify(await standInConfig(output)));
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
    return path.join(output, 'linux-unpacked');
  })();
  return unpackedDir;
}

/**
 * Every Linux target electron-builder 26 offers (its schema's list), what each needs beyond Node, and
 * how it fails where that is missing. electron-builder downloads its tools (7-Zip, fpm, the AppImage
 * runtime, the snap template) from GitHub, which these machines cannot reach: each is pointed at a
 * local tool instead (an environment variable electron-builder reads), so a missing one fails at once
 * with a precise error rather than after minutes of download retries.
 */
interface LinuxTarget {
  readonly name: string;
  /** What this machine lacks to build it, or undefined when it has everything. */
  missing(): string | undefined;
  /** Environment for the build; `missing` says whether what it points at is absent. */
  env(missing: boolean): Record<string, string | undefined>;
  readonly config?: Record<string, unknown>;
  /** The error electron-builder stops with when `missing()` is what it says. */
  readonly blockedBy: RegExp;
  /** The artifact's file list, to see the app inside. */
  list(artifact: string): string;
}

const sevenZip = () => ['7zz', '7za', '7z'].map((name) => findOnPath(name)).find(Boolean);
const run = (command: string, args: string[]) =>
  execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const listTar = (artifact: string) => run('tar', ['-tf', artifact]);
const listWith7zip = (artifact: string) => run(sevenZip()!, ['l', artifact]);
const noListing = () => '';

const ARCHIVE_NEEDS =
  '7-Zip: electron-builder downloads its own 7za from GitHub (electron-builder-binaries 7zip@1.0.0) unless ELECTRON_BUILDER_7ZIP_PATH names one; Debian: apt-get install 7zip';
const archive = (name: string, list: (artifact: string) => string): LinuxTarget => ({
  name,
  missing: () => (sevenZip() ? undefined : ARCHIVE_NEEDS),
  env: () => ({ ELECTRON_BUILDER_7ZIP_PATH: sevenZip() ?? path.join(work, 'no-7zip') }),
  blockedBy: /ELECTRON_BUILDER_7ZIP_PATH path does not exist/,
  list,
});

const FPM_NEEDS =
  'fpm: electron-builder downloads fpm 1.17 with Ruby 3.4 from GitHub (electron-builder-binaries fpm@2.1.4) unless USE_SYSTEM_FPM=true finds one on PATH, and Debian 12 has no fpm package (it is a Ruby gem; RubyGems is not reachable here)';
const fpm = (name: string, extra?: { readonly tool: string; readonly why: string }): LinuxTarget => ({
  name,
  missing: () => (!findOnPath('fpm') ? FPM_NEEDS : extra && !findOnPath(extra.tool) ? extra.why : undefined),
  env: () => ({ USE_SYSTEM_FPM: 'true' }),
  blockedBy: extra ? /fpm.*ENOENT|rpmbuild/ : /fpm.*ENOENT/,
  list: noListing,
});

const LINUX_TARGETS: LinuxTarget[] = [
  archive('tar.gz', listTar),
  archive('tar.xz', listTar),
  archive('tar.bz2', listTar),
  archive('zip', listWith7zip),
  archive('7z', listWith7zip),
  {
    // Compressed by the system's lzip; the tar itself is written by electron-builder in Node.
    name: 'tar.lz',
    missing: () => (findOnPath('lzip') ? undefined : 'lzip on PATH; Debian: apt-get install lzip'),
    env: () => ({}),
    blockedBy: /lzip.*ENOENT/,
    list: listTar,
  },
  fpm('deb'),
  fpm('rpm', { tool: 'rpmbuild', why: 'rpmbuild (Debian: apt-get install rpm), besides fpm' }),
  fpm('freebsd'),
  fpm('pacman'),
  fpm('p5p'),
  fpm('apk'),
  {
    name: 'AppImage',
    missing: () =>
      process.env.APPIMAGE_TOOLS_PATH
        ? undefined
        : 'the AppImage runtime and tools: electron-builder downloads them from GitHub (electron-builder-binaries appimage-12.0.1) unless APPIMAGE_TOOLS_PATH names a folder holding mksquashfs, desktop-file-validate, the runtime and its libraries; Debian has mksquashfs (squashfs-tools) and desktop-file-validate (desktop-file-utils) but no AppImage runtime',
    env: (missing) => ({
      APPIMAGE_TOOLS_PATH: missing
        ? (mkdirSync(path.join(work, 'no-appimage-tools'), { recursive: true }), path.join(work, 'no-appimage-tools'))
        : process.env.APPIMAGE_TOOLS_PATH,
    }),
    blockedBy: /AppImage tool \S+ not found/,
    list: noListing,
  },
  {
    // Without the template (a GitHub download), electron-builder runs snapcraft.
    name: 'snap',
    config: { snap: { useTemplateApp: false } },
    missing: () =>
      findOnPath('snapcraft')
        ? undefined
        : 'snapcraft: electron-builder either downloads a snap template from GitHub (electron-builder-binaries) or runs snapcraft, which is itself a snap, not a Debian package, and fetches its base snaps from the Snap Store',
    env: () => ({}),
    blockedBy: /snapcraft/,
    list: noListing,
  },
  {
    name: 'flatpak',
    missing: () =>
      findOnPath('flatpak') && findOnPath('flatpak-builder')
        ? undefined
        : 'flatpak and flatpak-builder (Debian has both) and then the org.freedesktop.Platform runtime and the org.electronjs.Electron2.BaseApp base app, which come from Flathub, not reachable here',
    env: () => ({}),
    blockedBy: /flatpak.*ENOENT/,
    list: noListing,
  },
];

/** Runs `action` with these environment variables set (undefined: unset), then puts them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, action: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await action();
  } finally {
    apply(saved);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('packaging', () => {
  it('electron-builder.yml matches electron-builder’s schema', async () => {
    const config = await builderConfig.getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await builderConfig.validateConfiguration(config, new DebugLogger(false));
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
    // And a misspelt key is caught, so the check is real.
    await expect(
      builderConfig.validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false)),
    ).rejects.toThrow(/configuration/);
  });

  it.skipIf(!built)('a --dir build packs the bundles and only runtime dependencies', { timeout: 120_000 }, async () => {
    const resources = path.join(await dirBuild(), 'resources');
    const packed = asar
      .listPackage(path.join(resources, 'app.asar'), { isPack: false })
      .map((file) => file.replace(/^[\\/]/, '').replaceAll('\\', '/'));
    for (const bundle of BUNDLES) expect(packed, bundle).toContain(bundle);
    // No sources, tests or tools: only the build output, package.json and node_modules.
    expect(new Set(packed.map((file) => file.split('/')[0]))).toEqual(
      new Set(['dist', 'dist-electron', 'node_modules', 'package.json']),
    );

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
    // The packer lays out the runtime tree itself: a runtime package nested in the repository's tree
    // (write-file-atomic's signal-exit 4, where node_modules/signal-exit is a dev tool's 3) can be
    // hoisted in the app. So a packed name counts as runtime when any lock entry of that name is.
    const entriesOf = (name: string) =>
      Object.entries(lock.packages).filter(([where]) => where === name || where.endsWith(`/${name}`));
    const dev = [...packages].filter((name) => {
      const entries = entriesOf(name);
      return entries.length > 0 && entries.every(([, entry]) => entry.dev === true);
    });
    const unknown = [...packages].filter((name) => entriesOf(name).length === 0);
    expect({ dev, unknown }).toEqual({ dev: [], unknown: [] });
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies)) expect(packages, name).toContain(`node_modules/${name}`);
    for (const name of ['electron', 'react', 'vite', 'typescript', 'playwright-core'])
      expect(packages).not.toContain(`node_modules/${name}`);

    // The native addon is a real file outside the asar.
    const unpacked = path.join(resources, 'app.asar.unpacked');
    expect(files(unpacked).some((file) => file.endsWith('.node'))).toBe(true);
  });

  it.skipIf(!built)(
    'builds every Linux target that can be built offline, and says why each other cannot',
    { timeout: 150_000 },
    async () => {
      const prepackaged = await dirBuild();
      const outcomes: string[] = [];
      for (const target of LINUX_TARGETS) {
        const missing = target.missing();
        const output = path.join(work, `target-${target.name}`);
        const config = { ...(await standInConfig(output)), ...target.config, compression: 'store' as const };
        const built = await withEnv(
          { CSC_IDENTITY_AUTO_DISCOVERY: 'false', ...target.env(missing !== undefined) },
          () =>
            withTimeout(
              builder.build({
                projectDir: root,
                targets: builder.Platform.LINUX.createTarget([target.name], builder.Arch.x64),
                prepackaged,
                publish: 'never',
                config,
              }),
              60_000,
            ),
        ).then(
          (artifacts) => ({ artifacts }),
          (error: unknown) => ({ error: String((error as Error).message ?? error) }),
        );
        if (missing === undefined) {
          // Everything it needs is here: it must build, and hold the app.
          expect('error' in built ? built.error : '', target.name).toBe('');
          const artifact =
            'artifacts' in built ? built.artifacts.find((file) => !file.endsWith('.blockmap')) : undefined;
          expect(artifact, target.name).toBeDefined();
          expect(target.list(artifact!), target.name).toMatch(/resources\/app\.asar/);
          outcomes.push(
            `  ${target.name.padEnd(8)} built: ${path.basename(artifact!)} (${Math.round(statSync(artifact!).size / 1024)} KiB)`,
          );
        } else {
          // Reported, not passed: it failed, and for the reason named.
          expect('error' in built, `${target.name} built although ${missing}`).toBe(true);
          expect('error' in built ? built.error : '', target.name).toMatch(target.blockedBy);
          outcomes.push(`  ${target.name.padEnd(8)} cannot be built here: ${missing}`);
        }
      }
      console.log(`[packaging] Linux targets with a stand-in Electron dist, offline:\n${outcomes.join('\n')}`);
    },
  );

  it.skipIf(!built)(
    'the deb target gets past its metadata check (author email, homepage), which fails without them',
    { timeout: 60_000 },
    async () => {
      const prepackaged = await dirBuild();
      const deb = async (extraMetadata?: Record<string, unknown>) => {
        const config = {
          ...(await standInConfig(path.join(work, 'deb-metadata'))),
          ...(extraMetadata && { extraMetadata }),
        };
        // fpm is looked for on PATH (not downloaded) and PATH has none: the build stops right after the check.
        return withEnv(
          { USE_SYSTEM_FPM: 'true', PATH: path.join(work, 'empty-path'), CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
          () =>
            builder.build({
              projectDir: root,
              targets: builder.Platform.LINUX.createTarget(['deb'], builder.Arch.x64),
              prepackaged,
              publish: 'never',
              config,
            }),
        ).then(
          () => 'built',
          (error: unknown) => String((error as Error).message),
        );
      };
      const withMetadata = await deb();
      expect(withMetadata).toMatch(/fpm.*ENOENT/);
      expect(withMetadata).not.toMatch(/homepage|author/i);
      // The control: package.json without them fails the check itself.
      expect(await deb({ author: null, homepage: null })).toMatch(/Please specify project homepage[\s\S]*author/i);
    },
  );
});
