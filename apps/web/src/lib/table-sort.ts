/** Sorting of the results tables: a column, a direction, and a stable order for equal values. */

export type SortDirection = 'asc' | 'desc';

export interface SortState<K extends string> {
  key: K;
  direction: SortDirection;
}

/** A column's sort value: numbers compare as numbers, text (dates as `YYYY-MM-DD`) by code point; null sorts last either way. */
export type SortValue = number | string | null;

/**
 * A sorted copy of `rows` by `value(row, key)`. Equal values keep their original order (so a
 * table sorted by one column then another reads predictably); nulls always go to the end.
 */
export function sortRows<T, K extends string>(rows: readonly T[], sort: SortState<K>, value: (row: T, key: K) => SortValue): T[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row, sort.key) }))
    .sort((a, b) => {
      if (a.v === b.v) return a.index - b.index;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v) < String(b.v) ? -1 : 1;
      return c === 0 ? a.index - b.index : c * sign;
    })
    .map((x) => x.row);
}

/**
 * The next sort after a click on `key`'s header: the same column flips direction; another column
 * starts with `firstDirection` (text columns read best A→Z, amounts biggest first).
 */
export function nextSort<K extends string>(current: SortState<K>, key: K, firstDirection: SortDirection): SortState<K> {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: firstDirection };
}

/** The `aria-sort` of a column header. */
export function ariaSort<K extends string>(sort: SortState<K>, key: K): 'ascending' | 'descending' | 'none' {
  if (sort.key !== key) return 'none';
  return sort.direction === 'asc' ? 'ascending' : 'descending';
}
