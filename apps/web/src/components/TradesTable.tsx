import { memo, useEffect, useRef } from 'react';
import type { Trade } from '@tradewire/contract';
import { formatDate, formatMoney, formatQuantity } from '../lib/format';
import { Badge } from './ui/badge';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

const ACTION_LABEL: Record<Trade['action'], string> = { buy: 'Buy', sell: 'Sell', hold: 'Hold' };

export function ActionBadge({ action, status }: { action: Trade['action']; status: Trade['status'] }) {
  const word = ACTION_LABEL[action];
  if (status === 'rejected') return <Badge variant="warn">{word} · rejected</Badge>;
  return <Badge variant={action === 'buy' ? 'live' : action === 'sell' ? 'danger' : 'default'}>{word}</Badge>;
}

const TradeRow = memo(function TradeRow({ t, compact, selected }: { t: Trade; compact: boolean; selected: boolean }) {
  const row = useRef<HTMLTableRowElement>(null);
  // A link that names this trade (an assistant's citation) brings it into view.
  useEffect(() => {
    if (selected) row.current?.scrollIntoView?.({ block: 'center' });
  }, [selected]);
  return (
    <TR
      ref={row}
      data-testid="trade-row"
      data-trade-id={t.id}
      data-selected={selected || undefined}
      aria-current={selected || undefined}
      className={selected ? 'bg-info/15 outline outline-1 outline-info' : undefined}
    >
      <TD label="Date" className="text-muted-foreground">
        {formatDate(t.date)}
      </TD>
      <TD label="Action">
        <ActionBadge action={t.action} status={t.status} />
      </TD>
      <TD label="Symbol" className="font-medium">
        {t.symbol ?? '—'}
      </TD>
      <TD label="Qty" className="text-right">
        {t.action === 'hold' ? '—' : formatQuantity(t.quantity)}
      </TD>
      <TD label="Price" className="text-right">
        {t.action === 'hold' ? '—' : formatMoney(t.price)}
      </TD>
      {!compact && (
        <TD label="Amount" className="text-right">
          {t.action === 'hold' ? '—' : formatMoney(t.amount)}
        </TD>
      )}
      {!compact && (
        // The whole reason, wrapped: the signal and values that fired the order, and what the broker changed.
        <TD label="Reason" className="max-w-80 min-w-48 text-xs whitespace-normal text-muted-foreground" data-testid="trade-reason">
          {t.reason ?? ''}
        </TD>
      )}
    </TR>
  );
});

/** `selected`: the trade (by id) or the day whose trades are highlighted and scrolled to. */
export function TradesTable({ trades, compact = false, selected }: { trades: Trade[]; compact?: boolean; selected?: { tradeId?: number; day?: string } }) {
  const isSelected = (t: Trade) => selected !== undefined && (t.id === selected.tradeId || (selected.day !== undefined && t.date === selected.day));
  if (trades.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="trades-empty">No trades yet.</p>;
  return (
    <Table data-testid="trades-table" aria-label="Trades">
      <THead>
        <TR>
          <TH>Date</TH>
          <TH>Action</TH>
          <TH>Symbol</TH>
          <TH className="text-right">Qty</TH>
          <TH className="text-right">Price</TH>
          {!compact && <TH className="text-right">Amount</TH>}
          {!compact && <TH>Reason</TH>}
        </TR>
      </THead>
      <TBody>
        {trades.map((t) => (
          <TradeRow key={t.id} t={t} compact={compact} selected={isSelected(t)} />
        ))}
      </TBody>
    </Table>
  );
}
