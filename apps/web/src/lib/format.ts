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

const tickDigits = [0, 1, 2, 3].map((d) => new Intl.NumberFormat('en-US', { maximumFractionDigits: d }));
const TICK_UNITS: readonly (readonly [number, string])[] = [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

/**
 * A currency axis tick, short enough never to be clipped: `$950`, `$10.4k`, `$1.25M`, never cents.
 * `step` (the distance between neighbouring ticks) sets the digits needed to tell them apart.
 */
export function formatMoneyTick(n: number, step = 0): string {
  const abs = Math.abs(n);
  const [unit, suffix] = TICK_UNITS.find(([u]) => abs >= u) ?? [1, ''];
  const digits = unit === 1 ? 0 : Math.min(3, Math.max(1, step > 0 ? Math.ceil(Math.log10(unit / step) - 1e-9) : 1));
  return `${n < 0 ? '−' : ''}$${tickDigits[digits]!.format(abs / unit)}${suffix}`;
}
