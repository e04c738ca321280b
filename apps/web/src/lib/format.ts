const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdCompact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

export const formatMoney = (n: number) => usd.format(n);
export const formatMoneyCompact = (n: number) => (Math.abs(n) >= 1e6 ? usdCompact.format(n) : usd.format(n));
export const formatQuantity = (n: number) => qty.format(n);

/** `+1.23%` / `-0.50%`: a sign always, so gains and losses read at a glance. */
export function formatPct(n: number, digits = 2) {
  const sign = n > 0 ? '+' : n < 0 ? '−' : '';
  return `${sign}${Math.abs(n).toFixed(digits)}%`;
}

export function formatSignedMoney(n: number) {
  const sign = n > 0 ? '+' : n < 0 ? '−' : '';
  return `${sign}${usd.format(Math.abs(n))}`;
}

/** Local wall-clock time of an ISO timestamp, e.g. `14:03:27`. */
export function formatTime(iso: string) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDateTime(iso: string | null) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** Tailwind text colour for a gain, a loss or flat. */
export const pnlClass = (n: number) => (n > 0 ? 'text-profit' : n < 0 ? 'text-loss' : 'text-muted-foreground');
