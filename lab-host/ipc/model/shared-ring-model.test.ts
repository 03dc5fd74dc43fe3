import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exploreAll, replay, outcome, RingModel, type RingModelConfig } from './shared-ring-model.ts';

const small: [slotCount: number, wordsPerMessage: number, messages: number][] = [
  [1, 2, 2],
  [1, 3, 3],
  [2, 2, 4],
  [2, 3, 4],
  [3, 2, 5],
];

describe('shared-memory ring model', () => {
  it.each(small)(
    'with the handshake no schedule tears or loses a message (%i slots, %i words, %i messages)',
    (slotCount, wordsPerMessage, messages) => {
      const config = { slotCount, wordsPerMessage, messages, handshake: true };
      const all = exploreAll(config);
      expect(all.states).toBeGreaterThan(messages);
      expect(all.maxTorn).toBe(0);
    },
  );

  it.each(small)(
    'without it some schedule tears a message (%i slots, %i words, %i messages)',
    (slotCount, wordsPerMessage, messages) => {
      const config = { slotCount, wordsPerMessage, messages, handshake: false };
      const { maxTorn, worstSchedule } = exploreAll(config);
      expect(maxTorn).toBeGreaterThan(0);
      // The schedule found replays to the same tear.
      expect(outcome(config, replay(config, worstSchedule)).torn).toBe(maxTorn);
    },
  );

  it('the smallest tear, step by step: the reader copies word 0 of message 0, the writer laps it', () => {
    const config: RingModelConfig = { slotCount: 1, wordsPerMessage: 2, messages: 2, handshake: false };
    const model = new RingModel(config);
    for (const thread of ['writer', 'writer', 'writer', 'reader', 'writer', 'writer', 'reader', 'reader'] as const) {
      expect(model.step(thread)).toBe(true);
    }
    expect(model.state.reads[0]).toEqual({ index: 0, words: [0, 1], torn: true });
    // The same schedule with the handshake cannot happen: after publishing message 0 the writer
    // waits for the reader to free the only slot.
    const guarded = new RingModel({ ...config, handshake: true });
    for (const thread of ['writer', 'writer', 'writer'] as const) expect(guarded.step(thread)).toBe(true);
    expect(guarded.state.writer).toEqual({ message: 1, word: 0 });
    expect(guarded.step('writer')).toBe(false);
    for (let i = 0; i < 3; i++) expect(guarded.step('reader')).toBe(true);
    expect(guarded.state.reads).toEqual([{ index: 0, words: [0, 0], torn: false }]);
    expect(guarded.step('writer')).toBe(true);
  });

  it('steps back exactly, and forward again the same way (seeded)', () => {
    const model = new RingModel({ slotCount: 2, wordsPerMessage: 3, messages: 6, handshake: false }, 42);
    for (let i = 0; i < 20; i++) model.step();
    const at20 = model.state;
    const schedule = [...model.schedule];
    for (let i = 0; i < 5; i++) expect(model.back()).toBe(true);
    for (let i = 0; i < 5; i++) model.step();
    expect(model.state).toEqual(at20);
    expect(model.schedule).toEqual(schedule);
    const again = new RingModel({ slotCount: 2, wordsPerMessage: 3, messages: 6, handshake: false }, 42);
    for (let i = 0; i < 20; i++) again.step();
    expect(again.state).toEqual(at20);
    while (model.back());
    expect(model.state.reads).toEqual([]);
    expect(model.back()).toBe(false);
  });

  it('with the handshake every seeded schedule delivers every message once, in order, whole', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer(),
        (slotCount, wordsPerMessage, messages, seed) => {
          const model = new RingModel({ slotCount, wordsPerMessage, messages, handshake: true }, seed);
          expect(model.run()).toEqual({ reads: messages, torn: 0, duplicates: 0, lost: 0 });
          expect(model.state.reads.map((read) => read.words[0])).toEqual([...Array(messages).keys()]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a config it cannot model', () => {
    expect(() => new RingModel({ slotCount: 0, wordsPerMessage: 2, messages: 2, handshake: true })).toThrow(
      /slotCount/,
    );
  });
});
