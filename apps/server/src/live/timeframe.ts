import type { Bar } from '@tradewire/contract';
import type { LiveBar, Timeframe } from './ports.js';

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '1d'] as const satisfies readonly Timeframe[];

const MINUTE = 60_000;

/** A bar's length in ms; a daily bar is a trading session, whatever its hours. */
export const TIMEFRAME_MS: Record<Timeframe, number> = { '1m': MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1h': 60 * MINUTE, '1d': 1440 * MINUTE };

export const isIntraday = (tf: Timeframe) => tf !== '1d';

/**
 * The resolution bars are fetched at for `tf`: its own, except hours, which come as 15-minute bars
 * resampled to hours that start at the open (09:30, 10:30, ...): providers align hourly bars to
 * the clock (09:00), which would cut the first hour of the session in two.
 */
export const sourceTimeframe = (tf: Timeframe): Timeframe => (tf === '1h' ? '15m' : tf);

/** `2026-11-27T14:30:00Z`: the form every intraday bar start is written in. */
export const isoMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * A live bar as agents and storage see it: daily bars are dated `YYYY-MM-DD`, intraday ones by
 * their start instant, so string order is time order within one resolution.
 */
export const toBar = (b: LiveBar): Bar => ({
  date: b.timeframe === '1d' ? b.start.slice(0, 10) : b.start,
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  volume: b.volume,
});

/**
 * Resamples one symbol's bars (oldest first, finer than `to`) into `to` bars that start at
 * `anchor(start)`: each coarse bar opens with its first fine bar, closes with its last, spans
 * their highs and lows and sums their volume. `complete(start)` tells whether a coarse bar is over
 * (the caller knows the session's end); incomplete ones are left out.
 */
export function resample(
  bars: readonly LiveBar[],
  to: Timeframe,
  anchor: (startMs: number) => number,
  complete: (startMs: number, lastFineStartMs: number) => boolean,
): LiveBar[] {
  const out: LiveBar[] = [];
  const state: { bar: LiveBar | null; start: number; lastFine: number } = { bar: null, start: 0, lastFine: 0 };
  const flush = () => {
    if (state.bar && complete(state.start, state.lastFine)) out.push(state.bar);
  };
  for (const b of bars) {
    const t = Date.parse(b.start);
    const start = anchor(t);
    const bar = state.bar;
    if (bar && start === state.start) {
      state.bar = { ...bar, high: Math.max(bar.high, b.high), low: Math.min(bar.low, b.low), close: b.close, volume: bar.volume + b.volume };
    } else {
      flush();
      state.start = start;
      state.bar = { ...b, timeframe: to, start: isoMinute(start) };
    }
    state.lastFine = t;
  }
  flush();
  return out;
}
