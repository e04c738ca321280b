import { adjustBar, failImport, oldestFirst, readBar, readSymbol, type ImportedSeries } from './imported-bars.js';

const SERIES_KEY = 'Time Series (Daily)';
/** Keys Alpha Vantage answers with instead of data: bad symbol, rate limit, premium endpoint. */
const REFUSALS = ['Error Message', 'Note', 'Information'] as const;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AlphaVantageSeries extends ImportedSeries {
  /** True when the bars were scaled to the adjusted close (`adjust` on a DAILY_ADJUSTED document). */
  adjusted: boolean;
  /** Dates with a dividend or a split (DAILY_ADJUSTED documents carry them), oldest first. */
  actions: string[];
}

/**
 * Bars from an Alpha Vantage TIME_SERIES_DAILY or TIME_SERIES_DAILY_ADJUSTED document (already
 * JSON-parsed). The symbol comes from "Meta Data" / "2. Symbol", else from `symbol`. `file` names
 * the source in error messages. Prices are as traded unless `adjust` is set and the document has
 * an adjusted close.
 */
export function parseAlphaVantage(doc: unknown, opts: { file?: string; symbol?: string; adjust?: boolean } = {}): AlphaVantageSeries {
  const file = opts.file ?? '';
  if (!isRecord(doc)) return failImport(file, 'not an Alpha Vantage document (expected a JSON object)');
  for (const key of REFUSALS) {
    const text = doc[key];
    if (typeof text === 'string') failImport(file, `Alpha Vantage returned no data: ${text}`);
  }

  const meta = doc['Meta Data'];
  const metaSymbol = isRecord(meta) ? meta['2. Symbol'] : undefined;
  const rawSymbol = metaSymbol ?? opts.symbol;
  if (rawSymbol === undefined) failImport(file, 'missing "Meta Data" / "2. Symbol" and no symbol given');
  const symbol = readSymbol(rawSymbol, file);

  const series = doc[SERIES_KEY];
  if (!isRecord(series)) return failImport(file, `missing "${SERIES_KEY}" (expected a TIME_SERIES_DAILY response)`);
  const actions: string[] = [];
  let adjusted = false;
  // JSON objects cannot hold a date twice: JSON.parse keeps the last, so duplicates cannot reach here.
  const bars = Object.entries(series).map(([date, day]) => {
    const where = file ? `${file} date ${date}` : `date ${date}`;
    if (!isRecord(day)) return failImport(where, 'expected an object with "1. open" ... "5. volume"');
    // DAILY_ADJUSTED puts the adjusted close fifth and moves volume to sixth.
    const hasAdjusted = '5. adjusted close' in day;
    const bar = readBar(
      {
        date,
        open: day['1. open'],
        high: day['2. high'],
        low: day['3. low'],
        close: day['4. close'],
        volume: hasAdjusted ? day['6. volume'] : day['5. volume'],
      },
      where,
    );
    if (!hasAdjusted) return bar;
    const dividend = Number(day['7. dividend amount'] ?? 0);
    const split = Number(day['8. split coefficient'] ?? 1);
    if ((Number.isFinite(dividend) && dividend !== 0) || (Number.isFinite(split) && split !== 1)) actions.push(bar.date);
    if (!opts.adjust) return bar;
    const adjustedClose = Number(day['5. adjusted close']);
    if (!Number.isFinite(adjustedClose) || adjustedClose <= 0) {
      return failImport(where, `bad number ${JSON.stringify(day['5. adjusted close'])} in adjusted close`);
    }
    adjusted = true;
    return adjustBar(bar, adjustedClose);
  });
  if (bars.length === 0) failImport(file, `no bars in "${SERIES_KEY}"`);
  return { symbol, bars: bars.sort(oldestFirst), adjusted, actions: actions.sort() };
}
