import { fmt } from '../lib/format';

/** A window of time in epoch ms, `start < end`. */
export interface TimeView {
  start: number;
  end: number;
}

/** The narrowest window a user can zoom into. */
export const MIN_SPAN_MS = 10;

/**
 * The window that shows every time in `times`, padded a little on each side so the first and
 * last dots are not cut in half; a single instant gets a window around it.
 */
export function timeExtent(times: readonly number[]): TimeView | null {
  if (times.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const pad = Math.max((hi - lo) * 0.02, MIN_SPAN_MS);
  return { start: lo - pad, end: hi + pad };
}

/** x in [0, width] for time `t` in `view` (outside the view maps outside the range). */
export function timeToX(t: number, view: TimeView, width: number): number {
  return ((t - view.start) / (view.end - view.start)) * width;
}

export function xToTime(x: number, view: TimeView, width: number): number {
  return view.start + (x / width) * (view.end - view.start);
}

/** Keeps `view` inside `bounds`, moving it rather than shrinking it when it fits. */
export function clampView(view: TimeView, bounds: TimeView): TimeView {
  const span = Math.min(view.end - view.start, bounds.end - bounds.start);
  let start = Math.max(bounds.start, Math.min(view.start, bounds.end - span));
  if (!Number.isFinite(start)) start = bounds.start;
  return { start, end: start + span };
}

/**
 * Zooms by `factor` (> 1 in, < 1 out) keeping time `anchor` at the same place on screen;
 * never narrower than MIN_SPAN_MS nor wider than `bounds`.
 */
export function zoomView(view: TimeView, factor: number, anchor: number, bounds: TimeView): TimeView {
  const span = view.end - view.start;
  const next = Math.min(bounds.end - bounds.start, Math.max(MIN_SPAN_MS, span / factor));
  const at = (anchor - view.start) / span;
  return clampView({ start: anchor - at * next, end: anchor - at * next + next }, bounds);
}

/** Moves the window by `deltaMs`, staying inside `bounds`. */
export function panView(view: TimeView, deltaMs: number, bounds: TimeView): TimeView {
  return clampView({ start: view.start + deltaMs, end: view.end + deltaMs }, bounds);
}

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

/** Round times in `view`, about `count` of them, at a step a clock reads naturally (ms to days). */
export function timeTicks(view: TimeView, count: number): { step: number; ticks: number[] } {
  const rough = (view.end - view.start) / Math.max(1, count);
  const step = STEPS.find((s) => s >= rough) ?? Math.ceil(rough / 864e5) * 864e5;
  const ticks: number[] = [];
  for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) ticks.push(t);
  return { step, ticks };
}

/** A tick label precise enough for the step, in the dashboard's clock and date styles: milliseconds only when ticks are under a second apart. */
export function formatTick(t: number, step: number): string {
  const d = new Date(t);
  if (step < 1_000) return `${fmt.clock(d)} +${String(d.getMilliseconds()).padStart(3, '0')} ms`;
  if (step >= 864e5) return fmt.date(d.toISOString());
  return fmt.clock(d, step < 6e4 ? 'seconds' : 'minutes');
}
