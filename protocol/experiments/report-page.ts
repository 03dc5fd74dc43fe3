/**
 * How a report travels inside its HTML page: the writer (main/node/experiment-report-file.ts) and the
 * viewer (renderer/experiment-report/main.ts) agree here on where it sits and how it is escaped.
 */

/** The `<script type="application/json">` element holding the report. */
export const REPORT_DATA_ID = 'report-data';
/** The element the viewer draws into. */
export const REPORT_ROOT_ID = 'report';

/**
 * JSON that is safe inside a `<script type="application/json">`: `<` is written `\u003c`, so no
 * `</script` (any case) or `<!--` can end or bend the element; U+2028/2029 escaped too. JSON.parse
 * of the text gives back the same value.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
