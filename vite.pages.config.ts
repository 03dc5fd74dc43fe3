// The built-in tab pages (lab://live, lab://plugins, ...): a second `vite build`, apart from the
// browser UI's (vite.config.ts), because they are served differently. The shell serves a tab page at
// `http://<site>.localhost:<port>/<page>`, so:
//   renderer/pages/<page>.html -> dist/pages/<page>.html          (one per BUILT_IN_PAGES entry)
//   their scripts and styles   -> dist/pages/pages-assets/<name>-<hash>.{js,css} (the shared chunk:
//                                 tab-runtime-<hash>.js; the stylesheet: page-<hash>.css)
// referenced by absolute URLs (`/pages-assets/...`, base '/'), which resolve from any page path and
// never collide with the UI's own assets. Each page imports renderer/tab-runtime/ first.
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { BUILT_IN_PAGES } from './main/core/urls.ts';

const root = import.meta.dirname;
const pagesRoot = path.join(root, 'renderer/pages');

export const PAGES_ASSETS_DIR = 'pages-assets';

/**
 * Every page's policy: its own scripts only (no eval: the tab runtime validates with TypeBox's
 * interpreter), and WebSockets to loopback only (the brokered GPU and plugin host channels).
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src ws://127.0.0.1:*";

/** The head every built-in page shares, written once: each page says `<!-- lab:page-head -->`. */
export function sharedPageHead(): Plugin {
  const head = [
    '<meta charset="utf-8" />',
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}" />`,
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<link rel="icon" href="data:," />',
    '<link rel="stylesheet" href="./shared/page.css" />',
  ].join('\n    ');
  return {
    name: 'lab-shared-page-head',
    transformIndexHtml: {
      // Before Vite collects the page's assets, so the stylesheet is bundled like any other.
      order: 'pre',
      handler(html, { filename }) {
        if (!html.includes('<!-- lab:page-head -->')) throw new Error(`${filename} lacks <!-- lab:page-head -->`);
        return html.replace('<!-- lab:page-head -->', head);
      },
    },
  };
}

export default defineConfig({
  root: pagesRoot,
  base: '/',
  publicDir: false,
  plugins: [sharedPageHead()],
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
