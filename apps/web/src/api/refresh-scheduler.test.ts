// @vitest-environment node
import type { QueryKey } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { staleKeysFor } from '../hooks/live-refresh';
import { makeEvent } from '../test/fake-event-source';
import { keys } from './keys';
import { createRefreshScheduler } from './refresh-scheduler';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

function setup() {
  const invalidated: (QueryKey | null)[] = [];
  const scheduler = createRefreshScheduler((k) => invalidated.push(k), {
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number), now: () => Date.now() },
  });
  const feed = (events: ReturnType<typeof makeEvent.trade>[]) => {
    for (const e of events) {
      const stale = staleKeysFor(e);
      if (stale === 'all') scheduler.requestAll();
      else stale.forEach((k) => scheduler.request(k));
    }
  };
  return { invalidated, scheduler, feed };
}

describe('refresh scheduler', () => {
  it('turns a burst of 100 trades into one refetch per stale query, a second after the burst', () => {
    const { invalidated, feed } = setup();
    for (let i = 0; i < 100; i++) {
      feed([makeEvent.trade(7)]);
      vi.advanceTimersByTime(5);
    }
    expect(invalidated).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(invalidated).toEqual([keys.stats, keys.tradesAll(7), keys.logs(7)]);
    vi.advanceTimersByTime(10_000);
    expect(invalidated).toHaveLength(3);
  });

  it('refetches at least every 3 s while events never stop', () => {
    const { invalidated, feed } = setup();
    for (let t = 0; t < 6_000; t += 50) {
      feed([makeEvent.trade(1)]);
      vi.advanceTimersByTime(50);
    }
    expect(invalidated.filter((k) => k === keys.stats)).toHaveLength(2);
  });

  it('lets a model-wide refresh cover that model’s narrower ones', () => {
    const { invalidated, feed } = setup();
    feed([makeEvent.trade(3), makeEvent.complete(3), makeEvent.trade(3)]);
    vi.advanceTimersByTime(1_000);
    expect(invalidated).toContainEqual(keys.model(3));
    expect(invalidated).not.toContainEqual(keys.positions(3));
    expect(invalidated).not.toContainEqual(keys.tradesAll(3));
    expect(invalidated.filter((k) => JSON.stringify(k) === JSON.stringify(keys.stats))).toHaveLength(1);
  });

  it('refetches everything once after a reset', () => {
    const { invalidated, feed } = setup();
    feed([makeEvent.trade(1), { ...makeEvent.trade(1), type: 'reset', model_id: null, data: { message: 'refetch' } } as never]);
    vi.advanceTimersByTime(1_000);
    expect(invalidated).toEqual([null]);
  });
});
