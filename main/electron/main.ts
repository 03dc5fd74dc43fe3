// Entry of the browser process under the Electron shell (built to dist-electron/main.js, ESM).
// For now: one sandboxed window showing the browser UI. The full shell (tabs, child processes,
// custom protocol) arrives later and drives main/core/.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, session } from 'electron';

const here = import.meta.dirname; // dist-electron/
const uiPage = path.join(here, '../dist/renderer/index.html');
const uiPageUrl = pathToFileURL(uiPage).href;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Browser Process Lab',
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: path.join(here, 'ui-preload.cjs'),
    },
  });
  // The UI page never opens windows or leaves itself.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => {
    if (event.url !== uiPageUrl) event.preventDefault();
  });
  void win.loadFile(uiPage);
  return win;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
