import type { TradingStatus } from '@tradewire/contract';
import { fmt, formatDate } from '../lib/format';
import { cn } from '../lib/utils';

type Progress = NonNullable<TradingStatus['progress']>;

/** "Day n of N · date" with a bar: how far a run has come through its date range. */
export function RunProgress({ progress, testId, size = 'sm' }: { progress: Progress; testId: string; size?: 'sm' | 'md' }) {
  return (
    <div className="grid grid-cols-1 gap-1" data-testid={testId}>
      <div
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={progress.total_steps}
        aria-valuenow={progress.step}
        className={cn('overflow-hidden rounded-full bg-muted', size === 'md' ? 'h-1.5' : 'h-1')}
      >
        {/* Scaled, not sized: a step moves the bar without a layout (a width transition laid the page out every frame). */}
        <div className="h-full origin-left bg-info" style={{ transform: `scaleX(${Math.min(1, progress.step / Math.max(1, progress.total_steps))})` }} />
      </div>
      <p className="text-xs text-subtle tabular">
        Day {fmt.count(progress.step)} of {fmt.count(progress.total_steps)} · {formatDate(progress.date)}
      </p>
    </div>
  );
}
