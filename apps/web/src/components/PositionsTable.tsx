import { memo } from 'react';
import type { Position } from '@tradewire/contract';
import { formatMoney, formatQuantity, formatSignedMoney, pnlClass } from '../lib/format';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

export const PositionsTable = memo(function PositionsTable({ positions, compact = false }: { positions: Position[]; compact?: boolean }) {
  if (positions.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="positions-empty">No open positions.</p>;
  return (
    <Table data-testid="positions-table" aria-label="Positions">
      <THead>
        <TR>
          <TH>Symbol</TH>
          <TH className="text-right">Qty</TH>
          {!compact && <TH className="text-right">Avg cost</TH>}
          {!compact && <TH className="text-right">Last</TH>}
          <TH className="text-right">Value</TH>
          <TH className="text-right">P/L</TH>
        </TR>
      </THead>
      <TBody>
        {positions.map((p) => (
          <TR key={p.symbol} data-testid={`position-${p.symbol}`}>
            <TD label="Symbol" className="font-medium">
              {p.symbol}
            </TD>
            <TD label="Qty" className="text-right">
              {formatQuantity(p.quantity)}
            </TD>
            {!compact && (
              <TD label="Avg cost" className="text-right">
                {formatMoney(p.avg_cost)}
              </TD>
            )}
            {!compact && (
              <TD label="Last" className="text-right">
                {formatMoney(p.last_price)}
              </TD>
            )}
            <TD label="Value" className="text-right">
              {formatMoney(p.market_value)}
            </TD>
            <TD label="P/L" className={`text-right ${pnlClass(p.unrealized_pnl)}`}>
              {formatSignedMoney(p.unrealized_pnl)}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
});
