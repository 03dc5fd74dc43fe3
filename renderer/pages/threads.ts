// lab://threads: the threads lab (labs/threads/). The model (the scheduler, the proofs) runs here in
// the page; real runs, replays and process vs thread go to the lab host through the page's lab
// channel, which the browser brokers. Without a browser channel those say the lab host is not
// connected and never show numbers nobody measured.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { byId } from './labs/dom.ts';
import { startLabPage } from './labs/lab-page.ts';
import { LabHostThreadsSource } from './labs/threads/lab-host-source.ts';
import { NotConnectedThreadsLabSource } from './labs/threads/threads-lab-source.ts';
import { mountThreadsLab } from './labs/threads/threads-view.ts';
import { showWhere } from './shared/page.ts';
import './labs/labs.css';

const runtime = startTabRuntime();
showWhere();

const page = startLabPage(runtime, 'threads', 'title', 'lede');
mountThreadsLab(
  byId('threads-lab'),
  runtime.browser ? new LabHostThreadsSource() : new NotConnectedThreadsLabSource(),
  page.i18n,
);
