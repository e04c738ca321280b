import type { Bar } from '@tradewire/contract';

const DAY_MS = 86_400_000;

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

/** True for a real calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = toDate(s);
  return !Number.isNaN(d.getTime()) && toIso(d) === s;
}

/** Monday to Friday dates from `first` to `last` inclusive, oldest first. */
export function weekdays(first: string, last: string): string[] {
  const days: string[] = [];
  const end = toDate(last).getTime();
  for (let t = toDate(first).getTime(); t <= end; t += DAY_MS) {
    const d = new Date(t);
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) days.push(toIso(d));
  }
  return days;
}

/** The day after the same date `years` earlier: `years` whole years ending on `last`. */
export function yearsBefore(last: string, years: number): string {
  const d = toDate(last);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return toIso(new Date(d.getTime() + DAY_MS));
}

/** Index of the first item for which `past` holds, given it holds for a suffix of the list. */
function firstWhere<T>(items: readonly T[], past: (t: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The part of an oldest-first list dated within [from, to] (both inclusive, both optional). */
function between<T>(items: readonly T[], dateOf: (t: T) => string, from?: string, to?: string): T[] {
  const start = from ? firstWhere(items, (t) => dateOf(t) >= from) : 0;
  const end = to ? firstWhere(items, (t) => dateOf(t) > to) : items.length;
  return items.slice(start, end);
}

export const barsBetween = (bars: readonly Bar[], from?: string, to?: string) => between(bars, (b) => b.date, from, to);
export const datesBetween = (dates: readonly string[], from?: string, to?: string) => between(dates, (d) => d, from, to);

/** The date `days` days after `iso` (before, when negative). */
export const addDays = (iso: string, days: number) => toIso(new Date(toDate(iso).getTime() + days * DAY_MS));

/** Seconds since the epoch at 00:00 UTC of a date. */
export const unixDay = (iso: string) => toDate(iso).getTime() / 1000;
