// The built-in tab pages (lab://live, lab://plugins, ...): a second `vite build`, apart from the
// browser UI's (vite.config.ts), because they are served differently. The shell serves a tab page at
// `http://<site>.localhost:<port>/<page>`, so:
//   renderer/pages/<page>.html -> dist/pages/<page>.html          (one per BUILT_IN_PAGES entry)
//   their scripts and styles   -> dist/pages/pages-assets/<name>-<hash>.{js,css} (the shared chunk:
//                                 tab-runtime-<hash>.js; the stylesheet: page-<hash>.css)
// referenced by absolute URLs (`/pages-assets/...`, base '/'), which resolve from any page path and
// never collide with the UI's own assets. Each page imports renderer/tab-runtime/ first.
import path from 'node:path';
import { defineConfig } from 'vite';
import { BUILT_IN_PAGES } from './main/core/urls.ts';

const root = import.meta.dirname;
const pagesRoot = path.join(root, 'renderer/pages');

export const PAGES_ASSETS_DIR = 'pages-assets';

export default defineConfig({
  root: pagesRoot,
  base: '/',
  publicDir: false,
  build: {
    outDir: path.join(root, 'dist/pages'),
    emptyOutDir: true,
    assetsDir: PAGES_ASSETS_DIR,
    sourcemap: true,
    // Chromium only: native modulepreload, no polyfill.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // Every built-in page the core knows of; a page without its HTML fails the build.
      input: Object.fromEntries(Object.keys(BUILT_IN_PAGES).map((page) => [page, path.join(pagesRoot, `${page}.html`)])),
      output: {
        // The chunk every page shares is the tab runtime (and the protocol): name it so.
        chunkFileNames: (chunk) =>
          `${PAGES_ASSETS_DIR}/${chunk.moduleIds.some((id) => id.includes('/renderer/tab-runtime/')) ? 'tab-runtime' : '[name]'}-[hash].js`,
      },
    },
  },
});
