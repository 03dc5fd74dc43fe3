/**
 * The toolbar's Labs menu, as data: the lab index and each lab, opened in a new tab. Coming labs are
 * listed, disabled, with what they will show. The lab pages (renderer/pages/labs/catalog.ts) keep
 * their own list: the UI and the tabs share no code.
 */
export interface LabsMenuItem {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Where it opens (a new tab); absent for a lab that is coming. */
  readonly url?: string;
}

export const LABS_MENU_ITEMS: readonly LabsMenuItem[] = [
  { id: 'labs', title: 'All labs', summary: 'The lab index: every lab and what it shows', url: 'lab://labs' },
  {
    id: 'ipc',
    title: 'IPC lab',
    summary: 'Six kinds of IPC between real processes, measured side by side',
    url: 'lab://ipc',
  },
  {
    id: 'threads',
    title: 'Threads lab',
    summary: 'Race conditions and critical sections: you are the scheduler, then real threads replay it',
    url: 'lab://threads',
  },
  {
    id: 'deadlock',
    title: 'Deadlock lab',
    summary: "The four conditions, the banker's algorithm, a real deadlock the watchdog ends",
    url: 'lab://deadlock',
  },
];
