import { memo, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import { fmt } from '../lib/format';
import { AXIS, CanvasChart, ChartDataTable, yAxisSize } from './chart-canvas';

export interface CompareSeries {
  label: string;
  color: string;
}

const value = (v: number | null | undefined) => (v === null || v === undefined ? '—' : fmt.decimal(v, 2));

/** Several runs' equity normalised to 100 at each one's start, on the union of their trading days. */
export const CompareChart = memo(function CompareChart({
  dates,
  series,
  lines,
  height = 300,
}: {
  dates: string[];
  /** One column per run, aligned with `dates` (null: the run has no value that day). */
  series: (number | null)[][];
  lines: CompareSeries[];
  height?: number;
}) {
  const latest = useRef(dates);
  latest.current = dates;
  const shownLines = useRef(lines);
  shownLines.current = lines;
  // Rebuilt when the runs (their labels and colours) change, not on every render.
  const key = JSON.stringify(lines);
  const options = useMemo(() => compareOptions(latest, shownLines.current), [key]);
  const data = useMemo(() => [dates.map((_, i) => i), ...series] as uPlot.AlignedData, [dates, series]);
  if (dates.length < 2) {
    return (
      <div className="grid place-items-center text-sm text-subtle" style={{ height }} data-testid="compare-chart-empty">
        These runs have no equity curves to compare yet.
      </div>
    );
  }
  const summary = lines
    .map((l, i) => {
      const col = series[i] ?? [];
      const first = col.find((v) => v !== null);
      const last = col.findLast((v) => v !== null);
      return `${l.label} ${value(first)} to ${value(last)}`;
    })
    .join('; ');
  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2" data-testid="compare-chart" data-series={lines.length} data-points={dates.length}>
      <CanvasChart
        options={options}
        data={data}
        height={height}
        label={`Equity normalised to 100 at each run's start, ${dates[0]} to ${dates.at(-1)}: ${summary}`}
        onCursor={(i) => (i === null || dates[i] === undefined ? null : `${dates[i]} · ${lines.map((_, s) => value(series[s]?.[i])).join(' · ')}`)}
      />
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground" data-testid="compare-legend">
        {lines.map((l, i) => (
          <li key={l.label} className="flex items-center gap-1.5" data-testid="compare-legend-item">
            <span aria-hidden className="h-0.5 w-4 rounded" style={{ background: l.color }} />
            {l.label} <span className="text-foreground tabular">{value((series[i] ?? []).findLast((v) => v !== null))}</span>
          </li>
        ))}
      </ul>
      <ChartDataTable
        caption="Equity normalised to 100, by trading day"
        head={['Date', ...lines.map((l) => l.label)]}
        rows={() => dates.map((d, i) => [d, ...series.map((col) => value(col[i]))])}
        testId="compare-chart-data"
      />
    </div>
  );
});

function compareOptions(dates: { readonly current: string[] }, lines: readonly CompareSeries[]): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      {
        ...AXIS,
        space: 90,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
        values: (_u, splits) => splits.map((i) => dates.current[i] ?? ''),
      },
      { ...AXIS, size: yAxisSize, values: (_u, splits) => splits.map((v) => fmt.decimal(v, Number.isInteger(v) ? 0 : 1)) },
    ],
    series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, points: { show: false } }))],
  };
}
