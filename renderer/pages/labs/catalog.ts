/**
 * The labs, in the order the index and the browser UI's Labs menu list them. A lab that is
 * `available` has a built-in page (`lab://<id>`); a `coming` one says what it will show. Its texts
 * are `labs:labs.<id>.*` (title, summary, points).
 */
export interface LabEntry {
  readonly id: 'ipc' | 'threads' | 'deadlock';
  readonly status: 'available' | 'coming';
  /** The built-in page's URL (lab://<id>) when available. */
  readonly url?: string;
}

export const LABS: readonly LabEntry[] = [
  { id: 'ipc', status: 'available', url: 'lab://ipc' },
  { id: 'threads', status: 'available', url: 'lab://threads' },
  { id: 'deadlock', status: 'available', url: 'lab://deadlock' },
];

/**
 * What a link on a lab page points at: the page relative to this one. Every lab page is one site
 * (`labs`), so `ipc` resolves to the same origin in both shells (Chromium: http://labs.localhost:<port>/ipc,
 * Electron: lab-app://pages/ipc) and the tab moves there like any link.
 */
export function pageHref(url: string): string {
  const page = /^lab:\/\/([a-z0-9-]+)$/.exec(url);
  if (!page) throw new Error(`${url} is not a built-in page`);
  return page[1]!;
}
