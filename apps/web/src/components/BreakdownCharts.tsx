import { memo, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import type { ExposurePoint, PeriodProfit, ProfitPeriod } from '@tradewire/contract';
import { fmt, formatMoney, formatMoneyTick, formatPct, formatSignedMoney } from '../lib/format';
import { periodLabel, periodTick, profitBars, summarisePeriods } from './breakdown';
import { AXIS, CanvasChart, ChartDataTable, yAxisSize } from './chart-canvas';

const UP = '#10b981';
const DOWN = '#ef4444';
const EXPOSURE = '#60a5fa';

/** A y range that always includes 0, with a little room over the tallest bar. */
const withZero = (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => {
  const lo = Math.min(0, min ?? 0);
  const hi = Math.max(0, max ?? 0);
  const pad = (hi - lo) * 0.08 || 1;
  return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0];
};

/** Profit of each day, week or month as bars: gains green above zero, losses red below. */
export const ProfitBarsChart = memo(function ProfitBarsChart({ periods, period, height = 220 }: { periods: PeriodProfit[]; period: ProfitPeriod; height?: number }) {
  const latest = useRef({ periods, period });
  latest.current = { periods, period };
  const options = useMemo(() => profitOptions(latest), []);
  const data = useMemo(() => profitBars(periods) as uPlot.AlignedData, [periods]);
  if (periods.length === 0) {
    return (
      <div className="grid place-items-center text-sm text-subtle" style={{ height }} data-testid="profit-chart-empty">
        No profit to show yet.
      </div>
    );
  }
  const s = summarisePeriods(periods);
  const noun = period === 'day' ? 'days' : period === 'week' ? 'weeks' : 'months';
  const label =
    `Profit by ${period}, ${fmt.count(s.periods)} ${noun}: ${fmt.count(s.winning)} gained, ${fmt.count(s.losing)} lost, total ${formatSignedMoney(s.total)}` +
    (s.best && s.worst ? `; best ${periodLabel(s.best, period)} ${formatSignedMoney(s.best.profit)}, worst ${periodLabel(s.worst, period)} ${formatSignedMoney(s.worst.profit)}` : '');
  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2" data-testid="profit-chart" data-period={period} data-bars={periods.length}>
      <CanvasChart
        options={options}
        data={data}
        height={height}
        label={label}
        onCursor={(i) => {
          const p = i === null ? undefined : periods[i];
          return p ? `${periodLabel(p, period)} · ${formatSignedMoney(p.profit)} (${formatPct(p.return_pct)})` : null;
        }}
      />
      <ChartDataTable
        caption={`Profit by ${period}`}
        head={['Period', 'Profit', 'Return']}
        rows={() => periods.map((p) => [periodLabel(p, period), formatSignedMoney(p.profit), formatPct(p.return_pct)])}
        testId="profit-chart-data"
      />
    </div>
  );
});

function profitOptions(latest: { readonly current: { periods: PeriodProfit[]; period: ProfitPeriod } }): Omit<uPlot.Options, 'width' | 'height'> {
  const bars = uPlot.paths.bars!({ size: [0.7, 48], align: 0 });
  const tick = (i: number) => {
    const p = latest.current.periods[i];
    return p && Number.isInteger(i) ? periodTick(p, latest.current.period) : '';
  };
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: withZero } },
    axes: [
      { ...AXIS, space: 70, incrs: [1, 2, 3, 4, 6, 12, 13, 26, 52, 63, 126, 252], values: (_u, splits) => splits.map(tick) },
      { ...AXIS, size: yAxisSize, values: (_u, splits, _a, _s, step) => splits.map((v) => formatMoneyTick(v, step)) },
    ],
    series: [
      {},
      { label: 'Gain', stroke: UP, fill: `${UP}cc`, width: 0, paths: bars, points: { show: false }, fillTo: 0 },
      { label: 'Loss', stroke: DOWN, fill: `${DOWN}cc`, width: 0, paths: bars, points: { show: false }, fillTo: 0 },
    ],
  };
}

/** Share of equity held in positions, each trading day of the run. */
export const ExposureChart = memo(function ExposureChart({ points, height = 180 }: { points: ExposurePoint[]; height?: number }) {
  const latest = useRef(points);
  latest.current = points;
  const options = useMemo(() => exposureOptions(latest), []);
  const data = useMemo(() => [points.map((_, i) => i), points.map((p) => p.exposure_pct)] as uPlot.AlignedData, [points]);
  if (points.length < 2) {
    return (
      <div className="grid place-items-center text-sm text-subtle" style={{ height }} data-testid="exposure-chart-empty">
        Exposure shows once the run has traded a few days.
      </div>
    );
  }
  const mean = points.reduce((s, p) => s + p.exposure_pct, 0) / points.length;
  const peak = points.reduce((m, p) => (p.exposure_pct > m.exposure_pct ? p : m), points[0]!);
  const flat = points.filter((p) => p.invested === 0).length;
  const label =
    `Exposure from ${points[0]!.date} to ${points.at(-1)!.date}: on average ${fmt.unsignedPct(mean, 1)} of equity invested, ` +
    `at most ${fmt.unsignedPct(peak.exposure_pct, 1)} on ${peak.date}; all in cash on ${fmt.count(flat)} of ${fmt.count(points.length)} days`;
  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2" data-testid="exposure-chart" data-points={points.length}>
      <CanvasChart
        options={options}
        data={data}
        height={height}
        label={label}
        onCursor={(i) => {
          const p = i === null ? undefined : points[i];
          return p ? `${p.date} · ${fmt.unsignedPct(p.exposure_pct, 1)} invested (${formatMoney(p.invested)})` : null;
        }}
      />
      <ChartDataTable
        caption="Exposure by trading day"
        head={['Date', 'Invested', 'Equity', 'Exposure']}
        rows={() => points.map((p) => [p.date, formatMoney(p.invested), formatMoney(p.equity), fmt.unsignedPct(p.exposure_pct, 1)])}
        testId="exposure-chart-data"
      />
    </div>
  );
});

function exposureOptions(points: { readonly current: ExposurePoint[] }): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(100, max ?? 0)] } },
    axes: [
      {
        ...AXIS,
        space: 90,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
        values: (_u, splits) => splits.map((i) => points.current[i]?.date ?? ''),
      },
      { ...AXIS, size: yAxisSize, values: (_u, splits) => splits.map((v) => fmt.unsignedPct(v, 0)) },
    ],
    series: [
      {},
      {
        label: 'Exposure',
        stroke: EXPOSURE,
        width: 1.5,
        points: { show: false },
        fill: `${EXPOSURE}33`,
        paths: uPlot.paths.stepped!({ align: 1 }),
      },
    ],
  };
}
