import { Symbol as TickerSymbol, type Bar } from '@tradewire/contract';
import { isIsoDate } from './calendar.js';

/** A file that cannot be imported; the message names the file, line or date, and what is wrong. */
export class MarketImportError extends Error {
  override name = 'MarketImportError';
}

/** One symbol's bars read from a file, oldest first, dates unique. */
export interface ImportedSeries {
  symbol: string;
  bars: Bar[];
}

/** The six fields of a bar as a file holds them, before any checking. */
export type RawBar = Record<keyof Bar, unknown>;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Throws a MarketImportError prefixed with where it happened (omitted when `where` is empty). */
export const failImport = (where: string, problem: string): never => {
  throw new MarketImportError(where ? `${where}: ${problem}` : problem);
};

function readNumber(raw: unknown, field: string, where: string): number {
  if (raw === undefined || raw === null || raw === '') return failImport(where, `${field} is missing`);
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  const value = text !== undefined && DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) return failImport(where, `bad number ${JSON.stringify(raw)} in ${field}`);
  return value;
}

/** Checks one row and turns it into a bar; `where` (e.g. `AAPL.csv line 7`) starts every message. */
export function readBar(raw: RawBar, where: string): Bar {
  const date = typeof raw.date === 'string' ? raw.date.trim() : '';
  if (!isIsoDate(date)) failImport(where, `bad date ${JSON.stringify(raw.date ?? '')} (expected YYYY-MM-DD)`);
  const price = (field: 'open' | 'high' | 'low' | 'close') => {
    const value = readNumber(raw[field], field, where);
    if (value <= 0) failImport(where, `${field} must be greater than 0, got ${value}`);
    return value;
  };
  const open = price('open');
  const high = price('high');
  const low = price('low');
  const close = price('close');
  const volume = readNumber(raw.volume, 'volume', where);
  if (volume < 0) failImport(where, `volume must not be negative, got ${volume}`);
  if (high < low) failImport(where, `high ${high} is below low ${low}`);
  if (high < Math.max(open, close)) failImport(where, `high ${high} is below ${open > close ? `open ${open}` : `close ${close}`}`);
  if (low > Math.min(open, close)) failImport(where, `low ${low} is above ${open < close ? `open ${open}` : `close ${close}`}`);
  return { date, open, high, low, close, volume };
}

/** A ticker as the contract spells it (trimmed, upper case), or an error naming where it came from. */
export function readSymbol(raw: unknown, where: string): string {
  const parsed = TickerSymbol.safeParse(raw);
  if (parsed.success) return parsed.data;
  return failImport(where, `symbol ${JSON.stringify(raw ?? '')} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
}

export const oldestFirst = (a: Bar, b: Bar) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * A bar with its prices scaled by adjustedClose / close, so that earlier prices line up with
 * later ones across splits and dividends. Every price moves by the same ratio, so the bar stays
 * consistent (high the highest, low the lowest); volume is kept as given.
 */
export function adjustBar(bar: Bar, adjustedClose: number): Bar {
  const ratio = adjustedClose / bar.close;
  const scale = (price: number) => Math.round(price * ratio * 1e6) / 1e6;
  return { ...bar, open: scale(bar.open), high: scale(bar.high), low: scale(bar.low), close: scale(bar.close) };
}
