import { expect, it } from 'vitest';
import { localhostTabUrls } from './tab-urls.ts';

const urls = localhostTabUrls(4321);

it("serves a built-in page on its site instance's own localhost host, and maps the frame's URL back", () => {
  const frame = urls.toFrame('lab://live?n=1#top', 'site-news');
  expect(frame).toBe('http://site-news.localhost:4321/live?n=1#top');
  expect(urls.fromFrame(frame)).toBe('lab://live?n=1#top');
});

it('loads other URLs as they are, and reports frames of other hosts or ports as they are', () => {
  expect(urls.toFrame('https://example.com/a', 'tab-3')).toBe('https://example.com/a');
  expect(urls.fromFrame('https://example.com/a')).toBe('https://example.com/a');
  expect(urls.fromFrame('http://tab-3.localhost:9999/live')).toBe('http://tab-3.localhost:9999/live');
});

it('refuses a site instance that is not a DNS label', () => {
  for (const site of ['', 'Tab_3', '-tab', 'a.b', 'x'.repeat(64)])
    expect(() => urls.toFrame('lab://live', site)).toThrow(/not a DNS label/);
});
