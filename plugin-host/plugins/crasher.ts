/**
 * `crasher`: command `crash` aborts the whole plugin host with a real native abort (SIGABRT), as a
 * crashing plugin would. Every tab's plugins go with it; the browser process and the tabs do not.
 */
import { definePlugin } from '../plugin.ts';

export const crasher = definePlugin({
  name: 'crasher',
  description: 'Command crash aborts the plugin host process (SIGABRT): every plugin of every tab crashes with it.',
  create(context) {
    context.render({
      kind: 'text',
      text: '⚠ crasher: its "crash" command aborts the plugin host, and every plugin in it.',
    });
    return {
      commands: {
        crash() {
          context.render({ kind: 'text', text: '💥 crasher: aborting the plugin host…' });
          process.abort();
        },
      },
    };
  },
});
