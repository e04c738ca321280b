import type { TradingEvent } from '@tradewire/contract';
import type { LatestPositions, Performance } from '../api/types';

export interface EquityPointView {
  date: string;
  equity: number;
}

type DailyEquity = Extract<TradingEvent, { type: 'progress' | 'portfolio' }>;

/**
 * The equity curve the server recorded, extended by the daily equity that arrived since
 * (`progress` every trading day, `portfolio` with fills) and by the latest marked-to-market
 * portfolio. A run newer than the recorded curve starts a fresh line.
 */
export function equitySeries(
  perf: Performance | null | undefined,
  events: readonly TradingEvent[],
  latest?: LatestPositions | null,
): EquityPointView[] {
  const daily = events.filter((e): e is DailyEquity => (e.type === 'progress' || e.type === 'portfolio') && e.data.date !== null);
  const latestRun = daily.at(-1)?.run_id ?? null;
  const sameRun = perf && (latestRun === null || latestRun === perf.run_id);
  const points: EquityPointView[] = sameRun ? perf.equity_curve.map((p) => ({ date: p.date, equity: p.equity })) : [];
  const lastDate = points.at(-1)?.date ?? '';
  const run = latestRun ?? perf?.run_id ?? null;
  const later = [...daily.filter((e) => e.run_id === run).map((e) => ({ date: e.data.date!, equity: e.data.equity }))];
  if (latest?.date && latest.run_id !== null && latest.run_id === run) later.push({ date: latest.date, equity: latest.equity });
  later.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const p of later) {
    if (p.date <= lastDate) continue;
    const prev = points.at(-1);
    if (prev && prev.date === p.date) prev.equity = p.equity;
    else points.push({ ...p });
  }
  return points;
}

/**
 * At most `max` points of a curve, evenly picked, always keeping the first and the last: what a
 * small chart can show, whatever the run's length.
 */
export function thinPoints<T>(points: readonly T[], max: number): readonly T[] {
  if (points.length <= max || max < 2) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}
