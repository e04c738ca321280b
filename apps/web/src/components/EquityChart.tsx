import { dateAxisProps, gridProps, moneyAxisProps, tooltipStyle } from './chart-style';
import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EquityPointView } from '../hooks/equity-series';
import { formatMoney } from '../lib/format';

export const EquityChart = memo(function EquityChart({ points, height = 260 }: { points: EquityPointView[]; height?: number }) {
  if (points.length < 2) {
    return (
      <div className="grid place-items-center text-sm text-subtle" style={{ height }} data-testid="equity-chart-empty">
        No equity curve yet: start a run to draw one.
      </div>
    );
  }
  const up = points.at(-1)!.equity >= points[0]!.equity;
  const color = up ? '#10b981' : '#ef4444';
  return (
    <div style={{ height }} className="w-full min-w-0" data-testid="equity-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id={`eq-${up ? 'up' : 'down'}`} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={color} stopOpacity={0.3} />
              <stop offset="100%" stopColor={color} stopOpacity={0} />
            </linearGradient>
          </defs>
          <CartesianGrid {...gridProps} />
          <XAxis {...dateAxisProps} />
          <YAxis {...moneyAxisProps} />
          <Tooltip
            {...tooltipStyle}
            formatter={(v) => [formatMoney(Number(v)), 'Equity']}
          />
          <Area
            type="monotone"
            dataKey="equity"
            stroke={color}
            strokeWidth={2}
            fill={`url(#eq-${up ? 'up' : 'down'})`}
            isAnimationActive={false}
            dot={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
});
