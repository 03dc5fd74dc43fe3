// Preload of a tab's page (sandboxed renderer; built to dist-electron/tab-preload.cjs, CommonJS).
// Tabs get their API (a MessagePort to their GPU/plugin peers, typed by protocol/) later; for now
// the page can only tell that it runs as a lab tab.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('labTab', { kind: 'tab' });
