import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { DEFAULT_DATASET, type ImportResult } from '@tradewire/contract';
import type { Storage } from '../storage/storage.js';
import { parseAlphaVantage } from './alpha-vantage.js';
import { parseCsvBars } from './csv.js';
import { failImport, type ImportedSeries } from './imported-bars.js';
import { IMPORT_DATASET } from './index.js';
import { backAdjust, detectSplits, SplitsFound } from './splits.js';

export interface MarketFile {
  /** File name: its extension picks the format and its stem (AAPL.csv) is the fallback symbol. */
  name: string;
  content: string;
}

/** Parses one CSV or Alpha Vantage JSON file; throws MarketImportError naming what is wrong. */
export function parseMarketFile(file: MarketFile): ImportedSeries[] {
  const name = basename(file.name);
  const ext = extname(name).toLowerCase();
  const symbol = basename(name, extname(name));
  if (ext === '.csv') return parseCsvBars(file.content, { file: name, symbol });
  if (ext !== '.json') return failImport(name, 'unknown file type: expected .csv or .json');
  let doc: unknown;
  try {
    doc = JSON.parse(file.content);
  } catch (e) {
    return failImport(name, `not valid JSON: ${(e as Error).message}`);
  }
  return [parseAlphaVantage(doc, { file: name, symbol })];
}

/**
 * Writes already-checked series into a data set (`import` unless named) in one transaction, each
 * replacing any earlier import of its symbol there. In `import` a ticker also hides a simulated one
 * of the same name. Files hold prices as traded, so each series is checked for splits first:
 * `adjustSplits` true back-adjusts the prices before them (and the data set records it per
 * symbol), false keeps them as traded, and undefined refuses the whole import with SplitsFound
 * when any is found, so a run never trades across one unknowingly. Fails with DatasetMismatch
 * when the data set holds downloaded data.
 */
export async function saveImport(
  storage: Storage,
  series: ImportedSeries[],
  dataset = IMPORT_DATASET,
  adjustSplits?: boolean,
): Promise<ImportResult> {
  if (dataset === DEFAULT_DATASET) {
    failImport('', `dataset: ${DEFAULT_DATASET} is generated, not stored: import into another data set (by default ${IMPORT_DATASET})`);
  }
  const checked = series.map((s) => ({ ...s, splits: detectSplits(s.bars).map((f) => ({ symbol: s.symbol, ...f })) }));
  const found = checked.flatMap((s) => s.splits);
  if (found.length > 0 && adjustSplits === undefined) throw new SplitsFound(found);
  const adjust = (s: (typeof checked)[number]) => adjustSplits === true && s.splits.length > 0;
  await storage.market.save(
    { name: dataset, source: 'import', provider: null, adjusted: false },
    checked.map((s) => ({
      info: { symbol: s.symbol, name: s.symbol, sector: 'Unknown', source: 'import' },
      bars: adjust(s) ? backAdjust(s.bars, s.splits) : s.bars,
      splitAdjusted: adjust(s) ? s.splits.map(({ date, ratio, factor }) => ({ date, ratio, factor })) : undefined,
    })),
  );
  return {
    imported: checked.map((s) => ({
      symbol: s.symbol,
      bars: s.bars.length,
      from: s.bars[0]!.date,
      to: s.bars.at(-1)!.date,
      splits: s.splits,
      split_adjusted: adjust(s),
    })),
  };
}

/** Imports files all or nothing: every file is parsed and checked before anything is written. */
export async function importMarketFiles(storage: Storage, paths: string[], dataset?: string, adjustSplits?: boolean): Promise<ImportResult> {
  const fileOf = new Map<string, string>();
  const series: ImportedSeries[] = [];
  for (const path of paths) {
    const name = basename(path);
    for (const s of parseMarketFile({ name, content: await readFile(path, 'utf8') })) {
      const other = fileOf.get(s.symbol);
      if (other !== undefined) failImport(name, `${s.symbol} is also in ${other}: import each symbol once`);
      fileOf.set(s.symbol, name);
      series.push(s);
    }
  }
  return saveImport(storage, series, dataset, adjustSplits);
}
