import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
} from 'lightweight-charts';
import type { Bar, Run } from '@tradewire/contract';
import { api } from '../api/client';
import { useIndicators } from '../api/results';
import { useRuns } from '../api/runs';
import { useTrades } from '../api/trading';
import { useModelLive } from '../stream/hooks';
import { fmt, formatMoney } from '../lib/format';
import { ChartDataTable } from './chart-canvas';
import { chartIndicators, indicatorsText, type ChartIndicator } from './chart-indicators';
import { chartEndDate, chartSymbols, markerText, tradeMarkers, type TradeMarker } from './chart-trade-markers';
import { ErrorState } from './states';
import { Skeleton } from './ui/skeleton';

const UP = '#10b981';
const DOWN = '#ef4444';
/** Height of the RSI pane under the candles, in px. */
const OSCILLATOR_PANE = 110;

/**
 * Daily candles of one symbol over a run (`run`, else the model's latest), with that run's fills
 * as arrows and the strategy's own indicators (moving averages over the candles, RSI in its own
 * pane with its thresholds); while the run goes, the chart ends at the session's current day.
 */
export function PriceChart({
  modelId,
  allowedSymbols,
  dataset,
  run: shownRun,
}: {
  modelId: number;
  allowedSymbols: readonly string[];
  dataset: string;
  run?: Run;
}) {
  const runs = useRuns(modelId);
  const run = shownRun ?? runs.data?.[0];
  const live = useModelLive(modelId);
  const liveRun = live !== undefined && run !== undefined && live.runId === run.id;
  const running = liveRun && live.status === 'running';
  const trades = useTrades(modelId, { runId: run?.id, limit: 1000 });
  const items = useMemo(() => (run ? (trades.data?.items ?? []) : []), [run, trades.data]);
  const symbols = useMemo(() => chartSymbols(items, allowedSymbols), [items, allowedSymbols]);
  const [chosen, setChosen] = useState<string | null>(null);
  // Until the user picks one, a run's chart keeps the symbol it first showed: a burst of trades
  // reordering the most traded symbols must not swap the chart under the reader's eyes.
  const [shown, setShown] = useState<{ runId: number; symbol: string } | null>(null);
  const first = symbols[0] ?? null;
  const loaded = trades.data !== undefined;
  useEffect(() => {
    if (run !== undefined && loaded && first !== null && shown?.runId !== run.id) setShown({ runId: run.id, symbol: first });
  }, [run, loaded, first, shown]);
  // No symbol before the run's trades are in: the one shown first is the most traded, not a placeholder.
  const kept = shown !== null && shown.runId === run?.id && symbols.includes(shown.symbol) ? shown.symbol : loaded ? first : null;
  const symbol = chosen !== null && symbols.includes(chosen) ? chosen : kept;
  const bars = useQuery({
    queryKey: ['market-bars', dataset, symbol, run?.start_date, run?.end_date],
    queryFn: ({ signal }) =>
      api
        .get<{ bars: Bar[] }>('/api/market/bars', { signal, query: { symbol: symbol!, from: run!.start_date, to: run!.end_date, dataset } })
        .then((r) => r.bars),
    enabled: run !== undefined && symbol !== null,
    staleTime: 5 * 60_000,
  });
  const indicators = useIndicators(modelId, run?.id, symbol);
  const latestTrade = useMemo(() => items.reduce<string | null>((d, t) => (d === null || t.date > d ? t.date : d), null), [items]);
  // While running: the day the stream last reported, else the latest day the run is known to have reached.
  const currentDay = liveRun ? (live.progress?.date ?? live.portfolio?.date ?? latestTrade) : latestTrade;
  const endDate = run ? (chartEndDate(run, running, currentDay) ?? run.start_date) : null;
  const shownBars = useMemo(() => (endDate === null ? bars.data : bars.data?.filter((b) => b.date <= endDate)), [bars.data, endDate]);
  const markers = useMemo(() => (symbol ? tradeMarkers(items, symbol, endDate) : []), [items, symbol, endDate]);
  const lines = useMemo(
    () => (shownBars && indicators.data?.symbol === symbol ? chartIndicators(indicators.data.lines, new Set(shownBars.map((b) => b.date))) : null),
    [shownBars, indicators.data, symbol],
  );

  if (runs.error && !shownRun) return <ErrorState error={runs.error} />;
  if (!run && !runs.data) return <Skeleton className="h-72" />;
  if (!run || symbol === null) {
    return (
      <div className="grid h-40 place-items-center text-sm text-subtle" data-testid="price-chart-empty">
        No run yet: start one to see its trades on the price chart.
      </div>
    );
  }
  return (
    <div className="grid grid-cols-1 gap-2">
      <label className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
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
      {bars.error ? (
        <ErrorState error={bars.error} />
      ) : (
        <Candles bars={shownBars} markers={markers} symbol={symbol} endDate={endDate} lines={indicators.error ? [] : lines} />
      )}
    </div>
  );
}

type IndicatorSeries = ISeriesApi<'Line'>;

function Candles({
  bars,
  markers,
  symbol,
  endDate,
  lines,
}: {
  bars: Bar[] | undefined;
  markers: TradeMarker[];
  symbol: string;
  endDate: string | null;
  /** The strategy's lines on these bars; null while loading. */
  lines: ChartIndicator[] | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [hoverDay, setHoverDay] = useState<string | null>(null);
  const chart = useRef<{
    api: IChartApi;
    candles: ISeriesApi<'Candlestick'>;
    volume: ISeriesApi<'Histogram'>;
    markers: ISeriesMarkersPluginApi<Time>;
    indicators: IndicatorSeries[];
  } | null>(null);
  const oscillator = lines?.some((l) => l.pane === 'oscillator') ?? false;

  useEffect(() => {
    const api = createChart(box.current!, {
      autoSize: true,
      // The library's logo is a link inside the chart's role=img box (a nested focusable control): its
      // attribution is given as a plain link under the chart instead.
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#a3a3a3', fontSize: 11, attributionLogo: false, panes: { separatorColor: '#262626' } },
      grid: { vertLines: { visible: false }, horzLines: { color: '#262626' } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false },
    });
    const candles = api.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      wickUpColor: UP,
      wickDownColor: DOWN,
      borderVisible: false,
    });
    // Volume as faint bars along the bottom fifth of the price pane, on a scale of its own.
    const volume = api.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    api.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chart.current = { api, candles, volume, markers: createSeriesMarkers(candles, []), indicators: [] };
    // The day under the cursor goes to the legend above the chart.
    api.subscribeCrosshairMove((param) => setHoverDay(typeof param.time === 'string' ? param.time : null));
    return () => {
      chart.current = null;
      api.remove();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.candles.setData((bars ?? []).map((b) => ({ time: b.date, open: b.open, high: b.high, low: b.low, close: b.close })));
    c.volume.setData((bars ?? []).map((b) => ({ time: b.date, value: b.volume, color: b.close >= b.open ? `${UP}40` : `${DOWN}40` })));
    // A marker needs a candle to sit on: keep those whose day is in the data.
    const days = new Set((bars ?? []).map((b) => b.date));
    c.markers.setMarkers(markers.filter((m) => days.has(m.time)).map(({ time, position, shape, color, text }) => ({ time, position, shape, color, text })));
    c.api.timeScale().fitContent();
  }, [bars, markers]);

  // The strategy's lines: redrawn whole when they change (a new symbol, the run's next day).
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    for (const s of c.indicators) c.api.removeSeries(s);
    c.indicators = [];
    for (const line of lines ?? []) {
      const pane = line.pane === 'price' ? 0 : 1;
      const series = c.api.addSeries(
        LineSeries,
        { color: line.color, lineWidth: 2, title: line.name, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false },
        pane,
      );
      series.setData(line.points.map((p) => ({ time: p.date, value: p.value })));
      for (const t of line.thresholds ?? []) {
        series.createPriceLine({ price: t, color: '#737373', lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: '' });
      }
      c.indicators.push(series);
    }
    const panes = c.api.panes();
    // A pane left without series (another symbol, no RSI) goes; the RSI pane keeps a fixed height.
    for (let i = panes.length - 1; i > 0; i--) if (panes[i]!.getSeries().length === 0) c.api.removePane(i);
    c.api.panes()[1]?.setHeight(OSCILLATOR_PANE);
  }, [lines]);

  const days = new Set((bars ?? []).map((b) => b.date));
  const onBars = markers.filter((m) => days.has(m.time));
  const fills = onBars.reduce((n, m) => n + m.fills, 0);
  const first = bars?.[0];
  const last = bars?.at(-1);
  const drawn = lines ?? [];
  const linesText = indicatorsText(drawn, (n) => fmt.decimal(n, 0));
  const label =
    first && last
      ? `${symbol} daily prices from ${first.date} to ${last.date}: close ${formatMoney(first.close)} to ${formatMoney(last.close)}; ${fills} fills marked${linesText ? `; ${linesText}` : ''}`
      : `${symbol} daily prices: loading`;
  // The legend shows the day under the cursor, else the last day.
  const legendBar = (hoverDay !== null ? bars?.find((b) => b.date === hoverDay) : undefined) ?? last;
  const price = drawn.filter((l) => l.pane === 'price');
  const osc = drawn.filter((l) => l.pane === 'oscillator');
  return (
    <div className="grid w-full min-w-0 grid-cols-1 gap-2">
      <div className="min-h-10 text-xs text-muted-foreground tabular" data-testid="price-chart-legend" data-date={legendBar?.date ?? ''}>
        {legendBar && (
          <p className="flex flex-wrap gap-x-3">
            <span className="text-foreground">{fmt.date(legendBar.date)}</span>
            <span>O {formatMoney(legendBar.open)}</span>
            <span>H {formatMoney(legendBar.high)}</span>
            <span>L {formatMoney(legendBar.low)}</span>
            <span>C {formatMoney(legendBar.close)}</span>
            <span>V {fmt.count(legendBar.volume)}</span>
            {dayMarkers(onBars, legendBar.date) && <span className="text-foreground">{dayMarkers(onBars, legendBar.date)}</span>}
          </p>
        )}
        {drawn.length > 0 && (
          <p className="flex flex-wrap gap-x-3" data-testid="price-chart-indicator-legend">
            {drawn.map((l) => {
              const v = legendBar ? l.byDate.get(legendBar.date) : undefined;
              return (
                <span key={l.name} className="inline-flex items-center gap-1">
                  <span aria-hidden className="h-0.5 w-3 rounded" style={{ background: l.color }} />
                  {l.name} {v === undefined ? '—' : fmt.decimal(v, 2)}
                </span>
              );
            })}
          </p>
        )}
      </div>
      <div
        ref={box}
        role="img"
        aria-label={label}
        className="w-full min-w-0"
        style={{ height: oscillator ? 288 + OSCILLATOR_PANE : 288 }}
        data-testid="price-chart"
        data-symbol={symbol}
        data-bars={bars?.length ?? 0}
        data-last-date={last?.date ?? ''}
        data-end-date={endDate ?? ''}
        data-markers={fills}
        data-marker-groups={onBars.length}
        data-loading={bars ? undefined : 'true'}
        data-indicators={lines === null ? 'loading' : drawn.map((l) => `${l.name}:${l.points.length}`).join(',')}
        data-overlays={price.map((l) => l.name).join(',')}
        data-oscillator={osc.map((l) => l.name).join(',')}
        data-thresholds={osc.flatMap((l) => l.thresholds ?? []).join(',')}
      />
      <ChartDataTable
        caption={`${symbol} daily prices, volume, indicators and fills`}
        head={['Date', 'Open', 'High', 'Low', 'Close', 'Volume', ...drawn.map((l) => l.name), 'Fills']}
        rows={() =>
          (bars ?? []).map((b) => [
            b.date,
            formatMoney(b.open),
            formatMoney(b.high),
            formatMoney(b.low),
            formatMoney(b.close),
            fmt.count(b.volume),
            ...drawn.map((l) => {
              const v = l.byDate.get(b.date);
              return v === undefined ? '—' : fmt.decimal(v, 2);
            }),
            markerText(onBars.filter((m) => m.time === b.date)),
          ])
        }
        testId="price-chart-data"
      />
      <p className="text-xs text-muted-foreground">
        Chart by{' '}
        <a className="tap inline-flex items-center underline" href="https://www.tradingview.com/lightweight-charts/" target="_blank" rel="noreferrer">
          TradingView Lightweight Charts
        </a>
      </p>
    </div>
  );
}

function dayMarkers(markers: readonly TradeMarker[], date: string) {
  return markerText(markers.filter((m) => m.time === date));
}
