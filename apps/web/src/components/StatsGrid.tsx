import { errorMessage } from '../api/client';
import type { ReactNode } from 'react';
import { fmt, formatMoney, formatPct, formatSignedMoney, pnlClass } from '../lib/format';
import { cn } from '../lib/utils';
import { useLiveStats } from '../hooks/use-live-stats';
import { useStale } from '../hooks/use-stale';
import { StaleNote } from './states';
import { Card } from './ui/card';
import { Skeleton } from './ui/skeleton';

function Stat({ label, testId, children, sub }: { label: string; testId: string; children: ReactNode; sub?: ReactNode }) {
  return (
    <Card className="min-w-0 p-4" data-testid={testId}>
      <p className="text-xs text-muted-foreground">{label}</p>
      <p className="mt-1 truncate text-lg font-semibold tabular sm:text-xl 2xl:text-2xl" data-testid={`${testId}-value`}>
        {children}
      </p>
      {sub && <p className="mt-0.5 truncate text-xs tabular">{sub}</p>}
    </Card>
  );
}

/** Total equity, total P/L and %, active runs, trades today: live between refetches. */
export function StatsGrid() {
  const { stats, isLoading, error } = useLiveStats();
  const stale = useStale({ isError: error !== null, data: stats });
  // Last-known totals stay up (marked stale) through an outage; an error text only when there are none.
  if (error && !stats) return <p className="text-sm text-loss">Could not load totals: {errorMessage(error)}</p>;
  if (isLoading || !stats) {
    return (
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-24 rounded-xl" />
        ))}
      </div>
    );
  }
  return (
    <div className={cn('grid grid-cols-2 gap-3 lg:grid-cols-4', stale && 'opacity-60')} data-testid="stats-grid" data-stale={stale || undefined}>
      {stale && <StaleNote className="col-span-full" />}
      <Stat label="Total equity" testId="stat-total-equity">
        {formatMoney(stats.total_equity)}
      </Stat>
      <Stat
        label="Total P/L"
        testId="stat-total-pnl"
        sub={<span className={pnlClass(stats.total_pnl_pct)}>{formatPct(stats.total_pnl_pct)}</span>}
      >
        <span className={cn(pnlClass(stats.total_pnl))}>{formatSignedMoney(stats.total_pnl)}</span>
      </Stat>
      <Stat label="Active runs" testId="stat-active-runs">
        {fmt.count(stats.active_runs)}
      </Stat>
      <Stat label="Trades today" testId="stat-trades-today">
        {fmt.count(stats.trades_today)}
      </Stat>
    </div>
  );
}
