import { memo } from 'react';
import type { EquityPointView } from '../hooks/equity-series';

/** A tiny equity line in plain SVG: cheap enough to redraw for every card on every frame. */
export const Sparkline = memo(function Sparkline({ points, height = 40 }: { points: EquityPointView[]; height?: number }) {
  if (points.length < 2) {
    return <div style={{ height }} className="flex items-center text-xs text-subtle" data-testid="sparkline-empty">No equity history yet</div>;
  }
  const width = 200;
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    min = Math.min(min, p.equity);
    max = Math.max(max, p.equity);
  }
  const span = max - min || 1;
  const step = width / (points.length - 1);
  const d = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(height - 2 - ((p.equity - min) / span) * (height - 4)).toFixed(1)}`)
    .join('');
  const up = points.at(-1)!.equity >= points[0]!.equity;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="block w-full" style={{ height }} data-testid="sparkline" aria-hidden>
      <path d={d} fill="none" stroke={up ? '#10b981' : '#ef4444'} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
    </svg>
  );
});
