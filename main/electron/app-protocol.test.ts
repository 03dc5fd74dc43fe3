import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_CSP } from '../node/experiment-reports.ts';
import {
  appFile,
  appResponse,
  appToLabUrl,
  labToAppUrl,
  PAGE_CSP,
  SPARE_DOCUMENT_URL,
  resolveInside,
  UI_CSP,
} from './app-protocol.ts';

const roots = { ui: path.resolve('/app/dist/renderer'), pages: path.resolve('/app/dist/pages') };

describe('lab-app: protocol', () => {
  it('serves files inside the roots with a CSP', () => {
    expect(appFile('lab-app://ui/', roots)).toEqual({ file: path.join(roots.ui, 'index.html'), csp: UI_CSP });
    expect(appFile('lab-app://ui/assets/a.js', roots)?.file).toBe(path.join(roots.ui, 'assets/a.js'));
    expect(appFile('lab-app://pages/live', roots)).toEqual({
      file: path.join(roots.pages, 'live.html'),
      csp: PAGE_CSP,
    });
  });

  it('refuses paths that leave the root', () => {
    for (const bad of [
      '/../secret',
      '/%2e%2e/secret',
      '/..%2fsecret',
      '/%2e%2e%2f%2e%2e/etc/passwd',
      '/',
      '/%00',
      '/%E0%A4%A',
    ]) {
      expect(resolveInside(roots.pages, bad), bad).toBeUndefined();
    }
    expect(appFile('lab-app://pages/..%2f..%2fetc%2fpasswd', roots)).toBeUndefined();
    expect(appFile('lab-app://other/index.html', roots)).toBeUndefined();
    expect(appFile('file:///etc/passwd', roots)).toBeUndefined();
  });

  it('maps lab:// pages to lab-app://pages and back', () => {
    expect(labToAppUrl('lab://live?x=1')).toBe('lab-app://pages/live?x=1');
    expect(appToLabUrl('lab-app://pages/live?x=1')).toBe('lab://live?x=1');
    expect(labToAppUrl('https://example.com/')).toBe('https://example.com/');
  });
});

describe('lab-app: responses', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-app-'));
  const files = { ui: path.join(dir, 'renderer'), pages: path.join(dir, 'pages'), reports: path.join(dir, 'reports') };
  mkdirSync(files.ui);
  mkdirSync(files.reports);
  writeFileSync(path.join(files.reports, 'run-1.html'), '<title>report</title><script>1</script>');
  writeFileSync(path.join(files.reports, 'run-1.json'), '{"id":"run-1"}');
  writeFileSync(path.join(files.reports, 'notes.txt'), 'not a report');
  writeFileSync(path.join(dir, 'secret.html'), 'secret');
  mkdirSync(path.join(files.pages, 'folder.html'), { recursive: true });
  writeFileSync(path.join(files.pages, 'live.html'), '<title>live</title>');
  /** What net.fetch does for a file: URL, in plain Node (whose fetch has no file: scheme). */
  const readFile = async (url: string) =>
    new Response(readFileSync(fileURLToPath(url)), { headers: { 'content-type': 'text/html' } });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a file with its CSP', async () => {
    const response = await appResponse({ method: 'GET', url: 'lab-app://pages/live' }, files, readFile);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(await response.text()).toBe('<title>live</title>');
  });

  it('answers a missing file, a folder and a path outside the roots with 404, never a rejection', async () => {
    for (const url of [
      'lab-app://pages/nope',
      'lab-app://pages/folder',
      'lab-app://pages/..%2f..%2fetc%2fpasswd',
      'lab-app://ui/missing.js',
    ]) {
      const response = await appResponse({ method: 'GET', url }, files, readFile);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy'), url).toBeTruthy();
    }
    expect(await (await appResponse({ method: 'GET', url: 'lab-app://pages/nope' }, files, readFile)).text()).toBe(
      'There is no page lab://nope',
    );
  });

  it('serves a written report by id, with a CSP that lets its inline script run', async () => {
    const response = await appResponse({ method: 'GET', url: labToAppUrl('lab://reports/run-1') }, files, readFile);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(REPORT_CSP);
    expect(REPORT_CSP).toContain("script-src 'unsafe-inline'");
    expect(await response.text()).toBe('<title>report</title><script>1</script>');
    expect(appFile('lab-app://pages/reports/run-1.json', files)?.file).toBe(path.join(files.reports, 'run-1.json'));
    // Not under the UI's host, and not at all without a reports folder.
    expect(appFile('lab-app://ui/reports/run-1', files)?.file).not.toBe(path.join(files.reports, 'run-1.html'));
    expect(appFile('lab-app://pages/reports/run-1', { ui: files.ui, pages: files.pages })).toBeUndefined();
  });

  it('serves nothing but report files from the reports folder: no path leaves it', async () => {
    for (const bad of [
      'lab-app://pages/reports/../secret',
      'lab-app://pages/reports/%2e%2e/secret',
      'lab-app://pages/reports/..%2fsecret',
      'lab-app://pages/reports/%2e%2e%2fsecret',
      'lab-app://pages/reports/..%5csecret',
      'lab-app://pages/reports/notes.txt',
      'lab-app://pages/reports/notes',
      'lab-app://pages/reports/.run-1',
      'lab-app://pages/reports/',
      'lab-app://pages/reports/run-1%00',
      'lab-app://pages/reports/run-2',
    ]) {
      const response = await appResponse({ method: 'GET', url: bad }, files, readFile);
      expect(response.status, bad).toBe(404);
      expect(await response.text(), bad).toMatch(/^There is no page/);
    }
  });

  it("serves the spare renderer's blank page of the tab origin, with the pages' CSP and no script", async () => {
    const response = await appResponse({ method: 'GET', url: SPARE_DOCUMENT_URL }, files, readFile);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(SPARE_DOCUMENT_URL.startsWith('lab-app://pages/')).toBe(true);
    expect(await response.text()).not.toContain('<script');
  });

  it('answers a read that fails with 500 and other methods with 405', async () => {
    const failing = () => Promise.reject(new Error('net::ERR_ACCESS_DENIED'));
    const broken = await appResponse({ method: 'GET', url: 'lab-app://pages/live' }, files, failing);
    expect(broken.status).toBe(500);
    expect(await broken.text()).toContain('net::ERR_ACCESS_DENIED');
    expect((await appResponse({ method: 'POST', url: 'lab-app://pages/live' }, files, readFile)).status).toBe(405);
  });
});
