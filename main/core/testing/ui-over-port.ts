/**
 * The browser UI as the UI page reaches the core, for tests: BrowserUiService served over a real
 * MessagePort and a BrowserUi client on its other end. `close()` ends the client and both ports.
 */
import { BrowserUi, BrowserUiService } from '../../../protocol/interfaces/ui-browser.ts';
import { connect, type BadMessageReport } from '../../../protocol/rpc/endpoint.ts';
import { nodeMessagePortTransport } from '../../../protocol/transport/node-port.ts';
import type { Browser } from '../browser.ts';
import { serveBrowserUi } from '../browser-ui-service.ts';
import type { ExperimentControl } from '../experiment-control.ts';

export function uiOverPort(
  browser: Browser,
  options: {
    readonly experiments?: ExperimentControl;
    readonly onBadMessage?: (report: BadMessageReport) => void;
  } = {},
) {
  const { port1, port2 } = new MessageChannel();
  serveBrowserUi(browser, nodeMessagePortTransport(port1, { process: 'ui' }), options.experiments);
  const ui = connect({
    transport: nodeMessagePortTransport(port2, { process: 'browser' }),
    self: { process: 'ui' },
    local: BrowserUi,
    remote: BrowserUiService,
    handlers: {},
    onBadMessage: options.onBadMessage ?? (() => {}),
  });
  return {
    remote: ui.remote,
    close(): void {
      ui.close('test over');
      port1.close();
      port2.close();
    },
  };
}
