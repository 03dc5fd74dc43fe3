/**
 * Message schemas: TypeBox, compiled to check-only validators (chosen by measurement; see
 * protocol/README.md, "Choosing the schema library"). Where a page's CSP forbids code generation,
 * TypeBox's Compile falls back to its interpreter by itself, so the same protocol code runs in every
 * process.
 *
 * Every schema bounds its size: strings have a maxLength, arrays a maxItems, binary and opaque
 * fields a byte limit. Each message's worst case is worked out from its schema when its interface
 * is defined (rpc/interface.ts), and `connect()` refuses an interface that could exceed the maximum
 * message size, so every message that validates is within the limit without measuring it.
 */
import { Type, type Static, type TProperties, type TSchema, type TUnion } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { MEASURE_TOO_DEEP, measureMessage } from './size.ts';

export { Type, type Static, type TSchema };

/** An object that rejects unknown keys, like a mojom struct: an extra field is a bad message. */
export function Struct<const P extends TProperties>(properties: P) {
  return Type.Object(properties, { additionalProperties: false });
}

let evalFree = false;

/**
 * For pages whose Content-Security-Policy forbids 'unsafe-eval': check with TypeBox's interpreter
 * and never try code generation (even TypeBox's probe for it is reported as a CSP violation).
 * Call before the first message is checked; rpc/eval-free.ts does it for page entries.
 */
export function useEvalFreeValidation(): void {
  evalFree = true;
}

interface Validator {
  Check(value: unknown): boolean;
  Errors(value: unknown): ReadonlyArray<{ keyword: string; instancePath: string; message: string }>;
}

/**
 * One validator per schema object, shared by every connection that checks it: compiling on each
 * connect() (a tab's page after every reload) generated and optimized new code each time, which
 * heap snapshots of the chaos soak showed growing fault after fault (TypeBox's BuildSchema, check_0).
 */
const validators = new WeakMap<TSchema, Validator>();
let compiled = 0;

/** How many validators were compiled so far (for tests: the same schema is compiled once). */
export function validatorsCompiled(): number {
  return compiled;
}

/** Made on first use, so the eval-free choice can come after schemas are declared. */
function lazyValidator(schema: TSchema): () => Validator {
  let validator: Validator | undefined;
  return () => {
    if (validator) return validator;
    validator = validators.get(schema);
    if (!validator) {
      compiled++;
      validator = evalFree
        ? { Check: (value) => Value.Check(schema, value), Errors: (value) => Value.Errors(schema, value) }
        : Compile(schema);
      validators.set(schema, validator);
    }
    return validator;
  };
}

const VARIANTS = 'x-variants';
const MAX_BYTES = 'x-max-bytes';

interface VariantsInfo {
  readonly key: string;
  readonly variants: readonly TSchema[];
}

/**
 * A union of structs told apart by the literal value of `key` (a discriminated union). Checked by
 * dispatching on that value to one compiled variant, rather than trying each variant in turn: a
 * display list of 30 kinds of paint operation costs the same to check as one of 3.
 */
export function Variant<const V extends TSchema[]>(key: string, variants: [...V]) {
  const validators = new Map<unknown, () => Validator>();
  for (const variant of variants) {
    const discriminator = (variant as { properties?: Record<string, { const?: unknown }> }).properties?.[key]?.const;
    if (discriminator === undefined) throw new Error(`Variant: every variant needs a literal "${key}"`);
    if (validators.has(discriminator)) throw new Error(`Variant: "${key}" = ${String(discriminator)} appears twice`);
    validators.set(discriminator, lazyValidator(variant));
  }
  const pick = (value: unknown) =>
    typeof value === 'object' && value !== null
      ? validators.get((value as Record<string, unknown>)[key])?.()
      : undefined;
  // The hot path: one map lookup to the variant's own check function, made on first use.
  let checks: Map<unknown, (value: unknown) => boolean> | undefined;
  const check = (value: unknown): boolean => {
    checks ??= new Map(
      [...validators].map(([discriminator, validator]) => {
        const made = validator();
        return [discriminator, (v: unknown) => made.Check(v)];
      }),
    );
    if (typeof value !== 'object' || value === null) return false;
    const variantCheck = checks.get((value as Record<string, unknown>)[key]);
    return variantCheck !== undefined && variantCheck(value);
  };
  const info: VariantsInfo = { key, variants };
  return Type.Refine(Type.Unsafe<Static<TUnion<V>>>({ [VARIANTS]: info }), check, (value) => {
    const validator = pick(value);
    if (!validator) return `must have a "${key}" of ${[...validators.keys()].map((v) => JSON.stringify(v)).join(', ')}`;
    const [first] = validator.Errors(value);
    return first ? `${first.instancePath} ${first.message}`.trim() : 'does not match its variant';
  });
}

/** Binary data (pixels, images): a Uint8Array of at most `maxBytes`. */
export function Bytes(maxBytes: number) {
  return Type.Refine(
    Type.Unsafe<Uint8Array>({ [MAX_BYTES]: maxBytes }),
    (value) => value instanceof Uint8Array && value.byteLength <= maxBytes,
    () => `must be a Uint8Array of at most ${maxBytes} bytes`,
  );
}

/** Any structured-clonable value of at most `maxBytes` (estimated), for payloads the protocol only carries. */
export function Opaque(maxBytes: number) {
  return Type.Refine(
    Type.Unsafe<unknown>({ [MAX_BYTES]: maxBytes }),
    (value) => measureMessage(value, maxBytes, 32) >= 0,
    (value) =>
      measureMessage(value, maxBytes, 32) === MEASURE_TOO_DEEP
        ? 'is nested deeper than 32 levels'
        : `is larger than ${maxBytes} bytes`,
  );
}

export interface Checker {
  /** True when `value` matches the schema. The hot path: compiled, allocates nothing on success. */
  check(value: unknown): boolean;
  /** Why `value` does not match, for bad-message reports. Only called after `check` failed. */
  explain(value: unknown): string;
}

export function compileChecker(schema: TSchema): Checker {
  const validator = lazyValidator(schema);
  return {
    check: (value) => validator().Check(value),
    explain(value) {
      const errors = validator().Errors(value);
      // A refinement (Variant, Bytes) reports after the generic errors of its wrapper: prefer it.
      const first = errors.find((error) => error.keyword === '~refine') ?? errors[0];
      if (!first) return 'does not match its schema';
      // A Variant's message starts with the path inside its variant: join the two paths.
      if (first.message.startsWith('/')) return `${first.instancePath}${first.message}`;
      return `${first.instancePath || '/'} ${first.message}`;
    },
  };
}

/**
 * The largest a value valid under `schema` can be, in the units of `measureMessage`, or Infinity
 * when the schema leaves something unbounded (a string without maxLength, an array without
 * maxItems, an open object). `path` names the first unbounded part in `unbounded`.
 */
export function maxEncodedSize(schema: TSchema, path = '', unbounded: string[] = []): number {
  const s = schema as Record<string, unknown> & TSchema;
  const fail = () => {
    unbounded.push(path || '/');
    return Infinity;
  };
  if (s[VARIANTS]) {
    const { variants } = s[VARIANTS] as VariantsInfo;
    return Math.max(...variants.map((variant) => maxEncodedSize(variant, path, unbounded)));
  }
  if (typeof s[MAX_BYTES] === 'number') return (s[MAX_BYTES] as number) + 16;
  if (Array.isArray(s.anyOf))
    return Math.max(...s.anyOf.map((option: TSchema) => maxEncodedSize(option, path, unbounded)));
  if (s.const !== undefined) return typeof s.const === 'string' ? s.const.length + 4 : 8;
  switch (s.type) {
    case 'string':
      return typeof s.maxLength === 'number' ? s.maxLength + 4 : fail();
    case 'number':
    case 'integer':
      return 8;
    case 'boolean':
      return 4;
    case 'null':
      return 1;
    case 'array': {
      if (typeof s.maxItems !== 'number') return fail();
      return 8 + s.maxItems * (1 + maxEncodedSize(s.items as TSchema, `${path}/*`, unbounded));
    }
    case 'object': {
      if (s.additionalProperties !== false || typeof s.properties !== 'object' || s.properties === null) return fail();
      let total = 8;
      for (const [key, property] of Object.entries(s.properties as Record<string, TSchema>)) {
        total += key.length + 4 + maxEncodedSize(property, `${path}/${key}`, unbounded);
      }
      return total;
    }
    default:
      return fail();
  }
}
