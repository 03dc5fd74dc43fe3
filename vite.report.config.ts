// The HTML experiment report's viewer: a third `vite build`, one self-contained script that
// main/node/experiment-report-file.ts inlines into each `<id>.html` (so the file opens offline):
//   renderer/experiment-report/main.ts -> dist/experiment-report/experiment-report.js (IIFE, CSS inside)
import path from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export const REPORT_VIEWER_FILE = 'experiment-report.js';

export default defineConfig({
  root,
  // One file: no public dir, the stylesheet imported as a string (`?inline`), no code splitting.
  publicDir: false,
  build: {
    outDir: path.join(root, 'dist/experiment-report'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      entry: path.join(root, 'renderer/experiment-report/main.ts'),
      formats: ['iife'],
      name: 'experimentReport',
      fileName: () => REPORT_VIEWER_FILE,
    },
  },
});
