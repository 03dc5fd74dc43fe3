// The e2e harness: the IPC lab page's view, fed a real recorded run (quick-result.json) through
// ReplayIpcLabSource instead of the lab host. `?step=<ms>` spaces the figures out (default 15 ms).
import { startTabRuntime } from '../../../../tab-runtime/index.ts';
import { IpcLabResult } from '../../../../../protocol/labs/ipc-result.ts';
import { compileChecker } from '../../../../../protocol/rpc/schema.ts';
import { byId } from '../../dom.ts';
import { startLabPage } from '../../lab-page.ts';
import { mountIpcLab } from '../ipc-view.ts';
import recorded from './quick-result.json';
import { ReplayIpcLabSource } from './replay-source.ts';
import '../../labs.css';

const runtime = startTabRuntime();
const page = startLabPage(runtime, 'ipc', 'title', 'lede');
const checker = compileChecker(IpcLabResult);
if (!checker.check(recorded))
  throw new Error(`quick-result.json is not a lab-ipc/1 result: ${checker.explain(recorded)}`);
const step = Number(new URLSearchParams(location.search).get('step') ?? 15);
mountIpcLab(byId('ipc-lab'), new ReplayIpcLabSource(recorded as unknown as IpcLabResult, step), page.i18n);
