/**
 * Every number, amount, date and time the dashboard shows goes through here, in the browser's
 * locale: one currency style ("$" and separators), one signed style (U+2212 for minus), one date
 * style and one clock style.
 */

/** U+2212: a real minus sign, as wide as the plus, not the hyphen-minus Intl emits in most locales. */
export const MINUS = '\u2212';

export interface Formatters {
  locale: string;
  /** `$10,023.50` */
  money(n: number): string;
  /** `+$12.30` / `−$4.00` / `$0.00` */
  signedMoney(n: number): string;
  /** Percent points with a sign: `+1.23%` / `−0.50%` / `0.00%`. */
  pct(n: number, digits?: number): string;
  /** A percentage without a sign (volatility, win rate): `12.50%`. */
  unsignedPct(n: number, digits?: number): string;
  /** Shares: up to four decimals, with separators. */
  quantity(n: number): string;
  /** Counts: `1,234`. */
  count(n: number): string;
  /** A plain number with fixed decimals (ratios like Sharpe), minus as U+2212. */
  decimal(n: number, digits?: number): string;
  /** A market date (`2026-10-01`) or a timestamp's local day, e.g. `Oct 1, 2026`. */
  date(value: string): string;
  /** A calendar month (`2026-10`) as `Oct 2026`. */
  month(value: string): string;
  /** A market date without its year, for crowded chart axes: `Oct 1`. */
  shortDate(value: string): string;
  /** `2026-10-01` to `2026-10-30` as `Oct 1, 2026 – Oct 30, 2026`. */
  dateRange(from: string, to: string): string;
  /** A timestamp's local wall-clock time, e.g. `2:03:27 PM` or `14:03:27` as the locale reads clocks (`minutes`: without seconds). */
  clock(value: string | number | Date, precision?: 'seconds' | 'minutes'): string;
  /** The date and the clock, as above. */
  dateTime(value: string | null): string;
}

const MARKET_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Replaces Intl's minus sign (whichever the locale uses) with U+2212. */
function withMinus(parts: Intl.NumberFormatPart[]): string {
  return parts.map((p) => (p.type === 'minusSign' ? MINUS : p.value)).join('');
}

function number(locale: string, options: Intl.NumberFormatOptions) {
  const f = new Intl.NumberFormat(locale, options);
  return (n: number) => withMinus(f.formatToParts(n));
}

/** A locale Intl accepts: the browser's, or Intl's default when it names none or one Intl cannot use. */
export function resolveLocale(wanted: string | undefined): string {
  try {
    return new Intl.NumberFormat(wanted).resolvedOptions().locale;
  } catch {
    return new Intl.NumberFormat().resolvedOptions().locale;
  }
}

export function createFormatters(wanted?: string): Formatters {
  const locale = resolveLocale(wanted);
  const currency = { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol' } as const;
  const money = number(locale, { ...currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const signedMoney = number(locale, { ...currency, minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const quantity = number(locale, { maximumFractionDigits: 4 });
  const count = number(locale, { maximumFractionDigits: 0 });
  const percent = new Map<string, (n: number) => string>();
  const pctOf = (digits: number, sign: boolean) => {
    const key = `${digits}-${sign}`;
    let f = percent.get(key);
    if (!f) {
      f = number(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: sign ? 'exceptZero' : 'auto' });
      percent.set(key, f);
    }
    return f;
  };
  const decimals = new Map<number, (n: number) => string>();
  const decimal = (n: number, digits = 2) => {
    let f = decimals.get(digits);
    if (!f) decimals.set(digits, (f = number(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
    return f(n);
  };

  const dayStyle = { year: 'numeric', month: 'short', day: 'numeric' } as const;
  // Market dates are calendar days, not instants: read and print them in UTC so no zone shifts them.
  const marketDay = new Intl.DateTimeFormat(locale, { ...dayStyle, timeZone: 'UTC' });
  const localDay = new Intl.DateTimeFormat(locale, dayStyle);
  const monthFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const clockFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const minuteClock = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const toDate = (v: string | number | Date) => (v instanceof Date ? v : new Date(v));

  const date = (value: string) => {
    if (MARKET_DATE.test(value)) return marketDay.format(new Date(`${value}T00:00:00Z`));
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : localDay.format(d);
  };
  const clock = (value: string | number | Date, precision: 'seconds' | 'minutes' = 'seconds') => {
    const d = toDate(value);
    if (Number.isNaN(d.getTime())) return '';
    return (precision === 'minutes' ? minuteClock : clockFormat).format(d);
  };

  return {
    locale,
    money,
    signedMoney,
    pct: (n, digits = 2) => pctOf(digits, true)(n / 100),
    unsignedPct: (n, digits = 2) => pctOf(digits, false)(n / 100),
    quantity,
    count,
    decimal,
    date,
    month: (value) => (/^\d{4}-\d{2}$/.test(value) ? monthFormat.format(new Date(`${value}-01T00:00:00Z`)) : value),
    shortDate: (value) => (MARKET_DATE.test(value) ? shortDay.format(new Date(`${value}T00:00:00Z`)) : value),
    dateRange: (from, to) => `${date(from)} – ${date(to)}`,
    clock,
    dateTime: (value) => {
      if (!value) return '—';
      const d = new Date(value);
      return Number.isNaN(d.getTime()) ? value : `${localDay.format(d)}, ${clockFormat.format(d)}`;
    },
  };
}

/** The browser's preferred locale; Intl's default outside a browser. */
const browserLocale = typeof navigator === 'undefined' ? undefined : navigator.language;

/** The dashboard's formatters, in the browser's locale. */
export const fmt = createFormatters(browserLocale);

export const formatMoney = fmt.money;
export const formatSignedMoney = fmt.signedMoney;
const millions = number(fmt.locale, { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol', notation: 'compact', maximumFractionDigits: 1 });
/** Amounts of a million and more as `$1.2M`, smaller ones in full. */
export const formatMoneyCompact = (n: number) => (Math.abs(n) >= 1e6 ? millions(n) : fmt.money(n));
export const formatPct = fmt.pct;
export const formatQuantity = fmt.quantity;
export const formatDate = fmt.date;
export const formatDateRange = fmt.dateRange;
/** Local wall-clock time of a timestamp. */
export const formatTime = (value: string | number | Date) => fmt.clock(value);
export const formatDateTime = fmt.dateTime;

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
