import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CandlestickSeries, ColorType, createChart, createSeriesMarkers, type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type Time } from 'lightweight-charts';
import type { Bar } from '@tradewire/contract';
import { api } from '../api/client';
import { useRuns } from '../api/runs';
import { useTrades } from '../api/trading';
import { chartSymbols, tradeMarkers, type TradeMarker } from './chart-trade-markers';
import { ErrorState } from './states';
import { Skeleton } from './ui/skeleton';

/** Daily candles of one symbol over the model's latest run, with that run's fills as arrows. */
export function PriceChart({ modelId, allowedSymbols, dataset }: { modelId: number; allowedSymbols: readonly string[]; dataset: string }) {
  const runs = useRuns(modelId);
  const run = runs.data?.[0];
  const trades = useTrades(modelId, { runId: run?.id, limit: 1000 });
  const items = useMemo(() => (run ? (trades.data?.items ?? []) : []), [run, trades.data]);
  const symbols = useMemo(() => chartSymbols(items, allowedSymbols), [items, allowedSymbols]);
  const [chosen, setChosen] = useState<string | null>(null);
  const symbol = chosen !== null && symbols.includes(chosen) ? chosen : (symbols[0] ?? null);
  const bars = useQuery({
    queryKey: ['market-bars', dataset, symbol, run?.start_date, run?.end_date],
    queryFn: ({ signal }) =>
      api
        .get<{ bars: Bar[] }>('/api/market/bars', { signal, query: { symbol: symbol!, from: run!.start_date, to: run!.end_date, dataset } })
        .then((r) => r.bars),
    enabled: run !== undefined && symbol !== null,
    staleTime: 5 * 60_000,
  });
  const markers = useMemo(() => (symbol ? tradeMarkers(items, symbol) : []), [items, symbol]);

  if (runs.error) return <ErrorState error={runs.error} />;
  if (!runs.data) return <Skeleton className="h-72" />;
  if (!run || symbol === null) {
    return (
      <div className="grid h-40 place-items-center text-sm text-subtle" data-testid="price-chart-empty">
        No run yet: start one to see its trades on the price chart.
      </div>
    );
  }
  return (
    <div className="grid grid-cols-1 gap-2">
      <label className="flex items-center gap-2 text-sm text-muted-foreground">
        Symbol
        <select
          className="h-8 rounded-md border border-border bg-background px-2 text-sm text-foreground"
          value={symbol}
          onChange={(e) => setChosen(e.target.value)}
          data-testid="price-chart-symbol"
        >
          {symbols.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <span className="text-xs text-subtle">
          Run #{run.run_number} · {run.start_date} to {run.end_date}
        </span>
      </label>
      {bars.error ? <ErrorState error={bars.error} /> : <Candles bars={bars.data} markers={markers} symbol={symbol} />}
    </div>
  );
}

function Candles({ bars, markers, symbol }: { bars: Bar[] | undefined; markers: TradeMarker[]; symbol: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; candles: ISeriesApi<'Candlestick'>; markers: ISeriesMarkersPluginApi<Time> } | null>(null);

  useEffect(() => {
    const api = createChart(box.current!, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#a3a3a3', fontSize: 11 },
      grid: { vertLines: { visible: false }, horzLines: { color: '#262626' } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false },
    });
    const candles = api.addSeries(CandlestickSeries, {
      upColor: '#10b981',
      downColor: '#ef4444',
      wickUpColor: '#10b981',
      wickDownColor: '#ef4444',
      borderVisible: false,
    });
    chart.current = { api, candles, markers: createSeriesMarkers(candles, []) };
    return () => {
      chart.current = null;
      api.remove();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.candles.setData((bars ?? []).map((b) => ({ time: b.date, open: b.open, high: b.high, low: b.low, close: b.close })));
    // A marker needs a candle to sit on: keep those whose day is in the data.
    const days = new Set((bars ?? []).map((b) => b.date));
    c.markers.setMarkers(markers.filter((m) => days.has(m.time)));
    c.api.timeScale().fitContent();
  }, [bars, markers]);

  const shown = bars ? markers.filter((m) => bars.some((b) => b.date === m.time)).length : 0;
  return (
    <div
      ref={box}
      className="h-72 w-full min-w-0"
      data-testid="price-chart"
      data-symbol={symbol}
      data-bars={bars?.length ?? 0}
      data-markers={shown}
      data-loading={bars ? undefined : 'true'}
    />
  );
}
