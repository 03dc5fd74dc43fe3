// A report inside its HTML page: the embedded JSON parses back to the same value and can never end
// or bend its <script> element, whatever the strings in it hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonForScriptElement } from './report-page.ts';

describe('jsonForScriptElement', () => {
  it('parses back to the same value and holds no "<" at all', () => {
    const markupish = fc.oneof(
      fc.string(),
      fc.constantFrom('</script>', '</SCRIPT >', '<!--', '-->', '<script>', '\u2028\u2029', '</scr' + 'ipt'),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(markupish), (value, strings) => {
        const embedded = { value, strings };
        const text = jsonForScriptElement(embedded);
        expect(text).not.toContain('<');
        expect(text).not.toMatch(/[\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(embedded)));
      }),
      { numRuns: 500 },
    );
  });
});
