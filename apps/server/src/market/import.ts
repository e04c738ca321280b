import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { DEFAULT_DATASET, type ImportResult } from '@tradewire/contract';
import type { Storage } from '../storage/storage.js';
import { parseAlphaVantage } from './alpha-vantage.js';
import { parseCsvBars } from './csv.js';
import { failImport, type ImportedSeries } from './imported-bars.js';
import { IMPORT_DATASET } from './index.js';

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
 * of the same name. Fails with DatasetMismatch when the data set holds downloaded data.
 */
export async function saveImport(storage: Storage, series: ImportedSeries[], dataset = IMPORT_DATASET): Promise<ImportResult> {
  if (dataset === DEFAULT_DATASET) {
    failImport('', `dataset: ${DEFAULT_DATASET} is generated, not stored: import into another data set (by default ${IMPORT_DATASET})`);
  }
  await storage.market.save(
    { name: dataset, source: 'import', provider: null, adjusted: false },
    series.map(({ symbol, bars }) => ({ info: { symbol, name: symbol, sector: 'Unknown', source: 'import' }, bars })),
  );
  return {
    imported: series.map(({ symbol, bars }) => ({ symbol, bars: bars.length, from: bars[0]!.date, to: bars.at(-1)!.date })),
  };
}

/** Imports files all or nothing: every file is parsed and checked before anything is written. */
export async function importMarketFiles(storage: Storage, paths: string[], dataset?: string): Promise<ImportResult> {
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
  return saveImport(storage, series, dataset);
}
