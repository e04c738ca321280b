import { failImport, oldestFirst, readBar, readSymbol, type ImportedSeries } from './imported-bars.js';

const SERIES_KEY = 'Time Series (Daily)';
/** Keys Alpha Vantage answers with instead of data: bad symbol, rate limit, premium endpoint. */
const REFUSALS = ['Error Message', 'Note', 'Information'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Bars from an Alpha Vantage TIME_SERIES_DAILY document (already JSON-parsed). The symbol comes
 * from "Meta Data" / "2. Symbol", else from `symbol`. `file` names the source in error messages.
 */
export function parseAlphaVantage(doc: unknown, opts: { file?: string; symbol?: string } = {}): ImportedSeries {
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
  // JSON objects cannot hold a date twice: JSON.parse keeps the last, so duplicates cannot reach here.
  const bars = Object.entries(series).map(([date, day]) => {
    const where = file ? `${file} date ${date}` : `date ${date}`;
    if (!isRecord(day)) return failImport(where, 'expected an object with "1. open" ... "5. volume"');
    return readBar(
      { date, open: day['1. open'], high: day['2. high'], low: day['3. low'], close: day['4. close'], volume: day['5. volume'] },
      where,
    );
  });
  if (bars.length === 0) failImport(file, `no bars in "${SERIES_KEY}"`);
  return { symbol, bars: bars.sort(oldestFirst) };
}
