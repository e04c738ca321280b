import type { ReactNode } from 'react';
import type { ActionFilter } from '../api/search';
import { cn } from '../lib/utils';

/** A toggle in a row of filters: pressed shows it in force. */
export function FilterChip({
  pressed,
  onToggle,
  testId,
  strong = false,
  children,
}: {
  pressed: boolean;
  onToggle: () => void;
  testId: string;
  /** A filter of another kind than the type chips beside it (e.g. "Fills only"). */
  strong?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onToggle}
      data-testid={testId}
      className={cn(
        'rounded-full border px-2 py-0.5 text-xs transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
        strong && 'font-medium',
        pressed ? 'border-foreground/40 bg-muted text-foreground' : 'border-border text-muted-foreground hover:text-foreground',
      )}
    >
      {children}
    </button>
  );
}

const ACTIONS = ['buy', 'sell', 'hold'] as const;

/** The action a select or URL value names, or null for any. */
export const actionOf = (v: string | null): ActionFilter => (ACTIONS as readonly string[]).includes(v ?? '') ? (v as ActionFilter) : null;

/** Any action, buys, sells or holds: the same choice in the feed and in search. */
export function ActionSelect({ value, onChange, testId, className }: { value: ActionFilter; onChange: (a: ActionFilter) => void; testId: string; className?: string }) {
  return (
    <select
      aria-label="Filter by action"
      data-testid={testId}
      value={value ?? ''}
      onChange={(e) => onChange(actionOf(e.target.value))}
      className={cn('rounded-md border border-input bg-background px-2 text-muted-foreground', className)}
    >
      <option value="">Any action</option>
      <option value="buy">Buys</option>
      <option value="sell">Sells</option>
      <option value="hold">Holds</option>
    </select>
  );
}
