import { describe, expect, it } from 'vitest';
import { ariaSort, nextSort, sortRows, type SortState } from './table-sort';

type Row = { id: number; name: string; amount: number | null };
const rows: Row[] = [
  { id: 1, name: 'b', amount: 5 },
  { id: 2, name: 'a', amount: null },
  { id: 3, name: 'c', amount: -2 },
  { id: 4, name: 'a', amount: 5 },
];
const value = (r: Row, key: 'name' | 'amount') => r[key];
const ids = (sorted: Row[]) => sorted.map((r) => r.id);

describe('sortRows', () => {
  it('sorts numbers as numbers both ways, nulls last either way', () => {
    expect(ids(sortRows(rows, { key: 'amount', direction: 'asc' }, value))).toEqual([3, 1, 4, 2]);
    expect(ids(sortRows(rows, { key: 'amount', direction: 'desc' }, value))).toEqual([1, 4, 3, 2]);
  });

  it('keeps equal values in their original order (stable), whatever the direction', () => {
    expect(ids(sortRows(rows, { key: 'name', direction: 'asc' }, value))).toEqual([2, 4, 1, 3]);
    expect(ids(sortRows(rows, { key: 'name', direction: 'desc' }, value))).toEqual([3, 1, 2, 4]);
  });

  it('compares ISO dates as text, and leaves its input alone', () => {
    const days = [{ d: '2026-10-02' }, { d: '2026-09-30' }, { d: '2026-10-01' }];
    const copy = structuredClone(days);
    expect(sortRows(days, { key: 'd', direction: 'asc' }, (r) => r.d).map((r) => r.d)).toEqual(['2026-09-30', '2026-10-01', '2026-10-02']);
    expect(days).toEqual(copy);
  });
});

describe('nextSort and ariaSort', () => {
  it('flips the sorted column and starts another in its own first direction', () => {
    const s: SortState<'name' | 'amount'> = { key: 'name', direction: 'asc' };
    expect(nextSort(s, 'name', 'asc')).toEqual({ key: 'name', direction: 'desc' });
    expect(nextSort(nextSort(s, 'name', 'asc'), 'name', 'asc')).toEqual(s);
    expect(nextSort(s, 'amount', 'desc')).toEqual({ key: 'amount', direction: 'desc' });
    expect(ariaSort(s, 'name')).toBe('ascending');
    expect(ariaSort({ key: 'name', direction: 'desc' }, 'name')).toBe('descending');
    expect(ariaSort(s, 'amount')).toBe('none');
  });
});
