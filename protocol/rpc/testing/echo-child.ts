/** A child process serving EchoService over its child_process IPC channel, for the RPC tests. */
import { childProcessTransport } from '../../transport/child-process.ts';
import { describePeer } from '../../transport/transport.ts';
import { connect, type Connection } from '../endpoint.ts';
import { EchoClient, EchoService } from './echo-service.ts';
import { echoHandlers } from './echo-handlers.ts';

const transport = childProcessTransport(process, { process: 'test-parent', pid: process.ppid });
const connection: Connection<typeof EchoService, typeof EchoClient> = connect({
  transport,
  self: { process: 'echo-child', pid: process.pid },
  local: EchoService,
  remote: EchoClient,
  handlers: echoHandlers({
    connection: () => connection,
    postRaw: (message) => transport.post(message),
    exit: (code) => process.exit(code),
  }),
  onBadMessage: (report) =>
    connection.emit('sawBadMessage', { reason: report.reason, peer: describePeer(report.peer) }),
});
process.on('disconnect', () => process.exit(0));
