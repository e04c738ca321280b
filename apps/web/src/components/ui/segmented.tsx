import * as ToggleGroup from '@radix-ui/react-toggle-group';
import { cn } from '../../lib/utils';

/**
 * One choice out of a few, as a row of pressed/unpressed buttons (one tab stop, arrow keys move
 * between them). A click on the chosen one keeps it chosen: there is always a value.
 */
export function Segmented<V extends string>({
  value,
  options,
  onChange,
  label,
  className,
  testId,
}: {
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  /** The group's accessible name. */
  label: string;
  className?: string;
  testId?: string;
}) {
  return (
    <ToggleGroup.Root
      type="single"
      value={value}
      onValueChange={(v) => v && onChange(v as V)}
      aria-label={label}
      loop
      className={cn('inline-flex items-center gap-1 rounded-lg border border-border bg-card p-1', className)}
      data-testid={testId}
    >
      {options.map((o) => (
        <ToggleGroup.Item
          key={o.value}
          value={o.value}
          className="rounded-md px-3 py-1 text-sm text-muted-foreground transition-colors hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none data-[state=on]:bg-muted data-[state=on]:text-foreground"
          data-testid={testId ? `${testId}-${o.value}` : undefined}
        >
          {o.label}
        </ToggleGroup.Item>
      ))}
    </ToggleGroup.Root>
  );
}
