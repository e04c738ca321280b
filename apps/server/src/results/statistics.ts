import { weekdays } from '../market/calendar.js';

/** Trading days a year, as the run metrics count them. */
export const TRADING_DAYS_PER_YEAR = 252;
/** Below this a standard deviation is float noise on a constant series, not risk. */
export const NO_DISPERSION = 1e-12;

export const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
export const mean = (values: readonly number[]) => (values.length === 0 ? 0 : sum(values) / values.length);

/** Sample covariance (n - 1); 0 for fewer than two pairs. */
export function covariance(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mx = mean(xs);
  const my = mean(ys);
  return sum(xs.map((x, i) => (x - mx) * (ys[i]! - my))) / (xs.length - 1);
}

/** Sample standard deviation (n - 1), as the run metrics use; 0 for fewer than two values. */
export const sampleStd = (values: readonly number[]) => Math.sqrt(covariance(values, values));

/** Simple returns between consecutive values. */
export const dailyReturns = (values: readonly number[]) => values.slice(1).map((v, i) => v / values[i]! - 1);

/** 4 decimals, and never -0 (it would print as "-0"). */
export const round4 = (x: number) => Math.round(x * 10_000) / 10_000 + 0;

const dayOf = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000;

export const calendarDaysBetween = (from: string, to: string) => Math.round(dayOf(to) - dayOf(from));

/** Index of the first date in an oldest-first list that is on or after `date`. */
function sessionIndex(calendar: readonly string[], date: string): number {
  let lo = 0;
  let hi = calendar.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (calendar[mid]! < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Trading sessions from `from` to `to`: 0 on the same day, 1 on the next session. Counted on
 * `calendar` (oldest first) when given, else on weekdays.
 */
export function sessionsBetween(from: string, to: string, calendar?: readonly string[]): number {
  if (to <= from) return 0;
  if (calendar) return sessionIndex(calendar, to) - sessionIndex(calendar, from);
  return weekdays(from.slice(0, 10), to.slice(0, 10)).length - 1;
}
