import type { TradingEvent } from '@tradewire/contract';

/** Most x positions the live chart keeps; past it, neighbouring trading days share a position. */
export const MAX_CHART_POINTS = 512;

interface ReturnSeries {
  runId: number | null;
  /** Return since the run's start (%) per position of `days`; null where the run has no point. */
  returns: (number | null)[];
}

/**
 * The live chart's data: each model's return since its run's start, by trading day since that
 * start, kept as columns a canvas chart draws as they are (x, then one column per model). It is
 * updated in place and bounded: past `cap` positions, pairs of positions merge (the later day
 * wins) and a position spans twice the days, so a run of any length keeps at most `cap` points.
 */
export class ReturnColumns {
  /** Trading days per position: 1, 2, 4, ... */
  stride = 1;
  /** The first trading day of each position, ascending. */
  readonly days: number[] = [];
  /** Model ids in the order they first traded: the colour order. */
  readonly modelIds: number[] = [];
  private readonly series = new Map<number, ReturnSeries>();

  constructor(private readonly cap = MAX_CHART_POINTS) {}

  /** Takes the `progress` events of one delivery; true when a point changed. */
  add(events: readonly TradingEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (e.type !== 'progress' || e.model_id === null) continue;
      this.put(e.model_id, e.run_id, e.data.step, e.data.return_pct);
      changed = true;
    }
    return changed;
  }

  /** Records a model's return on trading day `day` of run `runId`; a new run starts its line over. */
  put(modelId: number, runId: number | null, day: number, returnPct: number) {
    let s = this.series.get(modelId);
    if (!s) {
      s = { runId, returns: new Array<number | null>(this.days.length).fill(null) };
      this.series.set(modelId, s);
      this.modelIds.push(modelId);
    } else if (s.runId !== runId) {
      s.runId = runId;
      s.returns.fill(null);
      this.trimEmptyTail();
    }
    const d = Math.max(0, day);
    let slot = Math.floor(d / this.stride);
    while (slot >= this.cap) {
      this.halve();
      slot = Math.floor(d / this.stride);
    }
    while (this.days.length <= slot) {
      this.days.push(this.days.length * this.stride);
      for (const t of this.series.values()) t.returns.push(null);
    }
    s.returns[slot] = returnPct;
  }

  /**
   * Lays a run's stored curve under its line (returns by trading day, day 1 first): what a tab
   * that opens mid-run or after the run did not hear. Ignored when the line already follows
   * another run (a newer one started since the curve was fetched); true when it was laid.
   */
  seed(modelId: number, runId: number, returns: readonly number[]): boolean {
    const s = this.series.get(modelId);
    if (s && s.runId !== runId) return false;
    returns.forEach((r, i) => {
      // A point the stream already gave stays: it is as new or newer.
      const slot = Math.floor((i + 1) / this.stride);
      const current = this.series.get(modelId)?.returns[slot];
      if (current === undefined || current === null) this.put(modelId, runId, i + 1, r);
    });
    return returns.length > 0;
  }

  /** The column of a model's returns, aligned with `days` (the same array until it is rebuilt). */
  returnsOf(modelId: number): readonly (number | null)[] | undefined {
    return this.series.get(modelId)?.returns;
  }

  /** The model's latest point: the trading day it stands for and the return then. */
  latest(modelId: number): { day: number; returnPct: number } | null {
    const r = this.series.get(modelId)?.returns;
    if (!r) return null;
    for (let i = r.length - 1; i >= 0; i--) if (r[i] !== null) return { day: this.days[i]!, returnPct: r[i]! };
    return null;
  }

  /** The first trading day any line has a point on (a tab that joined mid-run has none before it); null when empty. */
  firstDay(): number | null {
    const all = [...this.series.values()];
    for (let i = 0; i < this.days.length; i++) if (all.some((s) => s.returns[i] !== null)) return this.days[i]!;
    return null;
  }

  private halve() {
    this.stride *= 2;
    const length = Math.ceil(this.days.length / 2);
    for (const s of this.series.values()) {
      for (let i = 0; i < length; i++) s.returns[i] = s.returns[2 * i + 1] ?? s.returns[2 * i] ?? null;
      s.returns.length = length;
    }
    this.days.length = length;
    for (let i = 0; i < length; i++) this.days[i] = i * this.stride;
  }

  /** Drops positions past every line's last point (a long run replaced by a new one). */
  private trimEmptyTail() {
    let end = this.days.length;
    const all = [...this.series.values()];
    while (end > 0 && all.every((s) => s.returns[end - 1] === null)) end--;
    if (end === this.days.length) return;
    this.days.length = end;
    for (const s of all) s.returns.length = end;
  }
}

export interface EquityTrack {
  runId: number | null;
  /** Daily equity of the run, ascending by date, one point per date. */
  points: { date: string; equity: number }[];
  /** The latest return of the run, in percent. */
  returnPct: number | null;
}

export type EquityTracks = ReadonlyMap<number, EquityTrack>;

/**
 * Extends each model's equity curve by the `progress` and `portfolio` events of one delivery (the
 * arena's leaderboard); a model's new run starts a fresh curve. A changed curve is copied once per
 * delivery, not per event; returns `tracks` itself when nothing changed.
 */
export function appendDailyEquity(tracks: EquityTracks, events: readonly TradingEvent[]): EquityTracks {
  let next: Map<number, EquityTrack> | null = null;
  const copied = new Set<number>();
  for (const e of events) {
    if (e.type !== 'progress' && e.type !== 'portfolio') continue;
    const date = e.data.date;
    if (date === null || e.model_id === null) continue;
    next ??= new Map(tracks);
    const prev = next.get(e.model_id);
    let track: EquityTrack;
    if (prev && prev.runId === e.run_id) {
      track = copied.has(e.model_id) ? prev : { ...prev, points: [...prev.points] };
      track.returnPct = e.data.return_pct;
    } else {
      track = { runId: e.run_id, points: [], returnPct: e.data.return_pct };
    }
    copied.add(e.model_id);
    const last = track.points.at(-1);
    if (last && last.date === date) track.points[track.points.length - 1] = { date, equity: e.data.equity };
    else if (!last || last.date < date) track.points.push({ date, equity: e.data.equity });
    next.set(e.model_id, track);
  }
  return next ?? tracks;
}

/** Distinct, readable line colours on the dark theme, cycled by series index. */
export const SERIES_COLORS = ['#10b981', '#3b82f6', '#f59e0b', '#ef4444', '#a855f7', '#14b8a6', '#ec4899', '#84cc16', '#f97316', '#6366f1'];
