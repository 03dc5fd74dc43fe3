// Every kind, for real: a peer process (or thread) at the other end, frames checked one by one.
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from './channel.ts';
import { channelSpecs, type ChannelSpec } from './kinds.ts';
import { roundTripLatencies, streamThroughput } from './measure.ts';
import { buildNativeAddon } from './native/build.ts';
import { loadNativeIpc, type NativeIpcLoad } from './native/native-ipc.ts';
import { openChannel } from './open-channel.ts';

// Built (or found up to date) before the cases are listed, so each channel is a case of its own.
const build = await buildNativeAddon();
const native = loadNativeIpc();
if (!native.ok)
  console.log(`ipc addon not available, testing the stand-ins only: ${build.ok ? native.reason : build.reason}`);
const open: Channel[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((channel) => channel.close().catch(() => {})));
});

async function start(spec: ChannelSpec, load: NativeIpcLoad = native): Promise<Channel> {
  const channel = await openChannel(spec, { native: load });
  open.push(channel);
  return channel;
}

const STAND_INS: NativeIpcLoad = { ok: false, reason: 'stand-ins under test' };
// Both sets: with the addon (where it built) and the stand-ins, which every machine runs.
const specs = [
  ...(native.ok ? channelSpecs(native).map((spec) => [spec.id, spec, native] as const) : []),
  ...channelSpecs(STAND_INS)
    .filter((spec) => !native.ok || spec.standIn)
    .map((spec) => [`${spec.id} (${spec.standIn ? 'stand-in' : 'no addon'})`, spec, STAND_INS] as const),
];

describe('every kind moves 10,000 messages: none lost, duplicated, reordered or changed', () => {
  it("lists the six kinds and the app's channels, each stand-in labelled", () => {
    const kinds = new Set(channelSpecs(STAND_INS).map((spec) => spec.kind));
    expect([...kinds].sort()).toEqual([
      'anonymous-pipe',
      'app-channel',
      'file',
      'message-queue',
      'named-pipe',
      'shared-memory',
      'tcp-loopback',
      'unix-socket',
    ]);
    for (const spec of channelSpecs(STAND_INS).filter((spec) => spec.standIn))
      expect(spec.note).toMatch(/stand-ins under test/);
  });

  it.each(specs)(
    '%s',
    async (name, spec, load) => {
      const channel = await start(spec, load);
      expect(channel.peerPid, name).toBeGreaterThan(0);
      if (spec.crossProcess) expect(channel.peerPid, name).not.toBe(process.pid);
      const small = await streamThroughput(channel, 256, 10_000, true);
      expect(small.peer).toEqual({ received: 10_000, gaps: 0, outOfOrder: 0, torn: 0, checksum: small.sentChecksum });
      expect(small.ok).toBe(true);
      // Frames bigger than a queue message, a pipe's buffer or one read: cut and put back together.
      const large = await streamThroughput(channel, 100_000, 40, true);
      expect(large.ok, JSON.stringify(large.peer)).toBe(true);
      const echoes = await roundTripLatencies(channel, 64, 200); // throws on a wrong or missing echo
      expect(echoes).toHaveLength(200);
    },
    120_000,
  );
});

describe('a peer killed mid-run is reported, never waited on forever', () => {
  it.each(specs)(
    '%s',
    async (name, spec, load) => {
      const channel = await start(spec, load);
      const outcome = streamThroughput(channel, 64 * 1024, 1_000_000).then(
        () => new Error('the run finished'),
        (error: Error) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      const killedAt = performance.now();
      channel.killPeer();
      const error = await outcome;
      expect(error.message).toMatch(
        spec.crossProcess ? new RegExp(`peer pid ${channel.peerPid} exited \\(SIGKILL\\)`) : /peer thread exited/,
      );
      expect(performance.now() - killedAt).toBeLessThan(5_000);
    },
    60_000,
  );
});
