import { parseArgs } from 'node:util';
import { DatasetName } from '@tradewire/contract';
import { loadConfig } from '../config/config.js';
import { importMarketFiles } from '../market/import.js';
import { IMPORT_DATASET } from '../market/index.js';
import { openStorage } from '../storage/open.js';

const USAGE = 'usage: npm run market:import -- [--dataset NAME] <SYMBOL.csv | file.json>...';

/**
 * `npm run market:import -- [--dataset NAME] <files...>`: imports CSV and Alpha Vantage JSON files
 * into the configured database (data set `import` unless named), all or nothing, and prints what
 * each symbol now holds.
 */
async function main(argv: string[]): Promise<number> {
  const { values, positionals: files } = parseArgs({ args: argv, options: { dataset: { type: 'string' } }, allowPositionals: true });
  const dataset = DatasetName.safeParse(values.dataset ?? IMPORT_DATASET);
  if (files.length === 0 || !dataset.success) {
    console.error(dataset.success ? USAGE : `--dataset: ${dataset.error.issues[0]?.message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const { imported } = await importMarketFiles(storage, files, dataset.data);
    for (const s of imported) console.log(`${s.symbol.padEnd(16)}${String(s.bars).padStart(6)} bar${s.bars === 1 ? '' : 's'}  ${s.from} .. ${s.to}`);
    console.log(`Imported ${imported.length} symbol${imported.length === 1 ? '' : 's'} into data set ${dataset.data}`);
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
