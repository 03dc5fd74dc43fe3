// Unit tests run in plain Node. Kept apart from vite.config.ts on purpose: that one carries
// vite-plugin-electron, whose dev-server hooks would try to start Electron.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', 'dist/**', 'dist-electron/**', 'release/**', 'e2e/**', 'test-results/**'],
    testTimeout: 20_000,
    globalSetup: ['./vitest.global-setup.ts'],
    // MaxListenersExceededWarning or an unhandled rejection fails the test (vitest.setup.ts).
    setupFiles: ['./vitest.setup.ts'],
  },
});
