import type { ComponentProps } from 'react';
import { cn } from '../../lib/utils';

/** A table that scrolls sideways inside its own box instead of widening the page. */
export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <div className="w-full overflow-x-auto">
      <table className={cn('w-full caption-bottom text-sm tabular', className)} {...props} />
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
export const TD = ({ className, ...props }: ComponentProps<'td'>) => (
  <td className={cn('px-3 py-2 whitespace-nowrap', className)} {...props} />
);
