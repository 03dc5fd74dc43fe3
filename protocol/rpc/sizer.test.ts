// compileSizer: the code made for each payload schema of every interface measures exactly what the
// walk (measureMessage) measures, for values valid under the schema.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as browserGpu from '../interfaces/browser-gpu.ts';
import * as browserPluginHost from '../interfaces/browser-plugin-host.ts';
import * as browserTab from '../interfaces/browser-tab.ts';
import * as tabGpu from '../interfaces/tab-gpu.ts';
import * as tabPlugin from '../interfaces/tab-plugin.ts';
import * as uiBrowser from '../interfaces/ui-browser.ts';
import type { InterfaceSpec } from './interface.ts';
import { compileChecker, compileSizer, Struct, Type, type TSchema } from './schema.ts';
import { measureMessage } from './size.ts';

type Schema = TSchema & Record<string, unknown>;

/** Values for a schema: mostly valid ones (kept small); the test keeps only those the checker accepts. */
function arbitrary(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const variants = schema['x-variants'] as { variants: Schema[] } | undefined;
  if (variants) return fc.oneof(...variants.variants.map((variant) => arbitrary(variant, depth + 1)));
  if (schema['x-max-bytes'] !== undefined) {
    return fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.jsonValue({ maxDepth: 2 }));
  }
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Schema[]).map((option) => arbitrary(option, depth + 1)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'string':
      return fc.string({ minLength: (schema.minLength as number) ?? 0, maxLength: Math.min((schema.maxLength as number) ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: Math.max((schema.minimum as number) ?? -1e6, -1e9), max: Math.min((schema.maximum as number) ?? 1e6, 1e9) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: (schema.minimum as number) ?? -1e6, max: (schema.maximum as number) ?? 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitrary(schema.items as Schema, depth + 1), {
        minLength: (schema.minItems as number) ?? 0,
        maxLength: Math.min((schema.maxItems as number) ?? 4, depth > 2 ? 1 : 4),
      });
    case 'object': {
      const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const record = Object.fromEntries(properties.map(([key, value]) => [key, arbitrary(value, depth + 1)]));
      return fc.record(record, { requiredKeys: properties.map(([key]) => key).filter((key) => required.has(key)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const interfaces = [browserGpu, browserPluginHost, browserTab, tabGpu, tabPlugin, uiBrowser]
  .flatMap((module) => Object.values(module))
  .filter((value): value is InterfaceSpec => typeof value === 'object' && value !== null && 'methods' in value && 'events' in value);

const payloads: [string, TSchema][] = interfaces.flatMap((spec) => [
  ...Object.entries(spec.methods).flatMap(([name, method]): [string, TSchema][] => [
    [`${spec.name}.${name} request`, method.request],
    [`${spec.name}.${name} response`, method.response],
  ]),
  ...Object.entries(spec.events).map(([name, schema]): [string, TSchema] => [`${spec.name}.${name} event`, schema]),
]);

describe('compileSizer', () => {
  it('covers every interface of the protocol', () => {
    expect(interfaces.length).toBeGreaterThanOrEqual(10);
    expect(payloads.length).toBeGreaterThan(40);
  });

  it.each(payloads)('%s: the same size as the walk, for valid values', (_name, schema) => {
    const sizer = compileSizer(schema)!;
    const checker = compileChecker(schema);
    expect(sizer).toBeTypeOf('function');
    let valid = 0;
    fc.assert(
      fc.property(arbitrary(schema as Schema), (value) => {
        if (!checker.check(value)) return;
        valid++;
        expect(sizer(value)).toBe(measureMessage(value, Number.MAX_SAFE_INTEGER, 10_000));
      }),
      { numRuns: 60 },
    );
    expect(valid).toBeGreaterThan(0);
  });

  it('counts an optional key that is present but undefined as the walk does, and quotes odd keys', () => {
    const schema = Struct({ plain: Type.Optional(Type.Number()), 'odd-key': Type.String({ maxLength: 9 }) });
    const sizer = compileSizer(schema)!;
    for (const value of [{ 'odd-key': 'x' }, { plain: 1, 'odd-key': 'xy' }, { plain: undefined, 'odd-key': '' }]) {
      expect(sizer(value)).toBe(measureMessage(value, 1 << 20, 10));
    }
  });

  it('makes one function per schema, shared by every connection', () => {
    const schema = Struct({ n: Type.Number() });
    expect(compileSizer(schema)).toBe(compileSizer(schema));
  });
});
