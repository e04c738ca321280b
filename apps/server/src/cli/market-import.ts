import { parseArgs } from 'node:util';
import { DatasetName } from '@tradewire/contract';
import { loadConfig } from '../config/config.js';
import { importMarketFiles } from '../market/import.js';
import { IMPORT_DATASET } from '../market/index.js';
import { SplitsFound } from '../market/splits.js';
import { openStorage } from '../storage/open.js';

const USAGE = 'usage: npm run market:import -- [--dataset NAME] [--adjust-splits | --no-adjust-splits] <SYMBOL.csv | file.json>...';

/**
 * `npm run market:import -- [--dataset NAME] [--adjust-splits | --no-adjust-splits] <files...>`:
 * imports CSV and Alpha Vantage JSON files into the configured database (data set `import` unless
 * named), all or nothing, and prints what each symbol now holds. Files in which a split is found
 * are refused (exit 3, nothing imported) unless one of the two flags says what to do about it.
 */
async function main(argv: string[]): Promise<number> {
  const { values, positionals: files } = parseArgs({
    args: argv,
    options: { dataset: { type: 'string' }, 'adjust-splits': { type: 'boolean' }, 'no-adjust-splits': { type: 'boolean' } },
    allowPositionals: true,
  });
  const dataset = DatasetName.safeParse(values.dataset ?? IMPORT_DATASET);
  const both = values['adjust-splits'] && values['no-adjust-splits'];
  if (files.length === 0 || !dataset.success || both) {
    const problem = both ? '--adjust-splits and --no-adjust-splits exclude each other' : dataset.success ? '' : `--dataset: ${dataset.error.issues[0]?.message}`;
    console.error(problem ? `${problem}\n${USAGE}` : USAGE);
    return 2;
  }
  const adjustSplits = values['adjust-splits'] ? true : values['no-adjust-splits'] ? false : undefined;
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const { imported } = await importMarketFiles(storage, files, dataset.data, adjustSplits);
    for (const s of imported) {
      console.log(`${s.symbol.padEnd(16)}${String(s.bars).padStart(6)} bar${s.bars === 1 ? '' : 's'}  ${s.from} .. ${s.to}`);
      const how = s.split_adjusted ? 'earlier prices back-adjusted' : 'kept as traded';
      for (const split of s.splits) console.log(`${''.padEnd(16)}split ${split.ratio} on ${split.date} (${split.previous_close} -> ${split.open}): ${how}`);
    }
    console.log(`Imported ${imported.length} symbol${imported.length === 1 ? '' : 's'} into data set ${dataset.data}`);
    return 0;
  } catch (e) {
    if (!(e instanceof SplitsFound)) throw e;
    console.error(`${e.message}; nothing was imported.\nRun again with --adjust-splits to back-adjust the prices before them, or --no-adjust-splits to keep prices as traded.`);
    return 3;
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
