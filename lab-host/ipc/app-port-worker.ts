/** The peer thread of the MessagePort channel: the peer's logic over a worker_threads port. */
import { workerData, type MessagePort } from 'node:worker_threads';
import { controlFrame, FrameType } from './frame.ts';
import { asBuffer } from './message-channel.ts';
import { PeerLogic } from './peer-logic.ts';

const { port } = workerData as { port: MessagePort };
const logic = new PeerLogic();
port.on('message', (data: unknown) => {
  const answer = logic.handle(asBuffer(data));
  if (answer === 'close') port.close();
  else if (answer) port.postMessage(answer);
});
port.postMessage(controlFrame(FrameType.ready));
