import { formatMoneyCompact } from '../lib/format';

/** Axis, grid and tooltip props shared by the equity charts (recharts reads them per element). */
export const gridProps = { stroke: '#262626', vertical: false } as const;
export const dateAxisProps = { dataKey: 'date', stroke: '#737373', fontSize: 11, tickLine: false, axisLine: false, minTickGap: 40 } as const;
export const moneyAxisProps = {
  stroke: '#737373',
  fontSize: 11,
  tickLine: false,
  axisLine: false,
  width: 64,
  domain: ['auto', 'auto'] as [string, string],
  tickFormatter: (v: number) => formatMoneyCompact(v),
};
export const tooltipStyle = {
  contentStyle: { background: '#171717', border: '1px solid #262626', borderRadius: 8, fontSize: 12 },
  labelStyle: { color: '#a3a3a3' },
} as const;
