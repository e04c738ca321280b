import { memo } from 'react';
import { thinPoints, type EquityPointView } from '../hooks/equity-series';
import { formatMoney, formatPct } from '../lib/format';

/** Points a 200-unit-wide sparkline can tell apart. */
const MAX_SPARK_POINTS = 100;

/** A tiny equity line in plain SVG: cheap enough to redraw for every card on every frame. */
export const Sparkline = memo(function Sparkline({ points, height = 40 }: { points: EquityPointView[]; height?: number }) {
  if (points.length < 2) {
    return <div style={{ height }} className="flex items-center text-xs text-subtle" data-testid="sparkline-empty">No equity history yet</div>;
  }
  const width = 200;
  const shown = thinPoints(points, MAX_SPARK_POINTS);
  let min = Infinity;
  let max = -Infinity;
  for (const p of shown) {
    min = Math.min(min, p.equity);
    max = Math.max(max, p.equity);
  }
  const span = max - min || 1;
  const step = width / (shown.length - 1);
  const d = shown
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(height - 2 - ((p.equity - min) / span) * (height - 4)).toFixed(1)}`)
    .join('');
  const first = points[0]!;
  const last = points.at(-1)!;
  const up = last.equity >= first.equity;
  const label = `Equity trend from ${first.date} to ${last.date}: ${formatMoney(first.equity)} to ${formatMoney(last.equity)} (${formatPct((last.equity / first.equity - 1) * 100)})`;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="block w-full" style={{ height }} data-testid="sparkline" role="img" aria-label={label}>
      <path d={d} fill="none" stroke={up ? '#10b981' : '#ef4444'} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
    </svg>
  );
});
