import { memo, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { EquityPointView } from '../hooks/equity-series';
import { formatMoney, formatMoneyTick, formatPct } from '../lib/format';
import { AXIS, CanvasChart, ChartDataTable, yAxisSize } from './chart-canvas';

const UP = '#10b981';
const DOWN = '#ef4444';

/** One run's daily equity: a straight line through the trading days (evenly spaced), filled below. */
export const EquityChart = memo(function EquityChart({ points, height = 260 }: { points: EquityPointView[]; height?: number }) {
  const up = points.length > 1 && points.at(-1)!.equity >= points[0]!.equity;
  // The axis reads the latest dates, so a growing curve redraws without rebuilding the canvas.
  const latest = useRef(points);
  latest.current = points;
  const options = useMemo(() => equityOptions(latest, up), [up]);
  const data = useMemo(() => [points.map((_, i) => i), points.map((p) => p.equity)] as uPlot.AlignedData, [points]);
  if (points.length < 2) {
    return (
      <div className="grid place-items-center text-sm text-subtle" style={{ height }} data-testid="equity-chart-empty">
        No equity curve yet: start a run to draw one.
      </div>
    );
  }
  const first = points[0]!;
  const last = points.at(-1)!;
  const change = (last.equity / first.equity - 1) * 100;
  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2" data-testid="equity-chart" data-points={points.length} data-last-date={last.date}>
      <CanvasChart
        options={options}
        data={data}
        height={height}
        label={`Equity from ${first.date} to ${last.date}: ${formatMoney(first.equity)} to ${formatMoney(last.equity)} (${formatPct(change)}), ${points.length} trading days`}
        onCursor={(i) => (i === null || !points[i] ? null : `${points[i].date} · ${formatMoney(points[i].equity)}`)}
      />
      <ChartDataTable
        caption="Equity by trading day"
        head={['Date', 'Equity']}
        rows={() => points.map((p) => [p.date, formatMoney(p.equity)])}
        testId="equity-chart-data"
      />
    </div>
  );
});

function equityOptions(points: { readonly current: EquityPointView[] }, up: boolean): Omit<uPlot.Options, 'width' | 'height'> {
  const color = up ? UP : DOWN;
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      {
        ...AXIS,
        space: 90,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
        values: (_u, splits) => splits.map((i) => points.current[i]?.date ?? ''),
      },
      { ...AXIS, size: yAxisSize, values: (_u, splits, _a, _s, step) => splits.map((v) => formatMoneyTick(v, step)) },
    ],
    series: [
      {},
      {
        label: 'Equity',
        stroke: color,
        width: 2,
        points: { show: false },
        fill: (u) => {
          const g = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
          g.addColorStop(0, `${color}4d`);
          g.addColorStop(1, `${color}00`);
          return g;
        },
      },
    ],
  };
}
