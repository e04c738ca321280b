import type { TradingStatus } from '@tradewire/contract';
import { fmt, formatDate } from '../lib/format';
import { cn } from '../lib/utils';
import { PulseDot } from './ui/badge';

type Progress = NonNullable<TradingStatus['progress']>;

/** "Day n of N · date" with a bar: how far a run has come through its date range. */
export function RunProgress({ progress, testId, size = 'sm', live = false }: { progress: Progress; testId: string; size?: 'sm' | 'md'; live?: boolean }) {
  // A live run has no end: it counts bars and names the latest one.
  if (live) {
    return (
      <p className="flex items-center gap-2 text-xs text-subtle tabular" data-testid={testId} data-mode="live">
        <PulseDot />
        Live · bar {fmt.count(progress.step)} · {barTime(progress.date)}
      </p>
    );
  }
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

/** A bar's date as people read it: the day for daily bars, the day and time for intraday ones. */
const barTime = (date: string) => (date.length > 10 ? fmt.dateTime(date) : formatDate(date));
