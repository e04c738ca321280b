import { useMemo, useState } from 'react';
import type { OpenLot, RoundTrip } from '@tradewire/contract';
import { fmt, formatDate, formatMoney, formatPct, formatQuantity, formatSignedMoney, pnlClass } from '../lib/format';
import { nextSort, sortRows, type SortState } from '../lib/table-sort';
import { DEFAULT_ROUND_TRIP_SORT, ROUND_TRIP_SORTS, roundTripTotals, roundTripValue, type RoundTripKey } from './round-trips';
import { Figure } from './Figure';
import { SortHeader, SortSelect } from './SortableTable';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

const FIRST = Object.fromEntries(ROUND_TRIP_SORTS.map((s) => [s.key, s.first])) as Record<RoundTripKey, 'asc' | 'desc'>;

/** A run's closed trades (FIFO lots from buy to sell), sortable, with their totals; then the lots still open. */
export function RoundTripsTable({ trips, open }: { trips: readonly RoundTrip[]; open: readonly OpenLot[] }) {
  const [sort, setSort] = useState<SortState<RoundTripKey>>(DEFAULT_ROUND_TRIP_SORT);
  const rows = useMemo(() => sortRows(trips, sort, roundTripValue), [trips, sort]);
  const totals = useMemo(() => roundTripTotals(trips), [trips]);
  const onSort = (key: RoundTripKey) => setSort((s) => nextSort(s, key, FIRST[key]));
  const header = (key: RoundTripKey, label: string, className?: string) => (
    <SortHeader sort={sort} column={key} onSort={onSort} className={className}>
      {label}
    </SortHeader>
  );

  return (
    <div className="grid grid-cols-1 gap-4">
      <dl
        className="grid grid-cols-2 gap-3 sm:grid-cols-4"
        data-testid="round-trip-totals"
        data-count={totals.count}
        data-wins={totals.wins}
        data-losses={totals.losses}
        data-pnl={totals.pnl}
      >
        <Figure label="Closed trades" value={fmt.count(totals.count)} detail={`${fmt.count(totals.wins)} won · ${fmt.count(totals.losses)} lost`} />
        <Figure label="Win rate" value={totals.winRatePct === null ? '—' : fmt.unsignedPct(totals.winRatePct)} />
        <Figure
          label="Realised P/L"
          value={formatSignedMoney(totals.pnl)}
          tone={pnlClass(totals.pnl)}
          detail={`${formatSignedMoney(totals.grossProfit)} won · ${formatSignedMoney(totals.grossLoss)} lost`}
        />
        <Figure
          label="Average trade"
          value={totals.averagePnlPct === null ? '—' : formatPct(totals.averagePnlPct)}
          tone={totals.averagePnlPct === null ? undefined : pnlClass(totals.averagePnlPct)}
          detail={totals.averageHoldingDays === null ? undefined : `held ${fmt.decimal(totals.averageHoldingDays, 1)} trading days`}
        />
      </dl>

      {trips.length === 0 ? (
        <p className="py-2 text-sm text-subtle" data-testid="round-trips-empty">
          No closed trades: nothing bought in this run has been sold yet.
        </p>
      ) : (
        <>
          <SortSelect sort={sort} options={ROUND_TRIP_SORTS} onChange={setSort} className="sm:hidden" testId="round-trips-sort" />
          <Table aria-label="Closed trades" data-testid="round-trips-table" data-sort={`${sort.key} ${sort.direction}`}>
            <THead>
              <TR>
                {header('symbol', 'Symbol')}
                {header('entry_date', 'Entry')}
                {header('exit_date', 'Exit')}
                {header('quantity', 'Qty', 'text-right')}
                {header('pnl', 'P/L', 'text-right')}
                {header('pnl_pct', 'P/L %', 'text-right')}
                {header('holding_days', 'Days', 'text-right')}
                <TH>Reasons</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((t, i) => (
                <TR
                  key={`${t.symbol}-${t.entry_date}-${t.exit_date}-${i}`}
                  data-testid="round-trip-row"
                  data-symbol={t.symbol}
                  data-entry-date={t.entry_date}
                  data-exit-date={t.exit_date}
                  data-quantity={t.quantity}
                  data-pnl={t.pnl}
                >
                  <TD label="Symbol" className="font-medium">
                    {t.symbol}
                  </TD>
                  <TD label="Entry">
                    <DatePrice date={t.entry_date} price={t.entry_price} />
                  </TD>
                  <TD label="Exit">
                    <DatePrice date={t.exit_date} price={t.exit_price} />
                  </TD>
                  <TD label="Qty" className="text-right">
                    {formatQuantity(t.quantity)}
                  </TD>
                  <TD label="P/L" className={`text-right ${pnlClass(t.pnl)}`}>
                    {formatSignedMoney(t.pnl)}
                  </TD>
                  <TD label="P/L %" className={`text-right ${pnlClass(t.pnl_pct)}`}>
                    {formatPct(t.pnl_pct)}
                  </TD>
                  <TD label="Days" className="text-right" title={`${fmt.count(t.calendar_days)} calendar days`}>
                    {fmt.count(t.holding_days)}
                  </TD>
                  <TD label="Reasons" className="max-w-80 min-w-56 text-xs whitespace-normal text-muted-foreground">
                    <Reasons entry={t.entry_reason} exit={t.exit_reason} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </>
      )}

      {open.length > 0 && (
        <div className="grid grid-cols-1 gap-2">
          <h3 className="text-sm font-medium text-muted-foreground">Still open at the end</h3>
          <Table aria-label="Open lots" data-testid="open-lots-table">
            <THead>
              <TR>
                <TH>Symbol</TH>
                <TH>Entry</TH>
                <TH className="text-right">Qty</TH>
                <TH className="text-right">Last price</TH>
                <TH className="text-right">Unrealised P/L</TH>
                <TH>Entry reason</TH>
              </TR>
            </THead>
            <TBody>
              {open.map((l, i) => (
                <TR key={`${l.symbol}-${l.entry_date}-${i}`} data-testid="open-lot-row" data-symbol={l.symbol}>
                  <TD label="Symbol" className="font-medium">
                    {l.symbol}
                  </TD>
                  <TD label="Entry">
                    <DatePrice date={l.entry_date} price={l.entry_price} />
                  </TD>
                  <TD label="Qty" className="text-right">
                    {formatQuantity(l.quantity)}
                  </TD>
                  <TD label="Last price" className="text-right">
                    {l.last_price === null ? '—' : formatMoney(l.last_price)}
                  </TD>
                  <TD label="Unrealised P/L" className={`text-right ${l.unrealized_pnl === null ? '' : pnlClass(l.unrealized_pnl)}`}>
                    {l.unrealized_pnl === null ? '—' : formatSignedMoney(l.unrealized_pnl)}
                  </TD>
                  <TD label="Entry reason" className="max-w-72 min-w-40 text-xs whitespace-normal text-muted-foreground">
                    {l.entry_reason ?? '—'}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </div>
  );
}

/** Why the lot was bought and why it was sold, one line each. */
function Reasons({ entry, exit }: { entry: string | null; exit: string | null }) {
  return (
    <span className="grid gap-0.5 text-left">
      <span data-testid="entry-reason">
        <span className="text-subtle">In: </span>
        {entry ?? '—'}
      </span>
      <span data-testid="exit-reason">
        <span className="text-subtle">Out: </span>
        {exit ?? '—'}
      </span>
    </span>
  );
}

function DatePrice({ date, price }: { date: string; price: number }) {
  return (
    <span className="inline-flex flex-col items-end sm:items-start">
      <span>{formatDate(date)}</span>
      <span className="text-xs text-muted-foreground">{formatMoney(price)}</span>
    </span>
  );
}
