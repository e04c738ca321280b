import { dateAxisProps, gridProps, moneyAxisProps, tooltipStyle } from './chart-style';
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useModelNames } from '../hooks/use-model-names';
import { formatMoney } from '../lib/format';
import { equityRows, SERIES_COLORS } from './chart-equity-tracks';
import { useEquityTracks } from './chart-use-equity-tracks';

/**
 * The equity curves of the models given (or of every model the stream has shown trading since
 * the view opened) on one chart, one line per model.
 */
export const LiveEquityChart = memo(function LiveEquityChart({
  modelIds,
  height = 280,
}: {
  modelIds?: readonly number[];
  height?: number;
}) {
  const tracks = useEquityTracks();
  const nameOf = useModelNames();
  const ids = useMemo(() => (modelIds ?? [...tracks.keys()]).filter((id) => (tracks.get(id)?.points.length ?? 0) > 0), [modelIds, tracks]);
  const rows = useMemo(() => equityRows(tracks, ids), [tracks, ids]);
  return (
    <div style={{ height }} className="w-full min-w-0" data-testid="live-equity-chart" data-series={ids.length}>
      {ids.length === 0 ? (
        <div className="grid h-full place-items-center text-sm text-subtle" data-testid="live-equity-empty">
          No model is trading yet: start one to watch its equity here.
        </div>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid {...gridProps} />
            <XAxis {...dateAxisProps} />
            <YAxis {...moneyAxisProps} />
            <Tooltip
            {...tooltipStyle}
            formatter={(v, name) => [formatMoney(Number(v)), name]}
            />
            <Legend
              wrapperStyle={{ fontSize: 12 }}
              content={() => (
                <ul className="flex flex-wrap justify-center gap-x-4 gap-y-1 pt-2 text-xs" data-testid="live-equity-legend">
                  {ids.map((id, i) => (
                    <li key={id} className="flex items-center gap-1.5" data-testid="live-equity-legend-item" data-model-id={id}>
                      <span className="size-2 rounded-full" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
                      {nameOf(id)}
                    </li>
                  ))}
                </ul>
              )}
            />
            {ids.map((id, i) => (
              <Line
                key={id}
                type="monotone"
                dataKey={`m${id}`}
                name={nameOf(id)}
                stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
                strokeWidth={2}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
});
