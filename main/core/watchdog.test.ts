import { describe, expect, it } from 'vitest';
import { ManualClock } from './testing/manual-clock.ts';
import { Watchdog } from './watchdog.ts';

function setup(thresholdMs = 1000) {
  const clock = new ManualClock();
  const watchdog = new Watchdog<string>(clock, { thresholdMs });
  const events: string[] = [];
  watchdog.onDidBecomeUnresponsive((id) => events.push(`${clock.now()} unresponsive ${id}`));
  watchdog.onDidBecomeResponsive((id) => events.push(`${clock.now()} responsive ${id}`));
  return { clock, watchdog, events };
}

/** Advances in small steps so the watchdog's own ticks are never late. */
function run(clock: ManualClock, ms: number, each?: (now: number) => void) {
  for (let t = 0; t < ms; t += 50) {
    clock.advance(50);
    each?.(clock.now());
  }
}

describe('Watchdog', () => {
  it('declares a renderer unresponsive once it misses heartbeats past the threshold, and not before', () => {
    const { clock, watchdog, events } = setup();
    watchdog.watch('tab-1');
    watchdog.watch('tab-2');
    run(clock, 3000, (now) => {
      watchdog.heartbeat('tab-2');
      if (now < 1000) watchdog.heartbeat('tab-1');
    });
    expect(events).toEqual(['1951 unresponsive tab-1']); // last beat at 950: due the moment it is past 1950
    expect(watchdog.isUnresponsive('tab-1')).toBe(true);
    expect(watchdog.isUnresponsive('tab-2')).toBe(false);
  });

  it('reports responsive again at the next heartbeat', () => {
    const { clock, watchdog, events } = setup();
    watchdog.watch('tab-1');
    run(clock, 1500);
    watchdog.heartbeat('tab-1');
    expect(events).toEqual(['1001 unresponsive tab-1', '1500 responsive tab-1']);
  });

  it('Wait re-arms: a still-hung renderer is reported again one threshold later', () => {
    const { clock, watchdog, events } = setup();
    watchdog.watch('tab-1');
    run(clock, 1500);
    watchdog.wait('tab-1');
    expect(watchdog.isUnresponsive('tab-1')).toBe(false);
    run(clock, 1500);
    expect(events).toEqual(['1001 unresponsive tab-1', '2501 unresponsive tab-1']);
  });

  it('reports a hang one threshold after the last heartbeat, whatever the phase of the beats', () => {
    for (let offset = 0; offset < 250; offset += 17) {
      const { clock, watchdog, events } = setup();
      watchdog.watch('tab-1');
      clock.advance(offset);
      for (let beat = 0; beat < 8; beat++) {
        watchdog.heartbeat('tab-1');
        clock.advance(250);
      }
      const lastBeat = offset + 7 * 250;
      clock.advance(2000);
      expect(events).toEqual([`${lastBeat + 1001} unresponsive tab-1`]);
    }
  });

  it('watches again after a reported renderer answers, and keeps the others on their own deadlines', () => {
    const { clock, watchdog, events } = setup();
    watchdog.watch('a');
    clock.advance(1500); // a reported at 1001; nothing else watched, so no timer meanwhile
    watchdog.heartbeat('a'); // 1500: responsive, due again past 2500
    watchdog.watch('b'); // due past 2500 as well
    clock.advance(300);
    watchdog.heartbeat('b'); // 1800: b now due past 2800
    clock.advance(2000);
    expect(events).toEqual(['1001 unresponsive a', '1500 responsive a', '2501 unresponsive a', '2801 unresponsive b']);
  });

  it('does not blame renderers when the browser process itself was stalled', () => {
    const { clock, watchdog, events } = setup();
    watchdog.watch('tab-1');
    run(clock, 500, () => watchdog.heartbeat('tab-1'));
    clock.stall(5000); // one long stall: the watchdog's next check runs ~5 s late
    run(clock, 500, () => watchdog.heartbeat('tab-1'));
    expect(events).toEqual([]);
  });

  it('forgets unwatched renderers and stops ticking when none is left', () => {
    const { clock, watchdog, events } = setup();
    watchdog.watch('tab-1');
    watchdog.unwatch('tab-1');
    run(clock, 3000);
    expect(events).toEqual([]);
  });
});
