import type { Bar } from '@tradewire/contract';

/**
 * The bars of `history` dated after `lastSeen`, oldest first: what a strategy has not yet fed to
 * its indicators. decide() runs in date order, so this is usually one bar and indicators update
 * incrementally (O(n) per run, not O(n²)); it works whether history is complete or a trailing window.
 */
export function barsAfter(history: readonly Readonly<Bar>[], lastSeen: string | undefined): readonly Readonly<Bar>[] {
  if (lastSeen === undefined) return history;
  let first = history.length;
  while (first > 0 && history[first - 1]!.date > lastSeen) first--;
  return history.slice(first);
}
