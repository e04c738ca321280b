// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { equitySeries, thinPoints } from './equity-series';

const portfolio = (id: string, runId: number, date: string, equity: number): TradingEvent => ({
  id,
  type: 'portfolio',
  timestamp: '2026-01-01T00:00:00.000Z',
  model_id: 1,
  run_id: runId,
  data: { message: '', date, cash: 0, equity, positions: [], return_pct: 0, trade_count: 0 },
});

const perf = {
  model_id: 1,
  run_id: 5,
  metrics: null,
  equity_curve: [
    { date: '2026-01-02', equity: 10_000, cash: 10_000 },
    { date: '2026-01-05', equity: 10_100, cash: 9_000 },
  ],
};

describe('equitySeries', () => {
  it('extends the recorded curve with newer portfolio events of the same run', () => {
    const points = equitySeries(perf, [portfolio('1', 5, '2026-01-05', 10_100), portfolio('2', 5, '2026-01-06', 10_200), portfolio('3', 5, '2026-01-07', 10_150)]);
    expect(points.map((p) => [p.date, p.equity])).toEqual([
      ['2026-01-02', 10_000],
      ['2026-01-05', 10_100],
      ['2026-01-06', 10_200],
      ['2026-01-07', 10_150],
    ]);
  });

  it('takes every trading day from progress events, not only days with fills', () => {
    const progress = (id: string, date: string, equity: number): TradingEvent => ({
      id,
      type: 'progress',
      timestamp: '2026-01-01T00:00:00.000Z',
      model_id: 1,
      run_id: 5,
      data: { message: '', step: Number(id), total_steps: 10, date, cash: 0, equity, return_pct: 0 },
    });
    const points = equitySeries(perf, [progress('3', '2026-01-06', 10_050), portfolio('4', 5, '2026-01-07', 10_120), progress('5', '2026-01-07', 10_120), progress('6', '2026-01-08', 10_090)]);
    expect(points.map((p) => [p.date, p.equity]).slice(2)).toEqual([
      ['2026-01-06', 10_050],
      ['2026-01-07', 10_120],
      ['2026-01-08', 10_090],
    ]);
  });

  it('starts a new line for a run newer than the recorded curve', () => {
    const points = equitySeries(perf, [portfolio('9', 6, '2025-01-02', 10_000), portfolio('10', 6, '2025-01-03', 9_950)]);
    expect(points.map((p) => p.equity)).toEqual([10_000, 9_950]);
  });

  it('ends at the latest marked-to-market portfolio when it is newer than any event', () => {
    const latest = { date: '2026-01-09', cash: 0, equity: 10_300, positions: [], return_pct: 3, trade_count: 1, run_id: 5 };
    const points = equitySeries(perf, [portfolio('2', 5, '2026-01-06', 10_200)], latest);
    expect(points.map((p) => [p.date, p.equity]).slice(-2)).toEqual([
      ['2026-01-06', 10_200],
      ['2026-01-09', 10_300],
    ]);
    expect(equitySeries(perf, [], { ...latest, run_id: 4 })).toHaveLength(2);
  });

  it('is the recorded curve alone without events', () => {
    expect(equitySeries(perf, [])).toHaveLength(2);
    expect(equitySeries(null, [])).toEqual([]);
  });
});

describe('thinPoints', () => {
  it('keeps at most the points asked for, evenly, with the first and the last', () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const thin = thinPoints(points, 101);
    expect(thin).toHaveLength(101);
    expect(thin[0]).toBe(0);
    expect(thin.at(-1)).toBe(1000);
    expect(thin[50]).toBe(500);
    expect(thinPoints(points.slice(0, 50), 101)).toHaveLength(50);
  });
});
