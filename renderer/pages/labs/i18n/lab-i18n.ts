/**
 * i18next for the lab pages: English and Korean (the notes' language), chosen once by the reader and
 * remembered in this origin's localStorage, else the browser's language. A missing key shows as
 * ⟦key⟧, so a page (and its e2e spec) can tell it from a text.
 */
import i18next, { type i18n, type TFunction } from 'i18next';
import { LANGUAGES, NAMESPACES, RESOURCES, type Language } from './resources.ts';

export const LANGUAGE_STORAGE_KEY = 'lab-language';
export const MISSING_KEY_MARK = '⟦';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The reader's choice if one was stored, else the first browser language we have, else English. */
export function pickLanguage(stored: string | null | undefined, browserLanguages: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/** localStorage may be absent or refuse (an opaque origin, storage off): the choice then lasts the page. */
function readStored(storage: Storage | undefined): string | null {
  try {
    return storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function rememberLanguage(storage: Storage | undefined, language: Language): void {
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not remembered; the page still switches.
  }
}

/** A ready i18next instance (synchronous: the resources are bundled). */
export function createLabI18n(language: Language, defaultNamespace: (typeof NAMESPACES)[number]): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: defaultNamespace,
    resources: RESOURCES as Record<string, Record<string, object>>,
    initAsync: false,
    // The DOM is filled with textContent, never innerHTML: nothing to escape.
    interpolation: { escapeValue: false },
    parseMissingKeyHandler: (key) => `${MISSING_KEY_MARK}${key}⟧`,
  });
  return instance;
}

/** The language for this page: stored, else the browser's. */
export function initialLanguage(): Language {
  return pickLanguage(readStored(pageStorage()), globalThis.navigator?.languages ?? []);
}

/** This origin's localStorage; reading it throws where storage is denied. */
export function pageStorage(): Storage | undefined {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage;
  } catch {
    return undefined;
  }
}

export type { TFunction };
