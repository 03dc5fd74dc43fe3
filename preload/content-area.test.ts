import { describe, expect, it } from 'vitest';
import { contentAreaReport, overlaps } from './content-area.ts';

const content = { x: 0, y: 84, width: 1280, height: 700 };

describe('the content area the UI reports', () => {
  it('is covered while a popup reaches into it, and not by one above it or just touching it', () => {
    const toursMenu = { x: 880, y: 60, width: 380, height: 320 }; // drops from the toolbar into the content
    const omniboxError = { x: 200, y: 70, width: 600, height: 14 }; // ends where the content starts
    expect(contentAreaReport(content, [toursMenu])).toEqual({ ...content, covered: true });
    expect(contentAreaReport(content, [omniboxError])).toEqual({ ...content, covered: false });
    expect(contentAreaReport(content, [])).toEqual({ ...content, covered: false });
    expect(contentAreaReport(content, [omniboxError, toursMenu]).covered).toBe(true);
  });

  it('ignores empty rects (a popup not laid out yet)', () => {
    expect(overlaps({ x: 10, y: 100, width: 0, height: 50 }, content)).toBe(false);
    expect(overlaps({ x: 10, y: 100, width: 50, height: 50 }, content)).toBe(true);
  });
});
