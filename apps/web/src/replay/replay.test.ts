import { describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { replayOffsets, ReplaySource, type ReplayScheduler } from './replay';

/** A clock and timers that move only when the test says so. */
function fakeScheduler() {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const scheduler: ReplayScheduler = {
    now: () => now,
    setTimeout(fn, ms) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { scheduler, advance, pending: () => timers.length };
}

const T0 = Date.parse('2026-11-23T20:00:00.000Z');
let seq = 100;
const at = (ms: number) => new Date(T0 + ms).toISOString();
function trade(ms: number, tradeCount: number): TradingEvent[] {
  return [
    { id: String(seq++), type: 'trade', timestamp: at(ms), model_id: 1, run_id: 7, data: { action: 'buy', message: 'BUY 1 ZNTH', symbol: 'ZNTH', quantity: 1, price: 10, amount: 10, cash_after: 990, status: 'filled' } },
    {
      id: String(seq++),
      type: 'portfolio',
      timestamp: at(ms),
      model_id: 1,
      run_id: 7,
      data: { message: 'portfolio', cash: 1000 - tradeCount * 10, equity: 1000, positions: [], return_pct: 0, trade_count: tradeCount, date: '2026-01-02' },
    },
  ] as TradingEvent[];
}

// Four events: two at 0 ms, two at 1000 ms.
const recorded = () => [...trade(0, 1), ...trade(1_000, 2)];

describe('replayOffsets', () => {
  it('keeps recorded gaps, clamped between the least and most gap', () => {
    const events = [...trade(0, 1), ...trade(1_000, 2), ...trade(60_000, 3)];
    expect(replayOffsets(events, 100, 5_000)).toEqual([0, 100, 1_100, 1_200, 6_200, 6_300]);
  });
});

describe('ReplaySource', () => {
  it('plays events on their recorded timing at 1x, into the same live state the stream builds', () => {
    const { scheduler, advance } = fakeScheduler();
    const replay = new ReplaySource(recorded(), { scheduler, minGapMs: 0 });
    expect(replay.getState()).toMatchObject({ position: 0, total: 4, playing: false });
    replay.play();
    expect(replay.getState().position).toBe(2);
    expect(replay.getLive(1)?.portfolio?.trade_count).toBe(1);
    advance(999);
    expect(replay.getState().position).toBe(2);
    advance(1);
    expect(replay.getState()).toMatchObject({ position: 4, playing: false });
    expect(replay.getLive(1)?.portfolio?.trade_count).toBe(2);
    expect(replay.getEvents(1).map((e) => e.type)).toEqual(['trade', 'portfolio', 'trade', 'portfolio']);
    expect(replay.getRecentEvents()).toHaveLength(4);
  });

  it('divides the timing by the speed, also when changed mid-play', () => {
    const { scheduler, advance } = fakeScheduler();
    const replay = new ReplaySource([...recorded(), ...trade(3_000, 3)], { scheduler, minGapMs: 0 });
    replay.setSpeed(10);
    replay.play();
    advance(99);
    expect(replay.getState().position).toBe(2);
    advance(1);
    expect(replay.getState().position).toBe(4);
    // The next is 2000 ms of replay time away: 50 ms at 10x covers 500, the other 1500 at 100x take 15 ms.
    advance(50);
    replay.setSpeed(100);
    advance(14);
    expect(replay.getState().position).toBe(4);
    advance(1);
    expect(replay.getState().position).toBe(6);
  });

  it('pauses: nothing plays while paused, and play resumes where it stopped', () => {
    const { scheduler, advance, pending } = fakeScheduler();
    const replay = new ReplaySource(recorded(), { scheduler, minGapMs: 0 });
    replay.play();
    advance(400);
    replay.pause();
    expect(replay.getState()).toMatchObject({ position: 2, playing: false });
    expect(pending()).toBe(0);
    advance(10_000);
    expect(replay.getState().position).toBe(2);
    replay.play();
    advance(599);
    expect(replay.getState().position).toBe(2);
    advance(1);
    expect(replay.getState().position).toBe(4);
  });

  it('seeks by index and by time, rebuilding the state from the start', () => {
    const { scheduler } = fakeScheduler();
    const replay = new ReplaySource(recorded(), { scheduler, minGapMs: 0 });
    replay.seek(4);
    expect(replay.getState().position).toBe(4);
    expect(replay.getLive(1)?.portfolio?.trade_count).toBe(2);
    replay.seek(1);
    expect(replay.getState().position).toBe(1);
    expect(replay.getEvents(1)).toHaveLength(1);
    expect(replay.getLive(1)?.portfolio).toBeNull();
    replay.seekTime(999);
    expect(replay.getState().position).toBe(2);
    replay.seekTime(1_000);
    expect(replay.getState().position).toBe(4);
    replay.seek(99);
    expect(replay.getState().position).toBe(4);
  });

  it('keeps playing from a seek, and playing from the end starts over', () => {
    const { scheduler, advance } = fakeScheduler();
    const replay = new ReplaySource(recorded(), { scheduler, minGapMs: 0 });
    replay.play();
    replay.seek(0);
    expect(replay.getState()).toMatchObject({ position: 0, playing: true });
    advance(0);
    expect(replay.getState().position).toBe(2);
    replay.seek(4);
    expect(replay.getState()).toMatchObject({ position: 4, playing: false });
    replay.play();
    expect(replay.getState().position).toBe(2);
  });

  it('orders by id and tells subscribers of every change', () => {
    const { scheduler } = fakeScheduler();
    const events = recorded();
    const replay = new ReplaySource([...events].reverse(), { scheduler });
    let calls = 0;
    replay.subscribe(() => calls++);
    replay.seek(4);
    expect(calls).toBe(1);
    expect(replay.getEvents(1).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });
});
