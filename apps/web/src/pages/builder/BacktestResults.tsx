import { memo, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import type { BacktestResult, RoundTrip } from '@tradewire/contract';
import { AXIS, CanvasChart, ChartDataTable, yAxisSize } from '../../components/chart-canvas';
import { MetricsGrid } from '../../components/MetricsGrid';
import { Button } from '../../components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '../../components/ui/table';
import { fmt, formatDateRange, formatMoney, formatMoneyTick, formatPct, formatSignedMoney, pnlClass } from '../../lib/format';

const STRATEGY = '#10b981';
const HOLD = '#a3a3a3';

/** A backtest's answer: what it covered, its metrics, equity against buy-and-hold, and its round trips. */
export const BacktestResults = memo(function BacktestResults({ result, stale }: { result: BacktestResult; stale: boolean }) {
  const { stats } = result.benchmark;
  const held = result.benchmark.kind === 'universe' ? `the ${result.symbols.length === 1 ? 'symbol' : `${result.symbols.length} symbols`} in equal parts` : result.benchmark.symbols[0];
  return (
    <div className="grid min-w-0 gap-4" data-testid="backtest-results" data-stale={stale || undefined}>
      <p className="text-sm text-muted-foreground" data-testid="backtest-summary">
        {formatDateRange(result.start_date, result.end_date)} · {fmt.count(result.trading_days)} trading days · {fmt.count(result.symbols.length)}{' '}
        {result.symbols.length === 1 ? 'symbol' : 'symbols'} · {fmt.count(result.fills)} fills
        {result.rejected > 0 && <> · {fmt.count(result.rejected)} orders refused</>}
        {stale && <span className="block text-warn">The rules or settings changed since: backtest again to see their results.</span>}
      </p>
      <MetricsGrid metrics={result.metrics} />
      <section className="grid min-w-0 gap-2" aria-label="Equity against buy-and-hold">
        <h3 className="text-sm font-medium text-muted-foreground">Equity against buy-and-hold</h3>
        <p className="text-xs text-muted-foreground" data-testid="backtest-benchmark">
          Strategy <span className={pnlClass(stats.strategy_return_pct)}>{formatPct(stats.strategy_return_pct)}</span> · buy-and-hold of {held}{' '}
          <span className={pnlClass(stats.benchmark_return_pct)}>{formatPct(stats.benchmark_return_pct)}</span> · difference{' '}
          <span className={pnlClass(stats.excess_return_pct)}>{formatPct(stats.excess_return_pct)}</span>
        </p>
        <BacktestChart result={result} />
      </section>
      <section className="grid min-w-0 gap-2" aria-label="Round trips">
        <h3 className="text-sm font-medium text-muted-foreground">
          Round trips <span className="text-xs font-normal text-subtle">({fmt.count(result.round_trips.length)} closed, {fmt.count(result.open_positions.length)} still open)</span>
        </h3>
        <RoundTripsTable trips={result.round_trips} />
      </section>
    </div>
  );
});

function BacktestChart({ result, height = 240 }: { result: BacktestResult; height?: number }) {
  const points = result.equity_curve;
  const hold = result.benchmark.equity_curve;
  const dates = useRef(points.map((p) => p.date));
  dates.current = points.map((p) => p.date);
  const options = useMemo(() => chartOptions(dates), []);
  const data = useMemo(() => [points.map((_, i) => i), points.map((p) => p.equity), hold.map((p) => p.equity)] as uPlot.AlignedData, [points, hold]);
  if (points.length < 2) return <p className="text-sm text-subtle">Too few trading days to draw.</p>;
  const first = points[0]!;
  const last = points.at(-1)!;
  const lastHold = hold.at(-1)?.equity ?? result.initial_cash;
  const label =
    `Equity of the strategy against buy-and-hold from ${first.date} to ${last.date}: the strategy ends at ${formatMoney(last.equity)} ` +
    `(${formatPct(result.benchmark.stats.strategy_return_pct)}), buy-and-hold at ${formatMoney(lastHold)} (${formatPct(result.benchmark.stats.benchmark_return_pct)}), ` +
    `${points.length} trading days`;
  return (
    <div className="grid min-w-0 gap-2" data-testid="backtest-chart" data-points={points.length}>
      <ul className="flex flex-wrap gap-4 text-xs text-muted-foreground" aria-hidden>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-0.5 w-4" style={{ background: STRATEGY }} />
          Strategy
        </li>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-0.5 w-4 border-t-2 border-dashed" style={{ borderColor: HOLD }} />
          Buy-and-hold
        </li>
      </ul>
      <CanvasChart
        options={options}
        data={data}
        height={height}
        label={label}
        onCursor={(i) => (i === null || !points[i] ? null : `${points[i].date} · strategy ${formatMoney(points[i].equity)} · buy-and-hold ${formatMoney(hold[i]?.equity ?? 0)}`)}
      />
      <ChartDataTable
        caption="Equity of the strategy and of buy-and-hold by trading day"
        head={['Date', 'Strategy', 'Buy-and-hold']}
        rows={() => points.map((p, i) => [p.date, formatMoney(p.equity), formatMoney(hold[i]?.equity ?? 0)])}
        testId="backtest-chart-data"
      />
    </div>
  );
}

function chartOptions(dates: { readonly current: string[] }): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      {
        ...AXIS,
        space: 90,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
        values: (_u, splits) => splits.map((i) => dates.current[i] ?? ''),
      },
      { ...AXIS, size: yAxisSize, values: (_u, splits, _a, _s, step) => splits.map((v) => formatMoneyTick(v, step)) },
    ],
    series: [
      {},
      { label: 'Strategy', stroke: STRATEGY, width: 2, points: { show: false } },
      { label: 'Buy-and-hold', stroke: HOLD, width: 1.5, dash: [6, 4], points: { show: false } },
    ],
  };
}

/** Round trips listed before "Show all". */
const FIRST_TRIPS = 25;

/** Closed trades in the order they closed, each with the rules that opened and closed it on a line under it. */
function RoundTripsTable({ trips }: { trips: RoundTrip[] }) {
  const [all, setAll] = useState(false);
  if (trips.length === 0) {
    return (
      <p className="text-sm text-subtle" data-testid="round-trips-empty">
        No closed trade in this range: the entry rules never held, or positions were still open at the end.
      </p>
    );
  }
  const shown = all ? trips : trips.slice(0, FIRST_TRIPS);
  return (
    <div className="grid min-w-0 gap-2">
      <Table aria-label="Round trips" data-testid="round-trips">
        <THead>
          <TR>
            <TH>Symbol</TH>
            <TH>Bought</TH>
            <TH>Sold</TH>
            <TH className="text-right">Shares</TH>
            <TH className="text-right">P/L</TH>
            <TH className="text-right">Days held</TH>
          </TR>
        </THead>
        {shown.map((t, i) => (
          <TBody key={i} data-testid="round-trip" className="border-b border-border last:border-0 max-sm:mb-2 max-sm:rounded-xl max-sm:border max-sm:px-3 max-sm:py-1">
            <TR className="border-0 max-sm:mb-0! max-sm:border-0! max-sm:p-0!">
              <TD label="Symbol" className="font-medium">
                {t.symbol}
              </TD>
              <TD label="Bought">
                {t.entry_date} at {formatMoney(t.entry_price)}
              </TD>
              <TD label="Sold">
                {t.exit_date} at {formatMoney(t.exit_price)}
              </TD>
              <TD label="Shares" className="text-right">
                {fmt.quantity(t.quantity)}
              </TD>
              <TD label="P/L" className={`text-right ${pnlClass(t.pnl)}`}>
                {formatSignedMoney(t.pnl)} ({formatPct(t.pnl_pct)})
              </TD>
              <TD label="Days held" className="text-right">
                {fmt.count(t.holding_days)}
              </TD>
            </TR>
            <TR className="border-0 max-sm:mb-0! max-sm:border-0! max-sm:p-0!">
              <TD colSpan={6} className="pt-0 text-xs whitespace-normal text-muted-foreground max-sm:block! max-sm:text-left!">
                <span className="block">In: {t.entry_reason ?? '—'}</span>
                <span className="block">Out: {t.exit_reason ?? '—'}</span>
              </TD>
            </TR>
          </TBody>
        ))}
      </Table>
      {trips.length > FIRST_TRIPS && (
        <div>
          <Button variant="outline" size="sm" onClick={() => setAll((a) => !a)} aria-expanded={all} data-testid="round-trips-all">
            {all ? `Show the first ${FIRST_TRIPS}` : `Show all ${fmt.count(trips.length)}`}
          </Button>
        </div>
      )}
    </div>
  );
}
