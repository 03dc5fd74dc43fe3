// lab://same-site-a: a counter page on site 'pair' (shares a renderer with the other under process-per-site).
import { startTabRuntime } from '../tab-runtime/index.ts';
import { startPage } from './shared/page.ts';

startPage(startTabRuntime(), 100);
