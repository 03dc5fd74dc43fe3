// Tour: typed IPC and bad messages. Every message is checked against its interface's schema; a
// renderer that sends a malformed one is ended (RESULT_CODE_KILLED_BAD_MESSAGE), as Chrome's
// bad_message::ReceivedBadMessage does.
import type { BrowserView } from '../connection/browser-state.ts';
import { ensureTab, isCrashed, isLive, rendererOf, tabById, type Tour, type TourNotes } from './model.ts';

const BAD_MESSAGE_URL = 'lab://bad-message';

/** The tour's lab://bad-message tab, or the last one open. */
const badTab = (view: BrowserView, notes: TourNotes) =>
  tabById(view, notes.badTab)?.id ?? view.tabs.findLast((tab) => tab.url === BAD_MESSAGE_URL)?.id;

const endedForBadMessage = (view: BrowserView, notes: TourNotes) => {
  const tab = tabById(view, badTab(view, notes));
  return isCrashed(tab) && tab?.crash?.reason === 'bad-message';
};

export const badMessagesTour: Tour = {
  id: 'bad-messages',
  title: 'Typed IPC and bad messages',
  summary: 'Every message is checked against its schema; a renderer that sends a malformed one is ended.',
  steps: [
    {
      title: 'Every message has a type',
      text: 'Processes talk only through interfaces declared in protocol/interfaces/, one per pair of processes (TabPage, GpuService, PluginHostService, BrowserUiService…), like Chrome’s Mojo interfaces. Every message is validated against its schema where it arrives, so no process acts on a message it did not expect.',
      look: 'The IPC inspector: each tab’s TabPage.heartbeat four times a second, requests with their responses and round trips.',
      panel: 'ipc',
      highlight: (view) => ['browser', rendererOf(view, view.selectedTabId)],
    },
    {
      title: 'A page that misbehaves',
      text: 'lab://bad-message stands for a compromised renderer: its button bypasses the typed connection and sends, through the raw channel, a heartbeat whose seq is a string where the schema says integer.',
      look: 'The page’s message, and its renderer process.',
      panel: 'ipc',
      action: {
        label: 'Opens lab://bad-message',
        run: async (context) => ({ badTab: await ensureTab(context, BAD_MESSAGE_URL, context.notes.badTab) }),
      },
      done: (view, notes) => isLive(tabById(view, badTab(view, notes))) || endedForBadMessage(view, notes),
      waitingFor: 'lab://bad-message to load',
      highlight: (view, notes) => [rendererOf(view, badTab(view, notes))],
    },
    {
      title: 'Send a malformed message',
      text: 'The browser UI cannot make a page misbehave, so this one is yours: click “Send a malformed message” in the page. The browser process validates the message, finds seq is not an integer, records a bad message and ends the renderer that sent it.',
      look: 'The red bad-message row in the IPC inspector, and the sad tab.',
      panel: 'ipc',
      done: endedForBadMessage,
      waitingFor: 'you to click “Send a malformed message” in the page',
      highlight: (view, notes) => [rendererOf(view, badTab(view, notes))],
    },
    {
      title: 'The browser ends the sender',
      text: 'A renderer that breaks the protocol is assumed compromised: Chrome’s bad_message::ReceivedBadMessage kills it rather than trying to make sense of what it sent, and its tab shows the sad tab with RESULT_CODE_KILLED_BAD_MESSAGE. Only that renderer ends; the status bar counts the bad message.',
      look: 'The renderer’s row: killed (bad message); the sad tab’s error code.',
      panel: 'tasks',
      highlight: (view, notes) => [rendererOf(view, badTab(view, notes))],
    },
  ],
};
