// Tour: plugins out of process. lab://plugins embeds plugins that run in the plugin host; the host
// dies, the page shows placeholders and lives on; the user restarts the host and the plugins return.
import type { BrowserView } from '../connection/browser-state.ts';
import { isEnded } from '../connection/browser-state.ts';
import {
  ensureTab,
  isLive,
  isRunning,
  MAP_VIEW,
  pluginHostProcess,
  rendererOf,
  tabById,
  type Tour,
  type TourNotes,
} from './model.ts';

const PLUGINS_URL = 'lab://plugins';

/** The tour's lab://plugins tab, or any open one. */
const pluginTab = (view: BrowserView, notes: TourNotes) =>
  tabById(view, notes.pluginTab)?.id ?? view.tabs.find((tab) => tab.url === PLUGINS_URL && tab.state !== 'crashed')?.id;

const hostEnded = (view: BrowserView) => {
  const host = pluginHostProcess(view);
  return !!host && isEnded(host.state);
};

const notePid = (view: BrowserView) => ({ hostPid: pluginHostProcess(view)?.pid?.toString() });

export const pluginsTour: Tour = {
  id: 'plugins',
  title: 'Plugins out of process',
  summary: 'Plugins run in the plugin host: it crashes, the page lives on; restart it and they return.',
  steps: [
    {
      title: 'Plugins run in their own process',
      text: 'The clock, the crasher and the cpu-hog on lab://plugins are not the page’s code: they run in the plugin host, one process shared by every tab, as Chrome’s plugin processes (NPAPI, then PPAPI for Flash) did and as VS Code runs extensions in its extension host. The page asks the browser for a channel to the host and shows what each plugin draws.',
      look: 'The plugin host and the tab’s renderer: two processes for one page.',
      panel: MAP_VIEW,
      action: {
        label: 'Opens lab://plugins (and starts the plugin host if it is down)',
        async run(context) {
          if (hostEnded(context.view())) await context.call('restartPluginHost', {});
          return { pluginTab: await ensureTab(context, PLUGINS_URL, context.notes.pluginTab) };
        },
      },
      done: (view, notes) => isLive(tabById(view, pluginTab(view, notes))) && isRunning(pluginHostProcess(view)),
      waitingFor: 'lab://plugins open, with the plugin host running',
      highlight: (view, notes) => [pluginHostProcess(view)?.id, rendererOf(view, pluginTab(view, notes))],
    },
    {
      title: 'Crash the plugin host',
      text: 'Do it ends the plugin host from the task manager (End process: SIGKILL), as the crasher plugin’s “Crash the plugin host” button would from inside it. Every plugin in every tab is gone at once; nothing else is.',
      look: 'The plugin host’s row, now killed; the infobar “Plugin host crashed”.',
      panel: 'tasks',
      onEnter: notePid,
      action: {
        label: 'Ends the plugin host',
        async run(context) {
          const host = pluginHostProcess(context.view());
          if (host && !isEnded(host.state)) await context.call('endProcess', { processId: host.id });
          await context.waitFor(hostEnded, 'the plugin host to end');
        },
      },
      done: hostEnded,
      waitingFor: 'the plugin host to end',
      highlight: (view) => [pluginHostProcess(view)?.id],
    },
    {
      title: 'The page lives on',
      text: 'The page’s own process never ran plugin code, so it did not crash: each plugin became a “Plugin crashed” placeholder and the page’s counter keeps going. Chrome did the same with its sad-plugin placeholder. The browser does not restart the host by itself: a host that crashes may crash again, so, as VS Code does, it waits for the user.',
      look: 'The placeholders in the page, its renderer still running, the plugin host ended.',
      panel: MAP_VIEW,
      highlight: (view, notes) => [rendererOf(view, pluginTab(view, notes)), pluginHostProcess(view)?.id],
    },
    {
      title: 'Restart the plugin host',
      text: 'Do it is the infobar’s Restart plugins: the browser starts a new plugin host, every tab gets a new channel to it and creates its plugins again. The page was never reloaded.',
      look: 'The plugin host’s new pid and its Restarts count; the clock is back.',
      panel: 'tasks',
      action: {
        label: 'Restarts the plugin host',
        async run(context) {
          await context.call('restartPluginHost', {});
          await context.waitFor((view) => isRunning(pluginHostProcess(view)), 'the plugin host to start');
        },
      },
      done: (view, notes) => {
        const host = pluginHostProcess(view);
        return isRunning(host) && String(host.pid) !== notes.hostPid;
      },
      waitingFor: 'a new plugin host',
      highlight: (view) => [pluginHostProcess(view)?.id],
    },
  ],
};
