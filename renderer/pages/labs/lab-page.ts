/**
 * What every lab page shares: its texts in the reader's language, the language switch in the page
 * header, and the header (title, lede) and document title following the language.
 */
import type { i18n } from 'i18next';
import type { TabRuntime } from '../../tab-runtime/index.ts';
import { h } from './dom.ts';
import { createLabI18n, initialLanguage, pageStorage, rememberLanguage } from './i18n/lab-i18n.ts';
import { LANGUAGES, type Language, type Namespace } from './i18n/resources.ts';

export interface LabPage {
  readonly i18n: i18n;
  /** Calls `render` now and after every language change. */
  onLanguage(render: () => void): void;
}

/** `titleKey` and `ledeKey` name the page's title and lede (the frame's `<h1>` and `.lede`). */
export function startLabPage(runtime: TabRuntime, namespace: Namespace, titleKey: string, ledeKey: string): LabPage {
  const i18n = createLabI18n(initialLanguage(), namespace);
  const renders: (() => void)[] = [];
  const header = document.querySelector('.page-header');
  const switcher = h('div', { class: 'language-switch', role: 'group' });
  header?.querySelector('.where')?.before(switcher);

  const renderHeader = () => {
    const t = i18n.getFixedT(null, namespace);
    document.documentElement.lang = i18n.language;
    document.title = t(titleKey);
    const title = header?.querySelector('h1');
    if (title) title.textContent = t(titleKey);
    const lede = header?.querySelector('.lede');
    if (lede) lede.textContent = t(ledeKey);
    for (const status of document.querySelectorAll('.runtime-status'))
      status.textContent = i18n.t(runtime.browser ? 'labs:runtime.online' : 'labs:runtime.offline');
    switcher.setAttribute('aria-label', i18n.t('labs:language.label'));
    switcher.replaceChildren(
      ...LANGUAGES.map((language) =>
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            lang: language,
            'aria-pressed': String(language === i18n.language),
            onclick: () => void choose(language),
          },
          i18n.t(`labs:language.${language}`),
        ),
      ),
    );
  };

  const choose = async (language: Language) => {
    rememberLanguage(pageStorage(), language);
    await i18n.changeLanguage(language);
  };
  i18n.on('languageChanged', () => {
    renderHeader();
    for (const render of renders) render();
  });
  renderHeader();
  return {
    i18n,
    onLanguage(render) {
      renders.push(render);
      render();
    },
  };
}
