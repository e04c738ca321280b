import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '../../lib/utils';

const badgeVariants = cva('inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap', {
  variants: {
    variant: {
      default: 'border-border bg-muted text-muted-foreground',
      live: 'border-profit/20 bg-profit/10 text-profit',
      success: 'border-profit/30 bg-transparent text-profit',
      info: 'border-info/20 bg-info/10 text-blue-400',
      danger: 'border-loss/20 bg-loss/10 text-red-400',
      warn: 'border-warn/20 bg-warn/10 text-warn',
    },
  },
  defaultVariants: { variant: 'default' },
});

export function Badge({ className, variant, ...props }: ComponentProps<'span'> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ variant }), className)} {...props} />;
}

/** The pulsing green dot of something running right now. */
export function PulseDot({ className }: { className?: string }) {
  return <span aria-hidden className={cn('size-2 rounded-full bg-profit animate-pulse-dot', className)} />;
}

export function LiveBadge({ className }: { className?: string }) {
  return (
    <Badge variant="live" className={className} data-testid="live-badge">
      <PulseDot />
      Live
    </Badge>
  );
}
