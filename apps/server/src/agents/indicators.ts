import { RSI, SMA } from 'trading-signals';
import type { AgentSpec, Bar, IndicatorLine } from '@tradewire/contract';


/**
 * The indicators a strategy reads, computed by the same indicator classes with the same
 * parameters as the agent. The value at a bar includes that bar's close: the agent deciding on
 * the next day reads exactly this value.
 */
export function strategyIndicators(spec: AgentSpec, bars: readonly Readonly<Bar>[]): IndicatorLine[] {
  const series = (make: () => SMA | RSI): { date: string; value: number }[] => {
    const indicator = make();
    const points: { date: string; value: number }[] = [];
    for (const bar of bars) {
      const value = indicator.add(bar.close);
      if (value !== null) points.push({ date: bar.date, value: Math.round(value * 1e4) / 1e4 });
    }
    return points;
  };
  switch (spec.kind) {
    case 'sma_crossover':
      return [
        { name: `SMA${spec.params.fast}`, pane: 'price', points: series(() => new SMA(spec.params.fast)) },
        { name: `SMA${spec.params.slow}`, pane: 'price', points: series(() => new SMA(spec.params.slow)) },
      ];
    case 'rsi_mean_reversion':
      return [
        {
          name: `RSI${spec.params.period}`,
          pane: 'oscillator',
          points: series(() => new RSI(spec.params.period)),
          thresholds: [spec.params.low, spec.params.high],
        },
      ];
    default:
      return [];
  }
}
