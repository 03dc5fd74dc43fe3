// Every text exists in every language (no missing or extra keys), with the same placeholders; and
// every literal key the lab pages' code asks for exists.
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { createLabI18n, MISSING_KEY_MARK, pickLanguage } from './lab-i18n.ts';
import { LANGUAGES, NAMESPACES, RESOURCES, type Namespace } from './resources.ts';

/** Every leaf as `a.b.c` (array items by index) with its text. */
function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value))
      for (const [leaf, text] of leaves(child, prefix ? `${prefix}.${key}` : key)) out.set(leaf, text);
  else throw new Error(`${prefix}: not a text (${typeof value})`);
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the labs texts', () => {
  for (const namespace of NAMESPACES) {
    const english = leaves(RESOURCES.en[namespace]);
    for (const language of LANGUAGES.filter((other) => other !== 'en')) {
      it(`${language}/${namespace}.json has exactly the keys and placeholders of en/${namespace}.json`, () => {
        const other = leaves(RESOURCES[language][namespace]);
        expect(
          [...other.keys()].filter((key) => !english.has(key)),
          'extra keys',
        ).toEqual([]);
        expect(
          [...english.keys()].filter((key) => !other.has(key)),
          'missing keys',
        ).toEqual([]);
        for (const [key, text] of english) {
          expect(placeholders(other.get(key)!), `${language}:${namespace}:${key}`).toEqual(placeholders(text));
          expect(other.get(key)!.trim(), `${language}:${namespace}:${key} is empty`).not.toBe('');
        }
      });
    }
  }

  it('has a folder per language, each with a file per namespace, and nothing else', () => {
    const files = Object.keys(import.meta.glob('./*/*.json')).sort();
    expect(files).toEqual(LANGUAGES.flatMap((language) => NAMESPACES.map((ns) => `./${language}/${ns}.json`)).sort());
  });

  it("has every literal key the pages' code asks for", () => {
    // The lab pages' code as text (Vite reads it for the test), the two page entries included.
    const sources = import.meta.glob(
      ['../**/*.ts', '!../**/*.test.ts', '../../labs.ts', '../../ipc.ts', '../../threads.ts'],
      {
        query: '?raw',
        import: 'default',
        eager: true,
      },
    ) as Record<string, string>;
    expect(Object.keys(sources)).toContain('../../ipc.ts');
    const asked: string[] = [];
    for (const [file, code] of Object.entries(sources)) {
      // A lab's own files ask its namespace without naming it (threads/, threads.ts: `threads`).
      const own = NAMESPACES.find((ns) => ns !== 'labs' && (file.includes(`/${ns}/`) || file.endsWith(`/${ns}.ts`)));
      // tr('a.b'), t('a.b'), i18n.t('ns:a.b'), t()('a.b') and the title/lede keys startLabPage gets.
      for (const match of code.matchAll(/\b(?:tr|t|i18n\.t|t\(\))\(\s*'([\w.:-]+)'/g))
        asked.push(match[1]!.includes(':') || !own || own === 'ipc' ? match[1]! : `${own}:${match[1]}`);
      for (const match of code.matchAll(/startLabPage\(\s*\w+,\s*'(\w+)',\s*'([\w.]+)',\s*'([\w.]+)'/g))
        asked.push(`${match[1]}:${match[2]}`, `${match[1]}:${match[3]}`);
    }
    expect(asked.length).toBeGreaterThan(50);
    const missing = asked.filter((key) => {
      const [namespace, name] = key.includes(':') ? key.split(':') : ['ipc', key];
      if (namespace !== 'labs' && namespace !== 'ipc') {
        const own = leaves(RESOURCES.en[namespace as Namespace]);
        return !own.has(name!) && ![...own.keys()].some((k) => k.startsWith(`${name}.`));
      }
      // Keys without a namespace in labs.ts are the labs namespace's.
      const inIpc =
        leaves(RESOURCES.en.ipc).has(name!) ||
        [...leaves(RESOURCES.en.ipc).keys()].some((k) => k.startsWith(`${name}.`));
      const inLabs =
        leaves(RESOURCES.en.labs).has(name!) ||
        [...leaves(RESOURCES.en.labs).keys()].some((k) => k.startsWith(`${name}.`));
      return namespace === 'labs' ? !inLabs : namespace === 'ipc' ? !inIpc && !inLabs : true;
    });
    expect(missing).toEqual([]);
  });
});

describe('the language', () => {
  it("is the reader's stored choice, else the browser's first language we have, else English", () => {
    expect(pickLanguage('ko', ['en-US'])).toBe('ko');
    expect(pickLanguage('en', ['ko-KR'])).toBe('en');
    expect(pickLanguage(null, ['ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(null, ['fr-FR', 'ko'])).toBe('ko');
    expect(pickLanguage('de', ['fr-FR'])).toBe('en');
    expect(pickLanguage(undefined, [])).toBe('en');
  });

  it('switches every text, interpolates, and marks a missing key instead of showing it as text', async () => {
    const i18n = createLabI18n('en', 'ipc');
    expect(i18n.t('kinds.shared-memory.name')).toBe('Shared memory');
    expect(i18n.t('labs:index.open', { lab: 'IPC lab' })).toBe('Open the IPC lab');
    expect(i18n.t('no.such.key')).toBe(`${MISSING_KEY_MARK}no.such.key⟧`);
    await i18n.changeLanguage('ko');
    expect(i18n.t('kinds.shared-memory.name')).toBe('공유 메모리');
    expect(i18n.t('kinds.message-queue.name')).toBe('메시지 큐');
    expect(i18n.t('sync.summary', { torn: 3, lost: 4, runs: 2, syncTorn: 0, syncLost: 0 })).toContain('찢어짐 3개');
  });
});
