import { describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { appendDailyEquity, equityRows, type EquityTracks } from './chart-equity-tracks';

let seq = 0;
const progress = (model_id: number, run_id: number, date: string, equity: number): TradingEvent => ({
  id: String(++seq),
  type: 'progress',
  timestamp: '2026-01-01T00:00:00.000Z',
  model_id,
  run_id,
  data: { message: '', step: 1, total_steps: 2, date, cash: equity, equity, return_pct: equity - 100 },
});

describe('appendDailyEquity', () => {
  it('grows one curve per model, one point per date, and starts over on a new run', () => {
    let tracks: EquityTracks = new Map();
    tracks = appendDailyEquity(tracks, [progress(1, 10, '2026-01-02', 100), progress(2, 20, '2026-01-02', 100), progress(1, 10, '2026-01-05', 101)]);
    tracks = appendDailyEquity(tracks, [progress(1, 10, '2026-01-05', 102), progress(2, 20, '2026-01-05', 99)]);
    expect(tracks.get(1)).toEqual({ runId: 10, returnPct: 2, points: [{ date: '2026-01-02', equity: 100 }, { date: '2026-01-05', equity: 102 }] });
    expect(equityRows(tracks, [1, 2])).toEqual([
      { date: '2026-01-02', m1: 100, m2: 100 },
      { date: '2026-01-05', m1: 102, m2: 99 },
    ]);
    tracks = appendDailyEquity(tracks, [progress(1, 11, '2026-01-02', 100)]);
    expect(tracks.get(1)?.points).toEqual([{ date: '2026-01-02', equity: 100 }]);
  });

  it('returns the same map when a delivery carries no daily equity', () => {
    const tracks: EquityTracks = new Map();
    expect(appendDailyEquity(tracks, [])).toBe(tracks);
  });
});
