/**
 * Random well-formed programs for property tests: each thread a sequence of blocks, every lock
 * released and every semaphore wait matched by a signal, so any schedule runs to the end. Blocks:
 * a bare counter++ (racing), counter++ under a mutex, under a binary semaphore, under a monitor
 * (with a signal to a condition nobody waits on), inside a counting semaphore's pool of 2, a
 * fetch-and-add, and one compare-and-swap attempt.
 */
import { asm, at, k, r, type AsmLine, type Program } from './program.ts';

export type Block = 'bare' | 'mutex' | 'semaphore' | 'monitor' | 'pool' | 'fadd' | 'cas';
export const BLOCKS: readonly Block[] = ['bare', 'mutex', 'semaphore', 'monitor', 'pool', 'fadd', 'cas'];

const increment = (v: string): AsmLine[] => [
  { op: 'load', reg: 'r', addr: at(v) },
  { op: 'add', reg: 'r', src: k(1) },
  { op: 'store', addr: at(v), src: r('r') },
];

function block(kind: Block): AsmLine[] {
  switch (kind) {
    case 'bare':
      return increment('free');
    case 'mutex':
      return [
        { op: 'lock', obj: 'm' },
        { op: 'csEnter', region: 'mutex' },
        ...increment('count'),
        { op: 'csExit', region: 'mutex' },
        { op: 'unlock', obj: 'm' },
      ];
    case 'semaphore':
      return [
        { op: 'semWait', obj: 's' },
        { op: 'csEnter', region: 'semaphore' },
        ...increment('count2'),
        { op: 'csExit', region: 'semaphore' },
        { op: 'semSignal', obj: 's' },
      ];
    case 'monitor':
      return [
        { op: 'enter', obj: 'mon' },
        { op: 'csEnter', region: 'monitor' },
        ...increment('count3'),
        { op: 'csExit', region: 'monitor' },
        { op: 'csignal', obj: 'mon', cond: 'c' },
        { op: 'exit', obj: 'mon' },
      ];
    case 'pool':
      return [
        { op: 'semWait', obj: 'pool' },
        { op: 'csEnter', region: 'pool' },
        { op: 'gap' },
        { op: 'csExit', region: 'pool' },
        { op: 'semSignal', obj: 'pool' },
      ];
    case 'fadd':
      return [{ op: 'fadd', addr: at('atomic'), src: k(1) }];
    case 'cas':
      return [
        { op: 'load', reg: 'o', addr: at('flag') },
        { op: 'cas', reg: 'o', addr: at('flag'), expect: r('o'), desired: k(1) },
      ];
  }
}

/** A program of `threads.length` threads, thread i running the blocks `threads[i]` in order. */
export function randomProgram(threads: readonly (readonly Block[])[]): Program {
  return {
    id: 'random',
    title: 'A random well-formed program',
    vars: { free: {}, count: {}, count2: {}, count3: {}, atomic: {}, flag: {} },
    mutexes: ['m'],
    semaphores: { s: { init: 1, max: 1 }, pool: { init: 2, max: 2 } },
    monitors: { mon: { conds: ['c'] } },
    regions: { mutex: 1, semaphore: 1, monitor: 1, pool: 2 },
    threads: threads.map((blocks, index) => ({ name: `T${index}`, code: asm(blocks.flatMap(block)) })),
  };
}
