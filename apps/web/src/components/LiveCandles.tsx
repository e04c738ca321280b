import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CandlestickSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { EventHistory, TradingEventOf } from '@tradewire/contract';
import { api } from '../api/client';
import { useStreamBatches } from '../stream/hooks';
import { cn } from '../lib/utils';

const UP = '#10b981';
const DOWN = '#ef4444';

type BarEvent = TradingEventOf<'bar'>;

const timeOf = (date: string) => Math.floor(Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date) / 1000) as UTCTimestamp;
const candleOf = (e: BarEvent) => ({ time: timeOf(e.data.date), open: e.data.open, high: e.data.high, low: e.data.low, close: e.data.close });

/**
 * A live run's candles as they arrive: the run's recent `bar` events, then each new one from the
 * stream, for the chosen symbol. The chart moves with every bar the run receives.
 */
export function LiveCandles({ modelId, runId, symbols }: { modelId: number; runId: number; symbols: readonly string[] }) {
  const [symbol, setSymbol] = useState(symbols[0] ?? '');
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; candles: ISeriesApi<'Candlestick'> } | null>(null);
  const [count, setCount] = useState(0);
  const history = useQuery({
    queryKey: ['model', modelId, 'runs', runId, 'bar-events'],
    queryFn: ({ signal }) => api.get<EventHistory>('/api/events/history', { signal, query: { models: String(modelId), type: 'bar', limit: 1000 } }),
    staleTime: Infinity,
  });

  useEffect(() => {
    const instance = createChart(box.current!, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#a3a3a3', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { visible: false }, horzLines: { color: '#262626' } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false, timeVisible: true },
    });
    const candles = instance.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false });
    chart.current = { api: instance, candles };
    return () => {
      chart.current = null;
      instance.remove();
    };
  }, []);

  useEffect(() => {
    const bars = (history.data?.events ?? []).filter((e): e is BarEvent => e.type === 'bar' && e.run_id === runId && e.data.symbol === symbol);
    chart.current?.candles.setData(bars.map(candleOf));
    setCount(bars.length);
  }, [history.data, runId, symbol]);

  useStreamBatches((batch) => {
    for (const e of batch.events) {
      if (e.type !== 'bar' || e.model_id !== modelId || e.run_id !== runId || e.data.symbol !== symbol) continue;
      chart.current?.candles.update(candleOf(e));
      setCount((n) => n + 1);
    }
  });

  return (
    <div className="grid grid-cols-1 gap-2" data-testid="live-candles" data-bars={count}>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Symbol">
        {symbols.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={s === symbol}
            onClick={() => setSymbol(s)}
            className={cn('tap rounded-full border px-3 py-1 text-xs', s === symbol ? 'border-info bg-info/10 text-foreground' : 'border-border text-muted-foreground')}
          >
            {s}
          </button>
        ))}
      </div>
      <div ref={box} className="h-56 w-full" role="img" aria-label={`${symbol} candles of the live run: ${count} bars`} />
    </div>
  );
}
