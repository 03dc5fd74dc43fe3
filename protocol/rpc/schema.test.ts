// Validators are compiled once per schema, however many connections check it: the browser connects
// to every tab's page again after each reload, and compiling anew each time grew its heap.
import { expect, it } from 'vitest';
import { compileChecker, Struct, Type, validatorsCompiled } from './schema.ts';

it('compiles a schema once for every checker made of it, and each checker still checks', () => {
  const schema = Struct({ seq: Type.Integer({ minimum: 0 }), url: Type.String({ maxLength: 64 }) });
  const before = validatorsCompiled();
  const checkers = Array.from({ length: 100 }, () => compileChecker(schema));
  for (const checker of checkers) {
    expect(checker.check({ seq: 1, url: 'lab://live' })).toBe(true);
    expect(checker.check({ seq: -1, url: 'lab://live' })).toBe(false);
  }
  expect(checkers[99]!.explain({ seq: 1, url: 'lab://live', extra: 1 })).toMatch(/./);
  expect(validatorsCompiled() - before).toBe(1);
  // Another schema, even one alike, is its own.
  compileChecker(Struct({ seq: Type.Integer({ minimum: 0 }) })).check({ seq: 1 });
  expect(validatorsCompiled() - before).toBe(2);
});
