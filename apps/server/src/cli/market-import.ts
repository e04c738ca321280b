import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { importMarketFiles } from '../market/import.js';
import { openSqlite } from '../storage/sqlite.js';

/**
 * `npm run market:import -- <files...>`: imports CSV and Alpha Vantage JSON files into the
 * configured SQLite database, all or nothing, and prints what each symbol now holds.
 */
async function main(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('usage: npm run market:import -- <SYMBOL.csv | file.json>...');
    return 2;
  }
  const config = loadConfig();
  const storage = await openSqlite(join(config.dataDir, 'tradewire.db'));
  try {
    const { imported } = await importMarketFiles(storage, files);
    for (const s of imported) console.log(`${s.symbol.padEnd(16)}${String(s.bars).padStart(6)} bar${s.bars === 1 ? '' : 's'}  ${s.from} .. ${s.to}`);
    console.log(`Imported ${imported.length} symbol${imported.length === 1 ? '' : 's'} into ${config.dataDir}`);
    return 0;
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`market import failed, nothing was imported: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
