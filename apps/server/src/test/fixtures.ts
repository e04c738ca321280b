import type { ModelWrite } from '../storage/records.js';

/** A valid model as storage takes it; tests override what they care about. */
export const modelWrite = (name: string, extra: Partial<ModelWrite> = {}): ModelWrite => ({
  name,
  description: '',
  agent: { kind: 'sma_crossover', params: { fast: 10, slow: 30, position_pct: 25 } },
  agent_secret: null,
  initial_cash: 10_000,
  allowed_symbols: [],
  risk: { max_position_pct: 25, max_orders_per_step: 5, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 },
  commission_bps: 0,
  slippage_bps: 5,
  dataset: 'simulated',
  ...extra,
});

/**
 * Daily CSV rows (date,open,high,low,close,volume) of a symbol as traded, 40 weekdays from
 * 2025-10-01, with a 15-for-1 split overnight into the 21st day: 1348.10 -> 90.00, as in the
 * file that was once imported silently; volume rises 15-fold with the share count.
 */
export function splitCsv(): { csv: string; splitDate: string; before: { date: string; close: number } } {
  const rows = ['date,open,high,low,close,volume'];
  const start = Date.UTC(2025, 9, 1);
  const dates: string[] = [];
  for (let t = start; dates.length < 40; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(t).toISOString().slice(0, 10));
  }
  dates.forEach((date, i) => {
    const scale = i < 20 ? 1 : 1 / 15;
    const close = i === 19 ? 1348.1 : Math.round((1340 + 8 * Math.sin(i)) * scale * 100) / 100;
    const open = i === 20 ? 90 : Math.round((1338 + 8 * Math.sin(i)) * scale * 100) / 100;
    const high = Math.max(open, close) + 1 * scale;
    const low = Math.min(open, close) - 1 * scale;
    const volume = (i < 20 ? 1 : 15) * (100_000 + i * 10);
    rows.push([date, open, high.toFixed(2), low.toFixed(2), close, volume].join(','));
  });
  return { csv: rows.join('\n'), splitDate: dates[20]!, before: { date: dates[19]!, close: 1348.1 } };
}
