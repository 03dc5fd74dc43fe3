/**
 * TEST ONLY entry: the real plugin host (../main.ts, unchanged) that also posts a fuzzed batch to the
 * browser on its own IPC channel (protocol/rpc/testing/fuzz-child.ts), as a compromised plugin host
 * could. Started by main/chromium/hostile-children.test.ts; never built into the app.
 */
import '../main.ts';
import { sendFuzzWhenConnected } from '../../protocol/rpc/testing/fuzz-child.ts';

sendFuzzWhenConnected(process);
