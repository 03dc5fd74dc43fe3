// Preload of the browser UI page (sandboxed renderer; built to dist-electron/ui-preload.cjs, CommonJS).
// Exposes one narrow, read-only object as `window.lab`; never raw ipcRenderer.
import { contextBridge } from 'electron';

const { electron, chrome, node } = process.versions;

contextBridge.exposeInMainWorld('lab', {
  versions: { electron, chrome, node },
});
