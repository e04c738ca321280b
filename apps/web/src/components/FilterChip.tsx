import type { ReactNode } from 'react';
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
