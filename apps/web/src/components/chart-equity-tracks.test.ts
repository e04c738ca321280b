import { describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { appendDailyEquity, ReturnColumns, type EquityTracks } from './chart-equity-tracks';

let seq = 0;
const progress = (model_id: number, run_id: number, date: string, equity: number, step = 1): TradingEvent => ({
  id: String(++seq),
  type: 'progress',
  timestamp: '2026-01-01T00:00:00.000Z',
  model_id,
  run_id,
  data: { message: '', step, total_steps: 1000, date, cash: equity, equity, return_pct: equity - 100 },
});

describe('appendDailyEquity', () => {
  it('grows one curve per model, one point per date, and starts over on a new run', () => {
    let tracks: EquityTracks = new Map();
    tracks = appendDailyEquity(tracks, [progress(1, 10, '2026-01-02', 100), progress(2, 20, '2026-01-02', 100), progress(1, 10, '2026-01-05', 101)]);
    const before = tracks.get(1)!;
    tracks = appendDailyEquity(tracks, [progress(1, 10, '2026-01-05', 102), progress(2, 20, '2026-01-05', 99)]);
    expect(tracks.get(1)).toEqual({ runId: 10, returnPct: 2, points: [{ date: '2026-01-02', equity: 100 }, { date: '2026-01-05', equity: 102 }] });
    // The previous delivery's curve is left as it was (React compares by identity).
    expect(before.points).toEqual([{ date: '2026-01-02', equity: 100 }, { date: '2026-01-05', equity: 101 }]);
    expect(tracks.get(2)?.points.map((p) => p.equity)).toEqual([100, 99]);
    tracks = appendDailyEquity(tracks, [progress(1, 11, '2026-01-02', 100)]);
    expect(tracks.get(1)?.points).toEqual([{ date: '2026-01-02', equity: 100 }]);
  });

  it('returns the same map when a delivery carries no daily equity', () => {
    const tracks: EquityTracks = new Map();
    expect(appendDailyEquity(tracks, [])).toBe(tracks);
  });
});

describe('ReturnColumns', () => {
  it('lines up runs of different dates by trading day since their own start, as return since that start', () => {
    const c = new ReturnColumns();
    // Model 1 runs over 2025, model 2 over 2026: both start at day 1.
    c.add([progress(1, 10, '2025-03-03', 101, 1), progress(2, 20, '2026-06-01', 98, 1), progress(1, 10, '2025-03-04', 102, 2)]);
    expect(c.modelIds).toEqual([1, 2]);
    expect(c.days).toEqual([0, 1, 2]);
    expect(c.returnsOf(1)).toEqual([null, 1, 2]);
    expect(c.returnsOf(2)).toEqual([null, -2, null]);
    expect(c.latest(1)).toEqual({ day: 2, returnPct: 2 });
    expect(c.latest(2)).toEqual({ day: 1, returnPct: -2 });
    expect(c.firstDay()).toBe(1);
    expect(new ReturnColumns().firstDay()).toBeNull();
    // A tab that opened on day 95 of a run draws from day 95.
    const late = new ReturnColumns();
    late.add([progress(3, 30, '2025-08-01', 102, 95)]);
    expect(late.firstDay()).toBe(95);
    // Other event types are not points.
    expect(c.add([{ ...progress(1, 10, '2025-03-05', 1, 3), type: 'status', data: { message: 'x' } } as TradingEvent])).toBe(false);
  });

  it('updates its columns in place and starts a model over on its new run', () => {
    const c = new ReturnColumns();
    c.add([progress(1, 10, '2025-03-03', 101, 1), progress(1, 10, '2025-03-04', 103, 2), progress(2, 20, '2026-06-01', 99, 1)]);
    const column = c.returnsOf(1);
    c.add([progress(1, 10, '2025-03-05', 104, 3)]);
    expect(c.returnsOf(1)).toBe(column);
    expect(column).toEqual([null, 1, 3, 4]);
    c.add([progress(1, 11, '2025-09-01', 100.5, 1)]);
    // The longer old run is gone: the axis ends where the longest current line ends.
    expect(c.returnsOf(1)).toEqual([null, 0.5]);
    expect(c.returnsOf(2)).toEqual([null, -1]);
    expect(c.days).toEqual([0, 1]);
  });

  it('lays a run’s stored curve under the stream’s points, never over a newer run', () => {
    const c = new ReturnColumns();
    // The stream has day 3 already; the stored curve fills days 1–3 without moving day 3.
    c.add([progress(1, 10, '2025-03-05', 105, 3)]);
    expect(c.seed(1, 10, [1, 2, 4.5])).toBe(true);
    expect(c.returnsOf(1)).toEqual([null, 1, 2, 5]);
    // A curve of an older run does not replace the line of the run being followed.
    expect(c.seed(1, 9, [7, 8])).toBe(false);
    expect(c.returnsOf(1)).toEqual([null, 1, 2, 5]);
    // A model the stream has not mentioned starts from its stored curve.
    expect(c.seed(2, 20, [-1, -2])).toBe(true);
    expect(c.latest(2)).toEqual({ day: 2, returnPct: -2 });
  });

  it('never keeps more points than its cap: pairs of days merge, the later day winning', () => {
    const c = new ReturnColumns(8);
    for (let day = 1; day <= 100; day++) c.add([progress(1, 10, '2025-01-01', 100 + day, day), progress(2, 20, '2025-01-01', 100 - day, day)]);
    expect(c.days.length).toBeLessThanOrEqual(8);
    expect(c.returnsOf(1)!.length).toBe(c.days.length);
    expect(c.stride).toBe(16);
    expect(c.days).toEqual([0, 16, 32, 48, 64, 80, 96]);
    // Each position holds the latest day of its span: day 15 for 0-15, ..., day 100 for 96-111.
    expect(c.returnsOf(1)).toEqual([15, 31, 47, 63, 79, 95, 100]);
    expect(c.returnsOf(2)).toEqual([-15, -31, -47, -63, -79, -95, -100]);
    expect(c.latest(1)).toEqual({ day: 96, returnPct: 100 });
  });
});
