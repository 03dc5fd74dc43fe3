// The built-in tab pages (lab://live, lab://plugins, ...): a second `vite build`, apart from the
// browser UI's (vite.config.ts), because they are served differently. The shell serves a tab page at
// `http://<site>.localhost:<port>/<page>`, so:
//   renderer/pages/<page>.html -> dist/pages/<page>.html          (one per BUILT_IN_PAGES entry)
//   their scripts and styles   -> dist/pages/pages-assets/<name>-<hash>.{js,css} (the shared chunk:
//                                 tab-runtime-<hash>.js; the stylesheet: page-<hash>.css)
// referenced by absolute URLs (`/pages-assets/...`, base '/'), which resolve from any page path and
// never collide with the UI's own assets. Each page imports renderer/tab-runtime/ first.
import { readFileSync } from 'node:fs';
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

/** The attributes a page's first line gives its frame: `<!-- lab:page title="..." mark="..." accent="#..." -->`. */
const PAGE_FRAME = /^<!-- lab:page((?: [a-z]+="[^"]*")+) -->\n/;
const PAGE_CONTENT = '<!-- lab:page-content -->\n';
/** `<!-- lab:include shared/x.html name="value" -->`: a fragment two pages share, its `{{name}}`s filled in. */
const INCLUDE = /^( *)<!-- lab:include (\S+)((?: [a-z]+="[^"]*")*) -->$/gm;

function attributes(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/ ([a-z]+)="([^"]*)"/g)].map(([, name, value]) => [name!, value!]));
}

const indent = (text: string, spaces: string): string => text.replace(/^(?=.)/gm, spaces);

/**
 * The frame every built-in page shares, written once: the head (CSP, viewport, stylesheet), the header
 * (mark, title, where it is served) and the runtime status line. A page's file holds only what is its
 * own: a `lab:page` line, its lede, `lab:page-content`, then its content.
 */
export function sharedPageFrame(): Plugin {
  const head = [
    '<meta charset="utf-8" />',
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}" />`,
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<link rel="icon" href="data:," />',
    '<link rel="stylesheet" href="./shared/page.css" />',
  ].join('\n    ');
  return {
    name: 'lab-shared-page-frame',
    transformIndexHtml: {
      // Before Vite collects the page's assets, so the script and stylesheet are bundled like any other.
      order: 'pre',
      handler(html, { filename }) {
        const frame = PAGE_FRAME.exec(html);
        const contentAt = html.indexOf(PAGE_CONTENT);
        if (!frame || contentAt < 0)
          throw new Error(`${filename} lacks its <!-- lab:page ... --> or <!-- lab:page-content --> line`);
        const { title, mark, accent } = attributes(frame[1]!);
        if (!title || !mark || !accent) throw new Error(`${filename}: <!-- lab:page --> needs title, mark and accent`);
        const page = path.basename(filename, '.html');
        const lede = html.slice(frame[0].length, contentAt).trimEnd();
        const content = html
          .slice(contentAt + PAGE_CONTENT.length)
          .replace(INCLUDE, (_, spaces: string, file: string, values: string) => {
            const fragment = readFileSync(path.join(pagesRoot, file), 'utf8');
            const filled = Object.entries(attributes(values)).reduce(
              (text, [name, value]) => text.replaceAll(`{{${name}}}`, value),
              fragment,
            );
            return indent(filled, spaces).trimEnd();
          });
        return `<!doctype html>
<html lang="en" style="--accent: ${accent}">
  <head>
    ${head}
    <title>${title}</title>
    <script type="module" src="./${page}.ts"></script>
  </head>
  <body>
    <main class="page">
      <header class="page-header">
        <div class="mark" aria-hidden="true">${mark}</div>
        <div>
          <h1>${title}</h1>
${indent(lede, '          ')}
        </div>
        <div class="where">lab://${page}<br /><b data-where></b></div>
      </header>
${indent(content, '      ')}      <p class="runtime-status"></p>
    </main>
  </body>
</html>
`;
      },
    },
  };
}

export default defineConfig({
  root: pagesRoot,
  base: '/',
  publicDir: false,
  plugins: [sharedPageFrame()],
  build: {
    outDir: path.join(root, 'dist/pages'),
    emptyOutDir: true,
    assetsDir: PAGES_ASSETS_DIR,
    sourcemap: true,
    // Chromium only: native modulepreload, no polyfill.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // Every built-in page the core knows of; a page without its HTML fails the build.
      input: Object.fromEntries(
        Object.keys(BUILT_IN_PAGES).map((page) => [page, path.join(pagesRoot, `${page}.html`)]),
      ),
      output: {
        // The chunk every page shares is the tab runtime (and the protocol): name it so.
        chunkFileNames: (chunk) =>
          `${PAGES_ASSETS_DIR}/${chunk.moduleIds.some((id) => id.includes('/renderer/tab-runtime/')) ? 'tab-runtime' : '[name]'}-[hash].js`,
      },
    },
  },
});
