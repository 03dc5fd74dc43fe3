import { describe, expect, it } from 'vitest';
import { checkExperimentRequest, parseExperimentRequest } from './request.ts';

describe('checkExperimentRequest', () => {
  it('accepts a request within bounds, chaos with faults', () => {
    expect(checkExperimentRequest({ scenario: 'tab-crash', trials: 2, tabs: 3, seed: 7 })).toMatchObject({ ok: true });
    expect(
      checkExperimentRequest({ scenario: 'chaos', trials: 1, tabs: 4, faults: 50, seed: 0xffff_ffff, control: false }),
    ).toMatchObject({ ok: true });
    expect(checkExperimentRequest({ scenario: 'chaos', trials: 0, tabs: 20, faults: 1000, seed: 1 })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    [{ scenario: 'tab-explode', trials: 2, tabs: 3, seed: 1 }, /scenario/],
    [{ scenario: 'tab-crash', trials: 0, tabs: 3, seed: 1 }, /tab-crash needs at least 1 trial/],
    [{ scenario: 'tab-crash', trials: -1, tabs: 3, seed: 1 }, /trials/],
    [{ scenario: 'tab-crash', trials: 2.5, tabs: 3, seed: 1 }, /trials/],
    [{ scenario: 'tab-crash', trials: 2, tabs: 21, seed: 1 }, /tabs/],
    [{ scenario: 'tab-crash', trials: 2, tabs: 3, seed: -1 }, /seed/],
    [{ scenario: 'tab-crash', trials: 2, tabs: 3 }, /seed/],
    [{ scenario: 'tab-crash', trials: 2, tabs: 3, seed: 1, extra: true }, /extra|additional/i],
    [{ scenario: 'chaos', trials: 1, tabs: 3, seed: 1 }, /chaos .*needs "faults"/],
    [{ scenario: 'tab-kill', trials: 1, tabs: 3, seed: 1, faults: 5 }, /"faults" is for chaos only/],
    ['tab-crash', /request/],
  ])('refuses %j, saying why', (value, why) => {
    const result = checkExperimentRequest(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('; ')).toMatch(why);
  });

  it('parses JSON text with the same check, and says when it is not JSON', () => {
    expect(parseExperimentRequest('{"scenario":"tab-crash","trials":2,"tabs":2,"seed":3}')).toMatchObject({
      ok: true,
      request: { scenario: 'tab-crash', trials: 2, tabs: 2, seed: 3 },
    });
    const broken = parseExperimentRequest('{scenario: tab-crash');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatch(/not JSON/);
    const bad = parseExperimentRequest('{"scenario":"tab-crash","trials":2,"tabs":2}');
    if (!bad.ok) expect(bad.errors[0]).toMatch(/seed/);
    expect(bad.ok).toBe(false);
  });
});
