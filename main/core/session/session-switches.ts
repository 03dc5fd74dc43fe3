/** The session's command-line switches, the same in both shells (main/chromium/main.ts, main/electron/main.ts). */

/** `--fresh`: start with a fresh session; the saved one is not restored, and this one replaces it once saved. */
export const FRESH_SWITCH = 'fresh';
/** `--session-dir=PATH`: keep the session in PATH instead of the shell's own folder (e2e gives each app a temp one). */
export const SESSION_DIR_SWITCH = 'session-dir';
