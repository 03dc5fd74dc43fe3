// Tour: process per tab vs process per site. The shell's process model decides whether two pages of
// one site share a renderer process; the tour opens two and shows which it is, then crashes one.
import type { BrowserView } from '../connection/browser-state.ts';
import {
  ensureTab,
  isCrashed,
  isLive,
  MAP_VIEW,
  pidText,
  rendererOf,
  renderers,
  tabById,
  type Tour,
  type TourNotes,
} from './model.ts';

const SITE_A = 'lab://same-site-a';
const SITE_B = 'lab://same-site-b';

const perSite = (view: BrowserView) => view.processModel === 'process-per-site';

const pairOf = (view: BrowserView, notes: TourNotes) => {
  const find = (note: string | undefined, url: string) =>
    tabById(view, note) ?? view.tabs.find((tab) => tab.url === url && tab.state !== 'crashed');
  return { a: find(notes.siteA, SITE_A), b: find(notes.siteB, SITE_B) };
};

/** Whether the two pages run in one process: one renderer id (and one pid). */
const shared = (view: BrowserView, notes: TourNotes) => {
  const { a, b } = pairOf(view, notes);
  return !!a && !!b && a.rendererId === b.rendererId;
};

const pairHighlight = (view: BrowserView, notes: TourNotes) => {
  const { a, b } = pairOf(view, notes);
  return [a?.rendererId, b?.rendererId];
};

const MODEL_WORDS = {
  'process-per-tab': 'process per tab: every tab gets a renderer process of its own, whatever site it shows',
  'process-per-site':
    'process per site: every tab of one site (scheme and registrable domain) shares one renderer process, as Chrome does with its --process-per-site switch',
} as const;

export const processModelTour: Tour = {
  id: 'process-model',
  title: 'Process per tab vs process per site',
  summary: 'Two pages of one site: one process or two? The shell’s process model decides.',
  steps: [
    {
      title: 'The process model decides',
      text: (view) =>
        `Which tabs share a renderer process is the browser’s choice, its process model. This one runs ${MODEL_WORDS[view.processModel]}. ` +
        'Chrome’s default on desktop is site isolation: pages of different sites never share a process, and a new tab usually gets a process of its own. More processes isolate better and cost more memory. ' +
        (perSite(view)
          ? 'Start the shell without --lab-process-model=per-site to see a process per tab.'
          : 'Start the shell with --lab-process-model=per-site (npm run start:chromium -- --lab-process-model=per-site) to see the other model.'),
      look: (view) =>
        `The status bar says “${perSite(view) ? 'Process per site' : 'Process per tab'}”; the browser process, which decides, and every renderer are highlighted.`,
      panel: 'tasks',
      highlight: (view) => ['browser', ...renderers(view).map((process) => process.id)],
    },
    {
      title: 'Two pages of one site',
      text: 'lab://same-site-a and lab://same-site-b are two pages of one site (the lab files both under the site “pair”), in different colours. Do it opens both.',
      look: 'Their two tabs and their renderer processes.',
      panel: 'tasks',
      action: {
        label: 'Opens lab://same-site-a and lab://same-site-b',
        async run(context) {
          const siteA = await ensureTab(context, SITE_A, context.notes.siteA);
          const siteB = await ensureTab(context, SITE_B, context.notes.siteB);
          return { siteA, siteB };
        },
      },
      done: (view, notes) => {
        const { a, b } = pairOf(view, notes);
        return isLive(a) && isLive(b);
      },
      waitingFor: 'both pages to load',
      highlight: pairHighlight,
    },
    {
      title: 'One process or two?',
      text: (view, notes) => {
        const { a, b } = pairOf(view, notes);
        const pids = `Same site A is ${pidText(a)}, Same site B is ${pidText(b)}`;
        return shared(view, notes)
          ? `${pids}: one renderer process for both, because this browser runs process per site. The map and the task manager show one process serving both tabs; together they cost one process’s memory.`
          : `${pids}: two renderer processes, although the pages are of one site, because this browser runs process per tab. Each tab pays for a process of its own and fails alone.`;
      },
      look: (view, notes) =>
        shared(view, notes)
          ? 'One highlighted process serving two tabs: one pid.'
          : 'Two highlighted processes: two pids.',
      panel: MAP_VIEW,
      onEnter: (view, notes) => {
        const { a, b } = pairOf(view, notes);
        return { siteA: a?.id, siteB: b?.id };
      },
      highlight: pairHighlight,
    },
    {
      title: 'Crash one of them',
      text: (view, notes) =>
        shared(view, notes)
          ? 'Do it crashes Same site A. They share the process, so Same site B goes down with it: the price of sharing. Any other site’s tab keeps running.'
          : 'Do it crashes Same site A. Same site B has its own process, so it keeps running: the isolation a process per tab buys.',
      look: 'Which tabs show a sad tab; the highlighted process or processes.',
      panel: 'tasks',
      onEnter: (view, notes) => ({ shared: String(shared(view, notes)) }),
      action: {
        label: 'Crashes Same site A',
        async run(context) {
          const tabId = context.notes.siteA;
          if (!tabId || !tabById(context.view(), tabId))
            throw new Error('Same site A is gone: go back a step and open it again.');
          await context.call('selectTab', { tabId });
          await context.call('crashTab', { tabId });
          await context.waitFor((view) => isCrashed(tabById(view, tabId)), 'Same site A to crash', 10_000);
        },
      },
      done: (view, notes) => {
        const a = tabById(view, notes.siteA);
        const b = tabById(view, notes.siteB);
        return isCrashed(a) && (notes.shared !== 'true' || isCrashed(b));
      },
      waitingFor: 'Same site A to crash',
      highlight: (view, notes) => [rendererOf(view, notes.siteA), rendererOf(view, notes.siteB)],
    },
  ],
};
