import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFile, appToLabUrl, labToAppUrl, PAGE_CSP, resolveInside, UI_CSP } from './app-protocol.ts';

const roots = { ui: path.resolve('/app/dist/renderer'), pages: path.resolve('/app/dist/pages') };

describe('lab-app: protocol', () => {
  it('serves files inside the roots with a CSP', () => {
    expect(appFile('lab-app://ui/', roots)).toEqual({ file: path.join(roots.ui, 'index.html'), csp: UI_CSP });
    expect(appFile('lab-app://ui/assets/a.js', roots)?.file).toBe(path.join(roots.ui, 'assets/a.js'));
    expect(appFile('lab-app://pages/live', roots)).toEqual({ file: path.join(roots.pages, 'live.html'), csp: PAGE_CSP });
  });

  it('refuses paths that leave the root', () => {
    for (const bad of ['/../secret', '/%2e%2e/secret', '/..%2fsecret', '/%2e%2e%2f%2e%2e/etc/passwd', '/', '/%00', '/%E0%A4%A']) {
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
