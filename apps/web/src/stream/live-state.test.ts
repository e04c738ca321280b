import { describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { staleKeysFor } from '../hooks/live-refresh';
import { keys } from '../api/keys';
import { applyEvent, EMPTY_LIVE } from './live-state';

const progress = (runId: number, mode?: 'live' | 'backtest'): TradingEvent => ({
  id: '1',
  type: 'progress',
  timestamp: '2026-11-30T16:05:03.000000Z',
  model_id: 7,
  run_id: runId,
  data: { message: 'Bar 1', step: 1, total_steps: 1, date: '2026-11-30T16:00:00Z', cash: 100, equity: 100, return_pct: 0, ...(mode && { mode }) },
});

describe('live state of a model', () => {
  it('knows a live run from its steps, and forgets it when another run begins', () => {
    const live = applyEvent(EMPTY_LIVE, progress(3, 'live'));
    expect(live).toMatchObject({ status: 'running', mode: 'live', progress: { step: 1, date: '2026-11-30T16:00:00Z' } });
    expect(applyEvent(live, progress(4))).toMatchObject({ runId: 4, mode: 'backtest' });
  });

  it('refreshes a live run’s schedule on each of its steps, and nothing on a backtest’s', () => {
    expect(staleKeysFor(progress(3, 'live'))).toEqual([keys.liveStatus(7)]);
    expect(staleKeysFor(progress(3))).toEqual([]);
  });
});
