import { useEffect, useRef, useState, type ComponentProps } from 'react';
import { cn } from '../../lib/utils';

/** Whether the element is wider inside than out, following resizes of it and its content. */
function useOverflowsSideways<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    const ro = new ResizeObserver(check);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    check();
    return () => ro.disconnect();
  }, []);
  return [ref, overflows] as const;
}

/**
 * A table that scrolls sideways inside its own box instead of widening the page; when it does,
 * the box is a named, focusable region so keyboard users can scroll it too. Under 640 px it
 * becomes one card per row (cells name their column with `label`).
 */
export function Table({ className, 'aria-label': label, ...props }: ComponentProps<'table'>) {
  const [ref, overflows] = useOverflowsSideways<HTMLDivElement>();
  return (
    <div
      ref={ref}
      className="w-full overflow-x-auto rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      {...(overflows ? { tabIndex: 0, role: 'region', 'aria-label': label ?? 'Table' } : {})}
    >
      <table className={cn('stack-table w-full caption-bottom text-sm tabular', className)} aria-label={label} {...props} />
    </div>
  );
}

export const THead = ({ className, ...props }: ComponentProps<'thead'>) => (
  <thead className={cn('text-xs text-muted-foreground [&_tr]:border-b', className)} {...props} />
);
export const TBody = ({ className, ...props }: ComponentProps<'tbody'>) => (
  <tbody className={cn('[&_tr:last-child]:border-0', className)} {...props} />
);
export const TR = ({ className, ...props }: ComponentProps<'tr'>) => <tr className={cn('border-b border-border', className)} {...props} />;
export const TH = ({ className, ...props }: ComponentProps<'th'>) => (
  <th className={cn('h-9 px-3 text-left font-medium whitespace-nowrap', className)} {...props} />
);
/** `label`: the column's name, shown beside the value when the table is stacked on a phone. */
export const TD = ({ className, label, ...props }: ComponentProps<'td'> & { label?: string }) => (
  <td className={cn('px-3 py-2 whitespace-nowrap', className)} data-label={label} {...props} />
);
