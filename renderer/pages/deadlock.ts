// lab://deadlock: the deadlock lab (labs/deadlock/). The view takes a DeadlockLabSource: the page's lab
// channel to the lab host, which the browser brokers; without a browser channel every call says the
// lab host is not connected.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { byId } from './labs/dom.ts';
import { NotConnectedDeadlockSource } from './labs/deadlock/deadlock-lab-source.ts';
import { mountDeadlockLab } from './labs/deadlock/deadlock-view.ts';
import { LabHostDeadlockSource } from './labs/deadlock/lab-host-source.ts';
import { startLabPage } from './labs/lab-page.ts';
import { showWhere } from './shared/page.ts';
import './labs/labs.css';

const runtime = startTabRuntime();
showWhere();

const page = startLabPage(runtime, 'deadlock', 'title', 'lede');
mountDeadlockLab(
  byId('deadlock-lab'),
  runtime.browser ? new LabHostDeadlockSource() : new NotConnectedDeadlockSource(),
  page.i18n,
);
