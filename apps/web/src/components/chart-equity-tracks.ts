import type { TradingEvent } from '@tradewire/contract';

export interface EquityTrack {
  runId: number | null;
  /** Daily equity of the run, ascending by date, one point per date. */
  points: { date: string; equity: number }[];
  /** The latest return of the run, in percent. */
  returnPct: number | null;
}

export type EquityTracks = ReadonlyMap<number, EquityTrack>;

/**
 * Extends each model's live equity curve by the `progress` and `portfolio` events of one
 * delivery; a model's new run starts a fresh curve. Returns `tracks` itself when nothing changed.
 */
export function appendDailyEquity(tracks: EquityTracks, events: readonly TradingEvent[]): EquityTracks {
  let next: Map<number, EquityTrack> | null = null;
  for (const e of events) {
    if (e.type !== 'progress' && e.type !== 'portfolio') continue;
    const date = e.data.date;
    if (date === null || e.model_id === null) continue;
    next ??= new Map(tracks);
    const prev = next.get(e.model_id);
    const track: EquityTrack =
      prev && prev.runId === e.run_id ? { ...prev, points: [...prev.points], returnPct: e.data.return_pct } : { runId: e.run_id, points: [], returnPct: e.data.return_pct };
    const last = track.points.at(-1);
    if (last && last.date === date) track.points[track.points.length - 1] = { date, equity: e.data.equity };
    else if (!last || last.date < date) track.points.push({ date, equity: e.data.equity });
    next.set(e.model_id, track);
  }
  return next ?? tracks;
}

/** One row per date with each model's equity under `m<id>`, the shape a multi-line chart wants. */
export function equityRows(tracks: EquityTracks, modelIds: readonly number[]) {
  const byDate = new Map<string, { date: string } & Record<string, number | string>>();
  for (const id of modelIds) {
    for (const p of tracks.get(id)?.points ?? []) {
      let row = byDate.get(p.date);
      if (!row) byDate.set(p.date, (row = { date: p.date }));
      row[`m${id}`] = p.equity;
    }
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Distinct, readable line colours on the dark theme, cycled by series index. */
export const SERIES_COLORS = ['#10b981', '#3b82f6', '#f59e0b', '#ef4444', '#a855f7', '#14b8a6', '#ec4899', '#84cc16', '#f97316', '#6366f1'];
