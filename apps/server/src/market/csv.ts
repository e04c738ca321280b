import { parse } from 'csv-parse/sync';
import { failImport, oldestFirst, readBar, readSymbol, type ImportedSeries } from './imported-bars.js';

const REQUIRED = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;

interface CsvRow {
  line: number;
  fields: string[];
}

/**
 * Bars from CSV text with a header row naming date, open, high, low, close, volume (any case, any
 * order, extra columns ignored) and optionally symbol. Without a symbol column every row belongs
 * to `symbol`; with one, the column wins. `file` names the source in error messages.
 */
export function parseCsvBars(text: string, opts: { file?: string; symbol?: string } = {}): ImportedSeries[] {
  const file = opts.file ?? '';
  const at = (line: number) => (file ? `${file} line ${line}` : `line ${line}`);
  const [header, ...rows] = readRows(text, file);
  if (!header) return failImport(file, 'empty file: expected a header row with date, open, high, low, close, volume');

  const columns = header.fields.map((name) => name.toLowerCase());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) failImport(at(header.line), `missing column ${missing.join(', ')}`);
  const index = Object.fromEntries(REQUIRED.map((c) => [c, columns.indexOf(c)])) as Record<(typeof REQUIRED)[number], number>;
  const symbolColumn = columns.indexOf('symbol');
  const fallback = opts.symbol === undefined ? undefined : readSymbol(opts.symbol, file);
  if (symbolColumn < 0 && fallback === undefined) failImport(file, 'no symbol column and no symbol given for the file');
  if (rows.length === 0) failImport(file, 'no bars after the header row');

  const bySymbol = new Map<string, { series: ImportedSeries; lineOfDate: Map<string, number> }>();
  for (const { line, fields } of rows) {
    const symbol = symbolColumn < 0 ? fallback! : readSymbol(fields[symbolColumn], at(line));
    const bar = readBar(
      {
        date: fields[index.date],
        open: fields[index.open],
        high: fields[index.high],
        low: fields[index.low],
        close: fields[index.close],
        volume: fields[index.volume],
      },
      at(line),
    );
    let entry = bySymbol.get(symbol);
    if (!entry) bySymbol.set(symbol, (entry = { series: { symbol, bars: [] }, lineOfDate: new Map() }));
    const first = entry.lineOfDate.get(bar.date);
    if (first !== undefined) failImport(at(line), `duplicate date ${bar.date} for ${symbol} (first on line ${first})`);
    entry.lineOfDate.set(bar.date, line);
    entry.series.bars.push(bar);
  }
  return [...bySymbol.values()].map(({ series }) => {
    series.bars.sort(oldestFirst);
    return series;
  });
}

/** Every non-empty record with the line it ends on; a malformed file (bad quoting, ragged rows) is an error. */
function readRows(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = [];
  try {
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Collected here rather than returned: the parser's types only allow string[] records.
      on_record: (fields, context) => {
        rows.push({ line: context.lines, fields });
        return null;
      },
    });
  } catch (e) {
    return failImport(file, `not valid CSV: ${(e as Error).message}`);
  }
  return rows;
}
