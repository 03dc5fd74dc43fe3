// Entry of the browser UI page (renderer process; bundled by Vite into dist/renderer).
// First: the page's CSP forbids 'unsafe-eval', so message checks must never generate code.
import '../../protocol/rpc/eval-free.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
// The base stylesheet first: every feature's stylesheet (imported by its component) refines it.
import './base.css';
import { App } from './App.tsx';
import { connectToBrowser } from './connection/browser-connection.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const client = connectToBrowser(globalThis as unknown as Record<string, unknown>);

// Rendered synchronously, so the tab container ([data-tab-container]) exists before
// DOMContentLoaded: the shell may insert the first tab frame as soon as the page has loaded.
const root = createRoot(container);
flushSync(() =>
  root.render(
    <StrictMode>
      <App client={client} />
    </StrictMode>,
  ),
);
