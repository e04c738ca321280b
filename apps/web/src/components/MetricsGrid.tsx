import type { Metrics } from '@tradewire/contract';
import { fmt, formatPct, pnlClass } from '../lib/format';

const num = (v: number | null, digits = 2) => (v === null ? '—' : fmt.decimal(v, digits));
const pct = (v: number | null) => (v === null ? '—' : fmt.unsignedPct(v));

export function MetricsGrid({ metrics }: { metrics: Metrics | null }) {
  if (!metrics) return <p className="text-sm text-subtle" data-testid="metrics-empty">Metrics appear when a run has finished a few days.</p>;
  const items: [string, string, string?][] = [
    ['Total return', formatPct(metrics.total_return_pct), pnlClass(metrics.total_return_pct)],
    [
      'Annualised return',
      metrics.annualized_return_pct === null ? '—' : formatPct(metrics.annualized_return_pct),
      pnlClass(metrics.annualized_return_pct ?? 0),
    ],
    ['Volatility (ann.)', pct(metrics.annualized_volatility_pct)],
    ['Sharpe', num(metrics.sharpe)],
    ['Sortino', num(metrics.sortino)],
    ['Max drawdown', formatPct(-Math.abs(metrics.max_drawdown_pct)), metrics.max_drawdown_pct !== 0 ? 'text-loss' : undefined],
    ['Win rate', pct(metrics.win_rate_pct)],
    ['Profit factor', num(metrics.profit_factor)],
    ['Trades', fmt.count(metrics.trade_count)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="metrics-grid">
      {items.map(([label, value, tone]) => (
        <div key={label} className="min-w-0 rounded-lg border border-border p-3">
          <dt className="truncate text-xs text-subtle">{label}</dt>
          <dd className={`mt-0.5 truncate font-medium tabular ${tone ?? ''}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
