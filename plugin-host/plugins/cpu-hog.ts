/**
 * `cpu-hog`: command `spin <ms>` busy-loops the host's only thread that long, so every plugin of
 * every tab in this host stalls, and nothing outside it does. `sleep <ms>` waits as long without
 * blocking, for contrast. Params `spinMs` and `spinEveryMs` make it spin periodically by itself.
 */
import { definePlugin, integerArgument, integerParam } from '../plugin.ts';

const MAX_MS = 60_000;

/** Blocks the calling thread for `ms`, as a plugin stuck in a loop would. */
export function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else in this process runs meanwhile
  }
}

export const cpuHog = definePlugin({
  name: 'cpu-hog',
  description:
    'Command spin <ms> busy-loops the host thread (the host stalls); sleep <ms> waits without blocking. Params: spinMs, spinEveryMs.',
  create(context) {
    const spinMs = integerParam(context.params, 'spinMs', { fallback: 200, min: 0, max: MAX_MS });
    const spinEveryMs = integerParam(context.params, 'spinEveryMs', { fallback: 0, min: 0, max: MAX_MS });
    let spins = 0;
    const spinFor = (ms: number) => {
      spins++;
      context.render({ kind: 'text', text: `🐷 cpu-hog: spinning the host for ${ms} ms (spin ${spins})…` });
      spin(ms);
      context.render({ kind: 'text', text: `🐷 cpu-hog: idle after spinning ${ms} ms (spin ${spins})` });
    };
    context.render({ kind: 'text', text: '🐷 cpu-hog: idle. "spin <ms>" stalls the whole plugin host.' });
    if (spinEveryMs > 0) context.setInterval(() => spinFor(spinMs), spinEveryMs);
    return {
      commands: {
        spin(argument) {
          const ms = integerArgument(argument, 'spin', { min: 0, max: MAX_MS });
          spinFor(ms);
          return `spun ${ms} ms`;
        },
        sleep(argument, signal) {
          const ms = integerArgument(argument, 'sleep', { min: 0, max: MAX_MS });
          return new Promise<string>((resolve, reject) => {
            const stop = context.setTimeout(() => resolve(`slept ${ms} ms`), ms);
            signal.addEventListener(
              'abort',
              () => {
                stop();
                reject(signal.reason);
              },
              { once: true },
            );
          });
        },
      },
    };
  },
});
