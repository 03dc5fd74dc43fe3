// lab://plugins: a clock, a crasher and a cpu-hog, embedded from the plugin host, and a counter.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { startPage } from './shared/page.ts';

const runtime = startTabRuntime();
startPage(runtime, 100);

const status = document.getElementById('host-status')!;
const DESCRIPTIONS: Record<string, string> = {
  connecting: 'connecting…',
  connected: 'running',
  crashed: 'crashed; the plugins come back when it restarts',
  down: 'not running',
  offline: 'unreachable (this page is not served by the shell)',
};
const showHost = () => {
  const { pluginHost = 'connecting', pluginHostPid } = document.documentElement.dataset;
  status.textContent = `Plugin host: ${DESCRIPTIONS[pluginHost] ?? pluginHost}${pluginHostPid ? ` (pid ${pluginHostPid})` : ''}`;
};
showHost();
new MutationObserver(showHost).observe(document.documentElement, {
  attributeFilter: ['data-plugin-host', 'data-plugin-host-pid'],
});
