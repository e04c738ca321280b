import { memo, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { EquityPointView } from '../hooks/equity-series';
import { formatMoney, formatMoneyTick, formatPct } from '../lib/format';
import { AXIS, CanvasChart, ChartDataTable, yAxisSize } from './chart-canvas';

const UP = '#10b981';
const DOWN = '#ef4444';
/** The benchmark's line: light grey, dashed, under the strategy's colour. */
export const BENCHMARK_COLOR = '#d4d4d4';

/** A curve drawn beside the run's for comparison (e.g. buy-and-hold of QQQ), by date. */
export interface EquityBenchmark {
  /** Its name in the legend and the text alternative, e.g. `QQQ buy-and-hold`. */
  label: string;
  points: readonly { date: string; equity: number }[];
}

/**
 * One run's daily equity: a straight line through the trading days (evenly spaced), filled below;
 * with `benchmark`, its curve as a dashed line on the same days.
 */
export const EquityChart = memo(function EquityChart({ points, height = 260, benchmark }: { points: EquityPointView[]; height?: number; benchmark?: EquityBenchmark | null }) {
  const up = points.length > 1 && points.at(-1)!.equity >= points[0]!.equity;
  // The axis reads the latest dates, so a growing curve redraws without rebuilding the canvas.
  const latest = useRef(points);
  latest.current = points;
  const hasBenchmark = benchmark != null;
  const options = useMemo(() => equityOptions(latest, up, hasBenchmark), [up, hasBenchmark]);
  // The benchmark on the run's own days (null where it has no value for one).
  const bench = useMemo(() => {
    if (!benchmark) return null;
    const byDate = new Map(benchmark.points.map((p) => [p.date, p.equity]));
    return points.map((p) => byDate.get(p.date) ?? null);
  }, [benchmark, points]);
  const data = useMemo(
    () => (bench ? [points.map((_, i) => i), points.map((p) => p.equity), bench] : [points.map((_, i) => i), points.map((p) => p.equity)]) as uPlot.AlignedData,
    [points, bench],
  );
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
  const benchFirst = bench?.find((v) => v !== null) ?? null;
  const benchLast = bench?.findLast((v) => v !== null) ?? null;
  const benchText =
    benchmark && benchFirst !== null && benchLast !== null
      ? `; ${benchmark.label} ${formatMoney(benchFirst)} to ${formatMoney(benchLast)} (${formatPct((benchLast / benchFirst - 1) * 100)})`
      : '';
  return (
    <div
      className="grid w-full min-w-0 grid-cols-1 gap-2"
      data-testid="equity-chart"
      data-points={points.length}
      data-last-date={last.date}
      data-benchmark={benchmark?.label}
      data-benchmark-points={bench ? bench.filter((v) => v !== null).length : undefined}
    >
      <CanvasChart
        options={options}
        data={data}
        height={height}
        label={`Equity from ${first.date} to ${last.date}: ${formatMoney(first.equity)} to ${formatMoney(last.equity)} (${formatPct(change)}), ${points.length} trading days${benchText}`}
        onCursor={(i) => {
          const p = i === null ? undefined : points[i];
          if (!p) return null;
          const b = bench?.[i!];
          return `${p.date} · ${formatMoney(p.equity)}${b != null ? ` · benchmark ${formatMoney(b)}` : ''}`;
        }}
      />
      {benchmark && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground" data-testid="equity-chart-legend">
          <li className="flex items-center gap-1.5">
            <span aria-hidden className="h-0.5 w-4 rounded" style={{ background: up ? UP : DOWN }} />
            This run
          </li>
          <li className="flex items-center gap-1.5">
            <span aria-hidden className="h-0 w-4 border-t-2 border-dashed" style={{ borderColor: BENCHMARK_COLOR }} />
            {benchmark.label}
          </li>
        </ul>
      )}
      <ChartDataTable
        caption="Equity by trading day"
        head={bench ? ['Date', 'Equity', benchmark!.label] : ['Date', 'Equity']}
        rows={() => points.map((p, i) => (bench ? [p.date, formatMoney(p.equity), bench[i] === null ? '—' : formatMoney(bench[i]!)] : [p.date, formatMoney(p.equity)]))}
        testId="equity-chart-data"
      />
    </div>
  );
});

function equityOptions(points: { readonly current: EquityPointView[] }, up: boolean, benchmark: boolean): Omit<uPlot.Options, 'width' | 'height'> {
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
      ...(benchmark ? [{ label: 'Benchmark', stroke: BENCHMARK_COLOR, width: 1.5, dash: [6, 4], points: { show: false } }] : []),
    ],
  };
}
