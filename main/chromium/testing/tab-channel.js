// The page side of a tab's channel in the Chromium shell, as a StringChannel
// (protocol/transport/string-channel.ts): the page sends through the CDP binding the browser
// installed before the page's first script (`__labTabSend`, Runtime.addBinding) and receives
// through the function the browser calls (`__labTabReceive`). A tab page loads this with
// `<script src="/tab-channel.js">` and builds its transport with
// `stringChannelTransport(labTabChannel(), { process: 'browser' })`.
// The names must match TAB_SEND_BINDING and TAB_RECEIVE_FUNCTION in ../tab-page-channel.ts.
globalThis.labTabChannel = () => {
  if (typeof globalThis.__labTabSend !== 'function') throw new Error('This page is not a tab of the Chromium shell');
  return {
    send: (message) => globalThis.__labTabSend(message),
    setReceiver: (receive) => {
      globalThis.__labTabReceive = receive;
    },
  };
};
