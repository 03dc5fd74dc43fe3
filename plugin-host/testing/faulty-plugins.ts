/**
 * Plugins that misbehave in every way plugin code can without ending the process, for the tests of
 * the host's guards (plugin-instances.ts). Not shipped: the host's registry never lists them.
 */
import { CodedError, definePlugin, type PluginContent } from '../plugin.ts';

/** What the fixtures did, for the tests to look at. */
export const fixtureLog: string[] = [];

export const failsToCreate = definePlugin({
  name: 'fails-to-create',
  description: 'create starts a timer, then throws',
  create(context) {
    context.setInterval(() => fixtureLog.push('leaked timer ran'), 5);
    throw new CodedError('FIXTURE_CREATE', 'no instance for you');
  },
});

export const faulty = definePlugin({
  name: 'faulty',
  description: 'every command fails differently; its timer throws on every other tick',
  create(context) {
    let ticks = 0;
    context.render({ kind: 'text', text: 'made' });
    context.setInterval(
      () => {
        ticks++;
        if (ticks % 2 === 1) throw new Error(`tick ${ticks} failed`);
        context.render({ kind: 'text', text: `tick ${ticks}` });
      },
      Number(context.params.get('intervalMs') ?? 20),
    );
    return {
      commands: {
        throw() {
          throw new RangeError('thrown by a command');
        },
        reject: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new CodedError('FIXTURE_REJECT', 'rejected by a command');
        },
        throwString() {
          throw 'a string, not an Error';
        },
        throwHuge() {
          throw new CodedError('C'.repeat(500), 'x'.repeat(200_000), { name: 'N'.repeat(500) });
        },
        throwUndescribable() {
          throw {
            toString: () => {
              throw new Error('no');
            },
          };
        },
        longResult: () => 'y'.repeat(5000),
        numberResult: () => 42 as unknown as string,
        badRender() {
          context.render({ kind: 'text', text: 5 } as unknown as PluginContent);
        },
        wait: (argument, signal) =>
          new Promise<string>((resolve, reject) => {
            const stop = context.setTimeout(() => resolve('waited'), Number(argument));
            signal.addEventListener('abort', () => {
              stop();
              fixtureLog.push(`wait aborted: ${(signal.reason as Error)?.message ?? String(signal.reason)}`);
              reject(signal.reason);
            });
          }),
        never: () => new Promise<string>(() => {}),
        echo: (argument) => argument,
      },
      destroy() {
        fixtureLog.push(`destroy ${context.instanceId}`);
        throw new Error('destroy failed too');
      },
    };
  },
});
