/**
 * Schemas are zod 4, chosen by measurement (protocol/README.md, "Choosing the schema library"):
 * fastest on this app's real payloads (display lists: discriminated unions), exact first-error paths
 * in microseconds, and an eval-free mode for pages whose CSP forbids code generation.
 * Imported as a namespace: `import { z }` pulls every locale into a page bundle.
 */
import * as z from 'zod';

export { z };

/** Any schema a message may be declared with. */
export type Schema = z.ZodType;
export type Infer<S extends Schema> = z.infer<S>;

/** An object that rejects unknown keys, like a mojom struct: an extra field is a bad message. */
export const Struct = z.strictObject;

/** Binary data (pixels, images): a Uint8Array of at most `maxBytes`. */
export function Bytes(maxBytes: number) {
  return z
    .instanceof(Uint8Array)
    .refine((value) => value.byteLength <= maxBytes, `must be at most ${maxBytes} bytes`);
}

export interface Checker {
  /** True when `value` matches the schema. */
  check(value: unknown): boolean;
  /** Why `value` does not match, for bad-message reports. Only called after `check` failed. */
  explain(value: unknown): string;
}

export function compileChecker(schema: Schema): Checker {
  return {
    check: (value) => schema.safeParse(value).success,
    explain(value) {
      const result = schema.safeParse(value);
      const issue = result.error?.issues[0];
      if (!issue) return 'does not match its schema';
      return `/${issue.path.map(String).join('/')} ${issue.message}`;
    },
  };
}
