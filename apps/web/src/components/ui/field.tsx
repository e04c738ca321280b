import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';
import { cn } from '../../lib/utils';
import { Label } from './input';

/**
 * A labelled form control with its hint and error under it. The control gets its id,
 * `aria-invalid` and `aria-describedby` so screen readers read the error with the field.
 */
export function Field({
  label,
  name,
  error,
  hint,
  className,
  children,
}: {
  label: ReactNode;
  name: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cn('grid min-w-0 grid-cols-1 gap-1.5', className)} data-field={name}>
      <Label htmlFor={id}>{label}</Label>
      {cloneElement(children, { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && !error && (
        <p id={hintId} className="text-xs text-subtle">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs text-loss" data-testid={`field-error-${name}`}>
          {error}
        </p>
      )}
    </div>
  );
}
