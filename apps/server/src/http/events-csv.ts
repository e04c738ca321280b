import type { TradingEvent } from '@tradewire/contract';
import { toCsv } from './csv.js';

const COLUMNS = ['id', 'type', 'timestamp', 'model_id', 'run_id', 'message', 'action', 'symbol', 'quantity', 'price', 'amount', 'status', 'reason', 'data'];

/**
 * Events as CSV: the common trade fields as columns, the whole data object as JSON. Without the
 * header row, for the later chunks of a streamed export.
 */
export function eventsCsv(events: readonly TradingEvent[], opts: { header: boolean } = { header: true }): string {
  const rows = events.map((e) => {
    const d = e.data as Record<string, unknown>;
    return [e.id, e.type, e.timestamp, e.model_id, e.run_id, d.message, d.action, d.symbol, d.quantity, d.price, d.amount, d.status, d.reason, JSON.stringify(d)];
  });
  return toCsv(opts.header ? [COLUMNS, ...rows] : rows);
}
