import type { IndicatorLine } from '@tradewire/contract';

/** Colours of the strategy's lines, in the order the API lists them (fast SMA, slow SMA; RSI). */
const PRICE_COLORS = ['#f59e0b', '#a78bfa', '#22d3ee', '#f472b6'];
const OSCILLATOR_COLORS = ['#60a5fa', '#f472b6'];

export interface ChartIndicator extends IndicatorLine {
  color: string;
  /** value by date, for the hover legend and the data table. */
  byDate: ReadonlyMap<string, number>;
}

/**
 * The strategy's lines as drawn on a candle chart: only on days that have a candle (the API's
 * lines start earlier, warmed up before the run), each with its colour.
 */
export function chartIndicators(lines: readonly IndicatorLine[] | undefined, days: ReadonlySet<string>): ChartIndicator[] {
  let price = 0;
  let oscillator = 0;
  return (lines ?? []).map((line) => {
    const points = line.points.filter((p) => days.has(p.date));
    const color = line.pane === 'price' ? PRICE_COLORS[price++ % PRICE_COLORS.length]! : OSCILLATOR_COLORS[oscillator++ % OSCILLATOR_COLORS.length]!;
    return { ...line, points, color, byDate: new Map(points.map((p) => [p.date, p.value])) };
  });
}

/** The chart's text alternative for its lines: `SMA5 and SMA20 over the prices; RSI14 below with thresholds 30 and 70`. */
export function indicatorsText(lines: readonly ChartIndicator[], decimal: (n: number) => string): string {
  const names = (pane: IndicatorLine['pane']) => lines.filter((l) => l.pane === pane);
  const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
  const parts: string[] = [];
  const price = names('price');
  if (price.length > 0) parts.push(`${list(price.map((l) => l.name))} drawn over the prices`);
  for (const l of names('oscillator')) {
    const t = l.thresholds ?? [];
    parts.push(`${l.name} in its own pane${t.length > 0 ? ` with thresholds ${list(t.map(decimal))}` : ''}`);
  }
  return parts.join('; ');
}
