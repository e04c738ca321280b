import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CandlestickSeries, ColorType, createChart, createSeriesMarkers, type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type Time } from 'lightweight-charts';
import type { Bar } from '@tradewire/contract';
import { api } from '../api/client';
import { useRuns } from '../api/runs';
import { useTrades } from '../api/trading';
import { useModelLive } from '../stream/hooks';
import { formatMoney } from '../lib/format';
import { ChartDataTable } from './chart-canvas';
import { chartEndDate, chartSymbols, markerText, tradeMarkers, type TradeMarker } from './chart-trade-markers';
import { ErrorState } from './states';
import { Skeleton } from './ui/skeleton';

/**
 * Daily candles of one symbol over the model's latest run, with that run's fills as arrows; while
 * the run goes, the chart ends at the session's current day.
 */
export function PriceChart({ modelId, allowedSymbols, dataset }: { modelId: number; allowedSymbols: readonly string[]; dataset: string }) {
  const runs = useRuns(modelId);
  const run = runs.data?.[0];
  const live = useModelLive(modelId);
  const liveRun = live !== undefined && run !== undefined && live.runId === run.id;
  const running = liveRun && live.status === 'running';
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
  const latestTrade = useMemo(() => items.reduce<string | null>((d, t) => (d === null || t.date > d ? t.date : d), null), [items]);
  // While running: the day the stream last reported, else the latest day the run is known to have reached.
  const currentDay = liveRun ? (live.progress?.date ?? live.portfolio?.date ?? latestTrade) : latestTrade;
  const endDate = run ? (chartEndDate(run, running, currentDay) ?? run.start_date) : null;
  const shownBars = useMemo(() => (endDate === null ? bars.data : bars.data?.filter((b) => b.date <= endDate)), [bars.data, endDate]);
  const markers = useMemo(() => (symbol ? tradeMarkers(items, symbol, endDate) : []), [items, symbol, endDate]);

  if (runs.error && !runs.data) return <ErrorState error={runs.error} />;
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
          {running && endDate !== run.end_date ? ` · day shown: ${endDate}` : ''}
        </span>
      </label>
      {bars.error ? <ErrorState error={bars.error} /> : <Candles bars={shownBars} markers={markers} symbol={symbol} endDate={endDate} />}
    </div>
  );
}

function Candles({ bars, markers, symbol, endDate }: { bars: Bar[] | undefined; markers: TradeMarker[]; symbol: string; endDate: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLParagraphElement>(null);
  const hover = useRef({ bars, markers });
  useEffect(() => {
    hover.current = { bars, markers };
  });
  const chart = useRef<{ api: IChartApi; candles: ISeriesApi<'Candlestick'>; markers: ISeriesMarkersPluginApi<Time> } | null>(null);

  useEffect(() => {
    const api = createChart(box.current!, {
      autoSize: true,
      // The library's logo is a link inside the chart's role=img box (a nested focusable control): its
      // attribution is given as a plain link under the chart instead.
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#a3a3a3', fontSize: 11, attributionLogo: false },
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
    // The day under the cursor in words: prices and fills, instead of labels piled on the candles.
    api.subscribeCrosshairMove((param) => {
      const day = typeof param.time === 'string' ? param.time : null;
      const bar = day === null ? undefined : hover.current.bars?.find((b) => b.date === day);
      if (!readout.current) return;
      readout.current.textContent = bar ? `${barText(bar)}${dayMarkers(hover.current.markers, bar.date)}` : '';
    });
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
    c.markers.setMarkers(markers.filter((m) => days.has(m.time)).map(({ time, position, shape, color, text }) => ({ time, position, shape, color, text })));
    c.api.timeScale().fitContent();
  }, [bars, markers]);

  const days = new Set((bars ?? []).map((b) => b.date));
  const onBars = markers.filter((m) => days.has(m.time));
  const fills = onBars.reduce((n, m) => n + m.fills, 0);
  const first = bars?.[0];
  const last = bars?.at(-1);
  const label =
    first && last
      ? `${symbol} daily prices from ${first.date} to ${last.date}: close ${formatMoney(first.close)} to ${formatMoney(last.close)}; ${fills} fills marked`
      : `${symbol} daily prices: loading`;
  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2">
      <div className="relative">
        <p ref={readout} className="pointer-events-none absolute top-0 left-2 z-10 text-xs text-muted-foreground tabular" aria-hidden />
        <div
          ref={box}
          role="img"
          aria-label={label}
          className="h-72 w-full min-w-0"
          data-testid="price-chart"
          data-symbol={symbol}
          data-bars={bars?.length ?? 0}
          data-last-date={last?.date ?? ''}
          data-end-date={endDate ?? ''}
          data-markers={fills}
          data-marker-groups={onBars.length}
          data-loading={bars ? undefined : 'true'}
        />
      </div>
      <ChartDataTable
        caption={`${symbol} daily prices and fills`}
        head={['Date', 'Open', 'High', 'Low', 'Close', 'Fills']}
        rows={() => (bars ?? []).map((b) => [b.date, formatMoney(b.open), formatMoney(b.high), formatMoney(b.low), formatMoney(b.close), markerText(onBars.filter((m) => m.time === b.date))])}
        testId="price-chart-data"
      />
      <p className="text-xs text-muted-foreground">
        Chart by{' '}
        <a className="underline max-sm:inline-flex max-sm:min-h-11 max-sm:items-center" href="https://www.tradingview.com/lightweight-charts/" target="_blank" rel="noreferrer">
          TradingView Lightweight Charts
        </a>
      </p>
    </div>
  );
}

const barText = (b: Bar) => `${b.date} · O ${formatMoney(b.open)} H ${formatMoney(b.high)} L ${formatMoney(b.low)} C ${formatMoney(b.close)}`;

function dayMarkers(markers: readonly TradeMarker[], date: string) {
  const text = markerText(markers.filter((m) => m.time === date));
  return text ? ` · ${text}` : '';
}
