/**
 * Where the Chromium shell loads a tab's page: a built-in page on its own `<site>.localhost` host,
 * so that Chromium's site isolation gives each site instance its own renderer process.
 */
import type { SiteInstance } from '../core/tab-host.ts';

/** Maps the core's URLs to iframe `src`s and back. */
export interface TabUrls {
  /** The iframe `src` that shows `url` in site instance `site`. */
  toFrame(url: string, site: SiteInstance): string;
  /** The URL to report for a frame that committed `frameUrl`. */
  fromFrame(frameUrl: string): string;
}

const SITE_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `lab://<page>` is served by the shell as `http://<site>.localhost:<port>/<page>`. Other URLs load
 * as they are, so their process is whatever Chromium's site isolation gives their real site.
 */
export function localhostTabUrls(port: number): TabUrls {
  return {
    toFrame(url, site) {
      if (!SITE_LABEL.test(site)) throw new Error(`"${site}" is not a DNS label`);
      const page = /^lab:\/\/(.*)$/i.exec(url);
      return page ? `http://${site}.localhost:${port}/${page[1]}` : url;
    },
    fromFrame(frameUrl) {
      const url = URL.parse(frameUrl);
      if (!url || !url.hostname.endsWith('.localhost') || url.port !== String(port)) return frameUrl;
      return `lab://${url.pathname.slice(1)}${url.search}${url.hash}`;
    },
  };
}
