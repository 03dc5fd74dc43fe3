/** The peer thread of the SharedArrayBuffer ring: the same loops as the peer process, on a thread. */
import { workerData } from 'node:worker_threads';
import { controlFrame, FrameType } from './frame.ts';
import { runSyncPeer, runTearPeer } from './peer-loops.ts';
import { ThreadRingEndpoint } from './sync-endpoints.ts';

const { buffer, slotCount, slotSize, synchronized, tally } = workerData as {
  buffer: SharedArrayBuffer;
  slotCount: number;
  slotSize: number;
  synchronized: boolean;
  tally: boolean;
};
const endpoint = new ThreadRingEndpoint(buffer, { slotCount, slotSize }, 1, { send: true, receive: synchronized });
// A thread is ended by terminate(), never orphaned.
const parentGone = () => false;
while (!endpoint.trySend(controlFrame(FrameType.ready), 200));
if (tally) runTearPeer(endpoint, parentGone);
else runSyncPeer(endpoint, parentGone);
