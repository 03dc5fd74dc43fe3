// lab://labs: the lab index. Every lab, available ones as links to their page, coming ones with what
// they will show; in English or Korean (labs/i18n/).
import { startTabRuntime } from '../tab-runtime/index.ts';
import { LABS, pageHref } from './labs/catalog.ts';
import { byId, h } from './labs/dom.ts';
import { startLabPage } from './labs/lab-page.ts';
import { showWhere } from './shared/page.ts';
import './labs/labs.css';

const runtime = startTabRuntime();
showWhere();

const page = startLabPage(runtime, 'labs', 'index.title', 'index.lede');
const list = byId('labs');

page.onLanguage(() => {
  const t = page.i18n.getFixedT(null, 'labs');
  list.setAttribute('aria-label', t('index.title'));
  list.replaceChildren(
    ...LABS.map((lab) => {
      const title = t(`labs.${lab.id}.title`);
      const points = t(`labs.${lab.id}.points`, { returnObjects: true }) as unknown as string[];
      const available = lab.status === 'available' && lab.url;
      const heading = available
        ? h('a', { href: pageHref(lab.url!), 'aria-label': t('index.open', { lab: title }) }, title)
        : title;
      return h(
        'li',
        { class: `card lab-card ${lab.status}`, 'data-lab': lab.id, 'data-status': lab.status },
        h(
          'div',
          { class: 'lab-card-head' },
          h('h2', {}, heading),
          h('span', { class: `pill ${lab.status}` }, t(available ? 'index.available' : 'index.coming')),
        ),
        h('p', {}, t(`labs.${lab.id}.summary`)),
        h('h3', {}, t(available ? 'index.shows' : 'index.willShow')),
        h('ul', { class: 'lab-points' }, ...points.map((point) => h('li', {}, point))),
      );
    }),
  );
});
