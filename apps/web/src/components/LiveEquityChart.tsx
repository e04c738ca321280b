import { memo, useMemo } from 'react';
import type uPlot from 'uplot';
import { useModelNames } from '../hooks/use-model-names';
import { formatPct } from '../lib/format';
import { AXIS, CanvasChart, ChartDataTable, yAxisSize } from './chart-canvas';
import { type ReturnColumns, SERIES_COLORS } from './chart-equity-tracks';
import { useReturnColumns } from './chart-use-equity-tracks';

/** Digits a percent tick needs to differ from its neighbour `step` away. */
const pctDigits = (step: number) => (step >= 1 ? 0 : step >= 0.1 ? 1 : 2);

/**
 * The return of each model's current run since its own start, by trading day since that start, so
 * runs over different date ranges compare on one chart. A canvas redrawn at most once a second
 * from a bounded column store; one line per model, straight between points.
 */
export const LiveEquityChart = memo(function LiveEquityChart({ modelIds, height = 280 }: { modelIds?: readonly number[]; height?: number }) {
  const { columns, version } = useReturnColumns();
  const nameOf = useModelNames();
  // Recomputed once per redraw (version), never per event.
  const ids = useMemo(
    () => (modelIds ?? columns.modelIds).filter((id) => columns.latest(id) !== null),
    // `columns` changes in place; `version` says when.
    [modelIds, columns, version],
  );
  const key = ids.join(',');
  const names = ids.map(nameOf).join('\u0000');
  // The canvas is rebuilt only when the set of lines (or their names) changes.
  const options = useMemo(() => liveOptions(ids, nameOf, columns), [key, names]);
  const data = useMemo(() => [columns.days, ...ids.map((id) => columns.returnsOf(id)!)] as uPlot.AlignedData, [key, columns]);

  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2" data-testid="live-equity-chart" data-series={ids.length} data-points={columns.days.length}>
      {ids.length === 0 ? (
        <div style={{ height }} className="grid place-items-center text-sm text-subtle" data-testid="live-equity-empty">
          No model is trading yet: start one to watch its equity here.
        </div>
      ) : (
        <>
          <CanvasChart
            options={options}
            data={data}
            version={version}
            height={height}
            label={liveLabel(columns, ids, nameOf)}
            onCursor={(i) => (i === null ? null : cursorText(columns, ids, nameOf, i))}
          />
          <ul className="flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs" data-testid="live-equity-legend">
            {ids.map((id, i) => (
              <li key={id} className="flex items-center gap-1.5" data-testid="live-equity-legend-item" data-model-id={id}>
                <span className="size-2 rounded-full" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
                {nameOf(id)}
              </li>
            ))}
          </ul>
          <ChartDataTable
            caption="Return since each run's start"
            head={['Model', 'Trading day', 'Return since start']}
            rows={() =>
              ids.map((id) => {
                const p = columns.latest(id)!;
                return [nameOf(id), p.day, formatPct(p.returnPct)];
              })
            }
            testId="live-equity-data"
          />
        </>
      )}
    </div>
  );
});

function liveOptions(ids: readonly number[], nameOf: (id: number) => string, columns: ReturnColumns): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    // From the first day seen (a tab that opened mid-run has nothing before it) to the last.
    scales: { x: { time: false, range: (_u, min, max) => [columns.firstDay() ?? min, Math.max(max, (columns.firstDay() ?? min) + 1)] } },
    axes: [
      { ...AXIS, space: 60, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], values: (_u, splits) => splits.map((d) => `Day ${d}`) },
      { ...AXIS, size: yAxisSize, values: (_u, splits, _a, _s, step) => splits.map((v) => formatPct(v, pctDigits(step))) },
    ],
    series: [
      {},
      ...ids.map((id, i) => ({ label: nameOf(id), stroke: SERIES_COLORS[i % SERIES_COLORS.length], width: 2, spanGaps: true, points: { show: false } })),
    ],
  };
}

function liveLabel(columns: ReturnColumns, ids: readonly number[], nameOf: (id: number) => string) {
  const parts = ids.map((id) => {
    const p = columns.latest(id)!;
    return `${nameOf(id)} ${formatPct(p.returnPct)} on day ${p.day}`;
  });
  return `Live return since each run's start, by trading day: ${parts.join('; ')}`;
}

function cursorText(columns: ReturnColumns, ids: readonly number[], nameOf: (id: number) => string, i: number) {
  const day = columns.days[i];
  if (day === undefined) return null;
  const values = ids.flatMap((id) => {
    const v = columns.returnsOf(id)?.[i];
    return v === null || v === undefined ? [] : [`${nameOf(id)} ${formatPct(v)}`];
  });
  return `Day ${day} · ${values.join(' · ')}`;
}
