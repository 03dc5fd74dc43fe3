// Tour: why one tab's crash doesn't take the others down. Three tabs in three renderer processes;
// one crashes (a sad tab, Chrome's error code); the others keep running; Reload starts it again in
// a new process.
import type { BrowserView } from '../connection/browser-state.ts';
import {
  idList,
  isCrashed,
  isLive,
  MAP_VIEW,
  pidText,
  rendererOf,
  tabById,
  type Tour,
  type TourActionContext,
  type TourNotes,
} from './model.ts';

/** Pages of different sites, for the process-per-site model (where tabs of one site share a process). */
const SITE_PAGES = ['lab://live', 'lab://same-site-a', 'lab://plugins', 'lab://cpu-heavy'];

/** Up to three live tabs, each in a renderer process of its own, in tab strip order. */
function separateTabs(view: BrowserView): string[] {
  const chosen: string[] = [];
  for (const tab of view.tabs) {
    if (chosen.length === 3) break;
    if (isLive(tab) && !chosen.some((id) => rendererOf(view, id) === tab.rendererId)) chosen.push(tab.id);
  }
  return chosen;
}

/** The tour's three tabs: the ones it opened (or found), else what the browser shows now. */
const trio = (view: BrowserView, notes: TourNotes) => (notes.tabs ? idList(notes.tabs) : separateTabs(view));

/** The tab that crashed: the one the tour crashed, or the first of the three the user crashed. */
const victimOf = (view: BrowserView, notes: TourNotes) =>
  notes.victim ?? trio(view, notes).find((id) => isCrashed(tabById(view, id)));

async function openSeparateTabs(context: TourActionContext) {
  const view = context.view();
  const chosen = separateTabs(view);
  const perSite = view.processModel === 'process-per-site';
  const unused = SITE_PAGES.filter((page) => !view.tabs.some((tab) => tab.url === page));
  const urls = Array.from({ length: 3 - chosen.length }, (_, i) => (perSite ? unused[i] : 'lab://live'));
  if (urls.some((url) => url === undefined))
    throw new Error('Every page this tour would open is open already: close a few tabs and try again.');
  // Opened together: each loads in its own new process.
  const opened = await Promise.all(urls.map(async (url) => (await context.call('openTab', { url: url! })).tabId));
  const loaded = await context.waitFor(
    (next) => opened.every((id) => isLive(tabById(next, id))),
    'the new tabs to load',
  );
  for (const tabId of opened) {
    if (!chosen.some((id) => rendererOf(loaded, id) === rendererOf(loaded, tabId))) chosen.push(tabId);
  }
  if (chosen.length < 3) throw new Error('Could not get three tabs into three processes.');
  return { tabs: chosen.join(',') };
}

export const crashIsolationTour: Tour = {
  id: 'crash-isolation',
  title: 'Why one tab’s crash doesn’t take the others down',
  summary: 'Three tabs, three renderer processes: crash one, the others keep running.',
  steps: [
    {
      title: 'Every tab gets its own renderer process',
      text: (view) =>
        'Chrome runs each tab’s page in a sandboxed renderer process of its own, apart from the browser process, which owns this window: the tab strip, the omnibox, these panels. ' +
        (view.processModel === 'process-per-site'
          ? 'This browser runs process per site, where tabs of one site share a process, so the tour uses pages of three different sites.'
          : 'Three tabs, three renderer processes: three pids.'),
      look: 'The pid badge on each tab, and the highlighted Renderer rows: one per tab, each with its own pid and memory.',
      panel: 'tasks',
      action: { label: 'Opens tabs until three run in separate processes', run: openSeparateTabs },
      done: (view, notes) => {
        const tabs = trio(view, notes);
        return tabs.length === 3 && tabs.every((id) => isLive(tabById(view, id)));
      },
      waitingFor: 'three live tabs in three processes',
      highlight: (view, notes) => trio(view, notes).map((id) => rendererOf(view, id)),
    },
    {
      title: 'Crash one of them',
      text: (view, notes) => {
        const target = tabById(view, victimOf(view, notes) ?? trio(view, notes)[1]);
        return (
          `Do it crashes the renderer process of “${target?.title ?? 'the second tab'}”, as Crash this tab or typing chrome://crash would. ` +
          'The process dies; the browser process sees its child exit, marks the tab crashed and shows Chrome’s sad tab, “Aw, Snap!”, with the error code (RESULT_CODE_CRASHED).'
        );
      },
      look: 'The sad tab, the “crashed” badge, and the process marked crashed.',
      panel: MAP_VIEW,
      onEnter: (view, notes) => ({ tabs: trio(view, notes).join(',') }),
      action: {
        label: 'Crashes the middle tab’s renderer process',
        async run(context) {
          const victim = idList(context.notes.tabs)[1];
          if (!victim || !tabById(context.view(), victim))
            throw new Error('The tab to crash is gone: go back a step and open the tabs again.');
          await context.call('selectTab', { tabId: victim });
          await context.call('crashTab', { tabId: victim });
          await context.waitFor((view) => isCrashed(tabById(view, victim)), 'the tab to crash', 10_000);
          return { victim };
        },
      },
      done: (view, notes) => isCrashed(tabById(view, victimOf(view, notes))),
      waitingFor: 'one of the three tabs to crash',
      highlight: (view, notes) => [rendererOf(view, victimOf(view, notes) ?? trio(view, notes)[1])],
    },
    {
      title: 'The others keep running',
      text: (view, notes) => {
        const others = trio(view, notes).filter((id) => id !== notes.victim);
        const alive = others.filter((id) => isLive(tabById(view, id))).length;
        return (
          'The crashed renderer shared nothing with the others but messages through the browser: no memory, no threads. ' +
          `${alive} of the other ${others.length} tabs are still live, in the same processes, and their pages never stopped counting. ` +
          'The browser process, the GPU process and the plugin host only heard that one child was gone.'
        );
      },
      look: (view, notes) =>
        `Their pids are unchanged: ${trio(view, notes)
          .filter((id) => id !== notes.victim)
          .map((id) => `${tabById(view, id)?.title ?? id} ${pidText(tabById(view, id))}`)
          .join(', ')}.`,
      panel: 'tasks',
      onEnter: (view, notes) => ({ victim: victimOf(view, notes) }),
      action: {
        label: 'Shows another of the three tabs',
        async run(context) {
          const other = idList(context.notes.tabs).find(
            (id) => id !== context.notes.victim && isLive(tabById(context.view(), id)),
          );
          if (other) await context.call('selectTab', { tabId: other });
        },
      },
      highlight: (view, notes) =>
        trio(view, notes)
          .filter((id) => id !== notes.victim)
          .map((id) => rendererOf(view, id)),
    },
    {
      title: 'Reload starts a new process',
      text: 'Reloading the sad tab starts a fresh renderer process for it: a new pid, and the Restarts column counts one more. Nothing else was restarted: each tab failed alone, and recovers alone.',
      look: 'The reloaded tab’s new pid, in its badge and its highlighted row.',
      panel: 'tasks',
      onEnter: (view, notes) => ({ victimPid: tabById(view, notes.victim)?.pid?.toString() }),
      action: {
        label: 'Reloads the crashed tab',
        async run(context) {
          const victim = context.notes.victim;
          if (!victim || !tabById(context.view(), victim)) throw new Error('The crashed tab is gone.');
          await context.call('selectTab', { tabId: victim });
          await context.call('reload', { tabId: victim });
          await context.waitFor((view) => isLive(tabById(view, victim)), 'the tab to load again');
        },
      },
      done: (view, notes) => {
        const victim = tabById(view, notes.victim);
        return isLive(victim) && String(victim.pid) !== notes.victimPid;
      },
      waitingFor: 'the crashed tab to load in a new process',
      highlight: (view, notes) => [rendererOf(view, notes.victim)],
    },
  ],
};
