import { useMemo, useState } from 'react';
import type { Breakdown, ProfitPeriod, SymbolPnl } from '@tradewire/contract';
import { useBreakdown } from '../api/results';
import { fmt, formatDate, formatMoney, formatPct, formatSignedMoney, pnlClass } from '../lib/format';
import { nextSort, sortRows, type SortState } from '../lib/table-sort';
import { DEFAULT_SYMBOL_SORT, periodLabel, SYMBOL_SORTS, symbolValue, type SymbolKey } from './breakdown';
import { ExposureChart, ProfitBarsChart } from './BreakdownCharts';
import { SortHeader, SortSelect } from './SortableTable';
import { ErrorState } from './states';
import { Card, CardContent, CardHeader, CardTitle } from './ui/card';
import { Segmented } from './ui/segmented';
import { Skeleton } from './ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

const PERIODS = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
] as const satisfies readonly { value: ProfitPeriod; label: string }[];

const VIEWS = [
  { value: 'chart', label: 'Chart' },
  { value: 'table', label: 'Table' },
] as const;

/** Where a run's profit came from: by symbol, by day/week/month, and how invested it was over time. */
export function RunBreakdown({ modelId, runId }: { modelId: number; runId: number }) {
  const breakdown = useBreakdown(modelId, runId);
  if (breakdown.error) return <ErrorState error={breakdown.error} />;
  if (!breakdown.data) return <Skeleton className="h-72" />;
  return (
    <div className="grid grid-cols-1 gap-4" data-testid="run-breakdown">
      <ProfitByPeriod breakdown={breakdown.data} />
      <Card>
        <CardHeader>
          <CardTitle>P/L by symbol</CardTitle>
        </CardHeader>
        <CardContent>
          <SymbolTable rows={breakdown.data.by_symbol} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Exposure</CardTitle>
        </CardHeader>
        <CardContent>
          <ExposureChart points={breakdown.data.exposure} />
        </CardContent>
      </Card>
    </div>
  );
}

function ProfitByPeriod({ breakdown }: { breakdown: Breakdown }) {
  const [period, setPeriod] = useState<ProfitPeriod>('month');
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const periods = period === 'day' ? breakdown.by_day : period === 'week' ? breakdown.by_week : breakdown.by_month;
  return (
    <Card>
      <CardHeader className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle>Profit by {period}</CardTitle>
        <div className="flex flex-wrap items-center gap-2">
          <Segmented value={period} options={PERIODS} onChange={setPeriod} label="Period" testId="profit-period" />
          <Segmented value={view} options={VIEWS} onChange={setView} label="Show as" testId="profit-view" />
        </div>
      </CardHeader>
      <CardContent>
        {view === 'chart' ? (
          <ProfitBarsChart periods={periods} period={period} />
        ) : (
          <Table aria-label={`Profit by ${period}`} data-testid="profit-table" data-period={period}>
            <THead>
              <TR>
                <TH>{period === 'day' ? 'Day' : period === 'week' ? 'Week' : 'Month'}</TH>
                <TH>Trading days</TH>
                <TH className="text-right">Start equity</TH>
                <TH className="text-right">End equity</TH>
                <TH className="text-right">Profit</TH>
                <TH className="text-right">Return</TH>
              </TR>
            </THead>
            <TBody>
              {periods.map((p) => (
                <TR key={p.period} data-testid="profit-row" data-period={p.period}>
                  <TD label="Period" className="font-medium">
                    {periodLabel(p, period)}
                  </TD>
                  <TD label="Trading days" className="text-muted-foreground">
                    {p.first_date === p.last_date ? formatDate(p.first_date) : fmt.dateRange(p.first_date, p.last_date)}
                  </TD>
                  <TD label="Start equity" className="text-right">
                    {formatMoney(p.start_equity)}
                  </TD>
                  <TD label="End equity" className="text-right">
                    {formatMoney(p.end_equity)}
                  </TD>
                  <TD label="Profit" className={`text-right ${pnlClass(p.profit)}`}>
                    {formatSignedMoney(p.profit)}
                  </TD>
                  <TD label="Return" className={`text-right ${pnlClass(p.return_pct)}`}>
                    {formatPct(p.return_pct)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

const FIRST = Object.fromEntries(SYMBOL_SORTS.map((s) => [s.key, s.first])) as Record<SymbolKey, 'asc' | 'desc'>;

function SymbolTable({ rows }: { rows: SymbolPnl[] }) {
  const [sort, setSort] = useState<SortState<SymbolKey>>(DEFAULT_SYMBOL_SORT);
  const sorted = useMemo(() => sortRows(rows, sort, symbolValue), [rows, sort]);
  if (rows.length === 0) return <p className="text-sm text-subtle" data-testid="symbol-pnl-empty">No trades, so no P/L by symbol.</p>;
  const onSort = (key: SymbolKey) => setSort((s) => nextSort(s, key, FIRST[key]));
  const header = (key: SymbolKey, label: string, right = true) => (
    <SortHeader sort={sort} column={key} onSort={onSort} className={right ? 'text-right' : undefined}>
      {label}
    </SortHeader>
  );
  return (
    <div className="grid grid-cols-1 gap-2">
      <SortSelect sort={sort} options={SYMBOL_SORTS} onChange={setSort} className="sm:hidden" />
      <Table aria-label="P/L by symbol" data-testid="symbol-pnl-table">
        <THead>
          <TR>
            {header('symbol', 'Symbol', false)}
            {header('realized_pnl', 'Realised')}
            {header('unrealized_pnl', 'Unrealised')}
            {header('total_pnl', 'Total P/L')}
            {header('round_trips', 'Closed trades')}
            {header('win_rate_pct', 'Win rate')}
          </TR>
        </THead>
        <TBody>
          {sorted.map((s) => (
            <TR key={s.symbol} data-testid="symbol-pnl-row" data-symbol={s.symbol} data-total={s.total_pnl}>
              <TD label="Symbol" className="font-medium">
                {s.symbol}
              </TD>
              <TD label="Realised" className={`text-right ${pnlClass(s.realized_pnl)}`}>
                {formatSignedMoney(s.realized_pnl)}
              </TD>
              <TD label="Unrealised" className={`text-right ${pnlClass(s.unrealized_pnl)}`}>
                {formatSignedMoney(s.unrealized_pnl)}
              </TD>
              <TD label="Total P/L" className={`text-right font-medium ${pnlClass(s.total_pnl)}`}>
                {formatSignedMoney(s.total_pnl)}
              </TD>
              <TD label="Closed trades" className="text-right">
                {fmt.count(s.round_trips)} <span className="text-xs text-muted-foreground">({fmt.count(s.wins)} won)</span>
              </TD>
              <TD label="Win rate" className="text-right">
                {s.win_rate_pct === null ? '—' : fmt.unsignedPct(s.win_rate_pct)}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
