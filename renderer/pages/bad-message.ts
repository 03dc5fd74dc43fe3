// lab://bad-message: sends, through the raw binding, an envelope whose payload breaks its schema,
// so the browser ends this renderer with reason bad-message.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { TAB_CHANNEL_NAMES } from '../../protocol/transport/string-channel.ts';
import { startPage } from './shared/page.ts';

const runtime = startTabRuntime();
startPage(runtime, 100);

/** An event envelope [3, name, payload] for TabPage.heartbeat, whose `seq` must be an integer. */
const MALFORMED = JSON.stringify([3, 'heartbeat', { seq: 'not a number' }]);

const button = document.getElementById('send') as HTMLButtonElement;
const sent = document.getElementById('sent')!;
document.getElementById('message')!.textContent = `${TAB_CHANNEL_NAMES.send}('${MALFORMED}')`;

const send = (globalThis as Record<string, unknown>)[TAB_CHANNEL_NAMES.send];
if (typeof send !== 'function') {
  button.disabled = true;
  sent.textContent = `Not served by the shell: there is no ${TAB_CHANNEL_NAMES.send} to send through.`;
}

let count = 0;
function sendMalformed() {
  if (typeof send !== 'function') return;
  // The raw binding, not the typed connection: the RPC layer would never send this.
  (send as (message: string) => void)(MALFORMED);
  count++;
  sent.textContent = `Sent${count > 1 ? ` ${count} times` : ''}. The browser should end this renderer now.`;
  document.documentElement.dataset.badMessagesSent = String(count);
}
button.addEventListener('click', sendMalformed);

// lab://bad-message?send=1 sends one by itself once the page is up: experiments inject it without a click.
if (new URLSearchParams(location.search).get('send') === '1') setTimeout(sendMalformed, 0);
