import { describe, expect, it } from 'vitest';
import { resolveUrl } from './urls.ts';

describe('resolveUrl', () => {
  it("keeps a built-in page's query for the page (lab://bad-message?send=1)", () => {
    expect(resolveUrl('lab://bad-message?send=1', { typed: false })).toMatchObject({
      kind: 'page',
      url: 'lab://bad-message?send=1',
    });
    expect(() => resolveUrl('lab://nope?send=1', { typed: false })).toThrow(/no built-in page "nope"/);
  });
  it('resolves built-in pages, with same-site pages sharing a site', () => {
    expect(resolveUrl('lab://live', { typed: true })).toEqual({
      kind: 'page',
      url: 'lab://live',
      site: 'live',
      title: 'Live page',
    });
    expect(
      resolveUrl('lab://same-site-a', { typed: false }).kind === 'page' &&
        resolveUrl('lab://same-site-a', { typed: false }),
    ).toMatchObject({ site: 'pair' });
    expect(resolveUrl('LAB://Same-Site-B/', { typed: false })).toMatchObject({
      url: 'lab://same-site-b',
      site: 'pair',
    });
  });

  it("resolves the lab index and the IPC lab, each its own site (a lab's site is what gets it a lab channel)", () => {
    expect(resolveUrl('lab://labs', { typed: true })).toEqual({
      kind: 'page',
      url: 'lab://labs',
      site: 'labs',
      title: 'Labs',
    });
    expect(resolveUrl('lab://ipc', { typed: false })).toEqual({
      kind: 'page',
      url: 'lab://ipc',
      site: 'ipc',
      title: 'IPC lab',
    });
  });

  it('honours debug URLs only when typed', () => {
    expect(resolveUrl('chrome://crash', { typed: true })).toEqual({ kind: 'debug', action: 'crash' });
    expect(resolveUrl(' chrome://GPUHANG ', { typed: true })).toEqual({ kind: 'debug', action: 'gpuhang' });
    expect(resolveUrl('chrome://labhang', { typed: true })).toEqual({ kind: 'debug', action: 'labhang' });
    expect(() => resolveUrl('chrome://crash', { typed: false })).toThrow(
      'chrome://crash can only be typed in the omnibox',
    );
  });

  it('gives web URLs a site from their registrable domain, and bare hosts https', () => {
    expect(resolveUrl('https://news.example.com/a?b', { typed: true })).toMatchObject({
      site: 'https-example-com',
      url: 'https://news.example.com/a?b',
    });
    expect(resolveUrl('example.org', { typed: true })).toMatchObject({
      url: 'https://example.org/',
      site: 'https-example-org',
    });
    expect(resolveUrl('http://127.0.0.1:8080/x', { typed: true })).toMatchObject({ site: 'http-127-0-0-1' });
  });

  it('opens a written experiment report by id, its JSON too, and nothing that is not an id', () => {
    expect(resolveUrl('lab://reports/tab-crash-20261203-1a2b', { typed: false })).toEqual({
      kind: 'page',
      url: 'lab://reports/tab-crash-20261203-1a2b',
      site: 'reports',
      title: 'Experiment report',
    });
    expect(resolveUrl('LAB://Reports/Run.7.json', { typed: true })).toMatchObject({ url: 'lab://reports/Run.7.json' });
    for (const bad of ['../index', '..', 'a/b', '%2e%2e', '.hidden', 'x.html'])
      expect(() => resolveUrl(`lab://reports/${bad}`, { typed: true }), bad).toThrow(/not an experiment report's id/);
  });

  it('refuses everything else with a clear error', () => {
    expect(() => resolveUrl('lab://nope', { typed: true })).toThrow(
      /There is no built-in page "nope"; the pages are lab:\/\/live, /,
    );
    expect(() => resolveUrl('file:///etc/passwd', { typed: true })).toThrow(
      'file: URLs are not allowed; use http(s):// or lab://',
    );
    expect(() => resolveUrl('javascript:alert(1)', { typed: true })).toThrow('javascript: URLs are not allowed');
    expect(() => resolveUrl('chrome://settings', { typed: true })).toThrow('chrome: URLs are not allowed');
    expect(() => resolveUrl('http://', { typed: true })).toThrow('is not a URL');
  });
});
