/**
 * The labs' texts: one file per language per lab (`<language>/<lab>.json`), plus `labs.json` for what
 * every lab page shares (the lab index, the language switch). Adding a language: a folder with the
 * same files (resources.test.ts checks every key and placeholder), and an entry in both maps below.
 */
import enDeadlock from './en/deadlock.json';
import enIpc from './en/ipc.json';
import enLabs from './en/labs.json';
import koDeadlock from './ko/deadlock.json';
import koIpc from './ko/ipc.json';
import koLabs from './ko/labs.json';
import enThreads from './en/threads.json';
import koThreads from './ko/threads.json';

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Namespaces: one per lab, and `labs` for what they share. */
export const NAMESPACES = ['labs', 'ipc', 'threads', 'deadlock'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const RESOURCES: Record<Language, Record<Namespace, unknown>> = {
  en: { labs: enLabs, ipc: enIpc, threads: enThreads, deadlock: enDeadlock },
  ko: { labs: koLabs, ipc: koIpc, threads: koThreads, deadlock: koDeadlock },
};
