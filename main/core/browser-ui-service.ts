/**
 * Serves the browser UI page: its requests go to the core, and every recorded event goes back to it
 * as `changed`, so the UI stays current. The UI is the browser's own page, but what it sends is
 * validated like anything else; a bad message from it is recorded, not obeyed.
 */
import { BrowserUi, BrowserUiService } from '../../protocol/interfaces/ui-browser.ts';
import { connect, type Connection } from '../../protocol/rpc/endpoint.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import type { Browser } from './browser.ts';
import { ExperimentControl } from './experiment-control.ts';

export const UI_PROCESS_ID = 'ui';

/** Without a runner: the Experiments view says this shell cannot run experiments. */
const NO_EXPERIMENTS = new ExperimentControl({
  saveReport: () => Promise.reject(new Error('This shell keeps no reports')),
});

/**
 * `experiments` is the browser's one ExperimentControl, shared by every UI document it serves (a
 * reloaded UI finds the experiment that was running).
 */
export function serveBrowserUi(
  browser: Browser,
  transport: Transport,
  experiments: ExperimentControl = NO_EXPERIMENTS,
): Connection<typeof BrowserUiService, typeof BrowserUi> {
  const { tabs } = browser;
  const done = async (work: Promise<unknown> | unknown) => {
    await work;
    return {};
  };
  const connection = connect({
    transport,
    self: { process: 'browser' },
    local: BrowserUiService,
    remote: BrowserUi,
    handlers: {
      getState: () => browser.state(),
      openTab: async ({ url }) => ({ tabId: (await tabs.open(url)).id }),
      closeTab: ({ tabId }) => done(tabs.close(tabId)),
      selectTab: ({ tabId }) => done(tabs.select(tabId)),
      omnibox: ({ tabId, text }) => done(browser.omnibox(tabId, text)),
      reload: ({ tabId }) => done(tabs.reload(tabId)),
      goBack: ({ tabId }) => done(tabs.goBack(tabId)),
      goForward: ({ tabId }) => done(tabs.goForward(tabId)),
      crashTab: ({ tabId }) => done(tabs.crash(tabId)),
      hangTab: ({ tabId }) => done(tabs.hang(tabId)),
      killTab: ({ tabId }) => done(tabs.kill(tabId)),
      waitTab: ({ tabId }) => done(tabs.wait(tabId)),
      stopTab: ({ tabId }) => done(tabs.stop(tabId)),
      // Answered once the tabs start opening, not when the last has: many tabs outlast a call's timeout.
      restoreSession: () => done(void requireSession(browser).restore()),
      dismissSessionNotice: () => done(requireSession(browser).dismiss()),
      restartPluginHost: () => done(browser.plugins.start()),
      getMetrics: async () => ({ processes: await browser.getMetrics(), channels: [...browser.metrics.channels] }),
      getTrace: ({ sinceSeq }) => browser.trace.since(sinceSeq),
      startExperiment: (request) => experiments.start(request),
      stopExperiment: ({ id }) => {
        experiments.stop(id);
        return {};
      },
      getExperiment: ({ lastTrials }) => experiments.progress(lastTrials),
      endProcess: async ({ processId }) => {
        browser.endProcess(processId);
        return {};
      },
    },
    onBadMessage: (report, code) => browser.log.recordBadMessage(UI_PROCESS_ID, report, code),
  });
  connection.on('painted', ({ tabId, what }) => browser.notePainted(tabId, what));
  const stop = browser.log.onDidRecord((event) => connection.emit('changed', event));
  connection.onDidClose(stop); // no disposer to keep: a connection drops its close listeners when it closes
  return connection;
}

function requireSession(browser: Browser): NonNullable<Browser['session']> {
  if (!browser.session) throw new Error('This browser keeps no session');
  return browser.session;
}
