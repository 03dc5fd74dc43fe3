// The GitHub workflow runs the Electron e2e project, so its Node must be one electron and
// @electron/get (which fetches the binary) accept. `node:<major>-bookworm` floats to the newest
// release of that major, so its major must be at least the one they require.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The lowest major a `>= x.y.z` engines range accepts. */
function minimumMajor(range: string): number {
  const match = /^>=\s*(\d+)\.\d+\.\d+$/.exec(range.trim());
  if (!match) throw new Error(`Unexpected engines range "${range}"`);
  return Number(match[1]);
}

describe('.github/workflows/ci.yml', () => {
  it('runs in a Node container whose major electron and @electron/get accept', () => {
    const workflow = readFileSync(path.join(root, '.github/workflows/ci.yml'), 'utf8');
    const containers = [...workflow.matchAll(/container:\s*node:(\d+)-/g)].map((match) => Number(match[1]));
    expect(containers.length).toBeGreaterThan(0);
    for (const name of ['electron', '@electron/get']) {
      const manifest = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
        engines: { node: string };
      };
      for (const major of containers)
        expect(major, `${name} needs Node ${manifest.engines.node}`).toBeGreaterThanOrEqual(
          minimumMajor(manifest.engines.node),
        );
    }
    // No setup-node step overriding the container's Node.
    expect(workflow).not.toMatch(/actions\/setup-node/);
  });
});
