import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useId } from 'react';
import { ariaSort, type SortDirection, type SortState } from '../lib/table-sort';
import { cn } from '../lib/utils';
import { TH } from './ui/table';

/** A column header that sorts its table: a button inside the `th`, which carries `aria-sort`. */
export function SortHeader<K extends string>({
  sort,
  column,
  onSort,
  className,
  children,
}: {
  sort: SortState<K>;
  column: K;
  onSort: (column: K) => void;
  className?: string;
  children: string;
}) {
  const state = ariaSort(sort, column);
  const Icon = state === 'ascending' ? ArrowUp : state === 'descending' ? ArrowDown : ArrowUpDown;
  const right = className?.includes('text-right');
  return (
    <TH aria-sort={state} className={cn('px-1', className)}>
      <button
        type="button"
        onClick={() => onSort(column)}
        className={cn(
          'inline-flex h-8 items-center gap-1 rounded-md px-2 font-medium hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
          right && 'flex-row-reverse',
          state !== 'none' && 'text-foreground',
        )}
        data-testid={`sort-${column}`}
      >
        {children}
        <Icon className={cn('size-3.5', state === 'none' && 'opacity-40')} aria-hidden />
      </button>
    </TH>
  );
}

/**
 * The same sorting as a pair of selects, for phones: there the table is a list of cards and its
 * headers are hidden. `className` decides where it shows (e.g. `sm:hidden`).
 */
export function SortSelect<K extends string>({
  sort,
  options,
  onChange,
  className,
  testId,
}: {
  sort: SortState<K>;
  options: readonly { key: K; label: string }[];
  onChange: (sort: SortState<K>) => void;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  const select = 'h-9 rounded-md border border-border bg-background px-2 text-sm text-foreground';
  return (
    <div className={cn('flex flex-wrap items-center gap-2 text-sm text-muted-foreground', className)} data-testid={testId}>
      <label htmlFor={`${id}-key`}>Sort by</label>
      <select id={`${id}-key`} className={select} value={sort.key} onChange={(e) => onChange({ key: e.target.value as K, direction: sort.direction })}>
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Order"
        className={select}
        value={sort.direction}
        onChange={(e) => onChange({ key: sort.key, direction: e.target.value as SortDirection })}
      >
        <option value="asc">Ascending</option>
        <option value="desc">Descending</option>
      </select>
    </div>
  );
}
