import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { FetchBody, type FetchSymbolResult } from '@tradewire/contract';
import { ConfigError, loadConfig } from '../config/config.js';
import { fetchMarket, FetchRefused } from '../market/fetch.js';
import { createProvider, missingKeys } from '../market/providers/index.js';
import { openStorage } from '../storage/open.js';

const USAGE = `usage: npm run market:fetch -- --provider yahoo|alpaca|alphavantage --symbols AAPL,MSFT [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--dataset NAME] [--adjust-splits | --no-adjust-splits]

Downloads daily bars into a data set (default: the provider's name). A symbol already stored is
only asked for the days after its last bar. Prices as traded (Alpha Vantage's free key) with a
split in them fail unless --adjust-splits (back-adjust) or --no-adjust-splits (keep) says what to
do. Keys: ALPACA_KEY_ID and ALPACA_SECRET_KEY, ALPHAVANTAGE_API_KEY.`;

class UsageError extends Error {}

function readArgs(argv: string[]): FetchBody {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        provider: { type: 'string' },
        symbols: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        dataset: { type: 'string' },
        'adjust-splits': { type: 'boolean' },
        'no-adjust-splits': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (values['adjust-splits'] && values['no-adjust-splits']) throw new UsageError('--adjust-splits and --no-adjust-splits exclude each other');
  const parsed = FetchBody.safeParse({
    provider: values.provider,
    symbols: values.symbols?.split(',').filter((s) => s.trim() !== ''),
    from: values.from,
    to: values.to,
    dataset: values.dataset,
    adjust_splits: values['adjust-splits'] ? true : values['no-adjust-splits'] ? false : undefined,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return parsed.data;
}

const line = (r: FetchSymbolResult) => {
  const span = r.first ? `${r.first} .. ${r.last}` : '';
  const what = r.status === 'failed' ? `failed: ${r.error}` : r.status === 'updated' ? `+${r.bars} bar${r.bars === 1 ? '' : 's'}` : 'up to date';
  return `${r.symbol.padEnd(12)}${what.padEnd(r.status === 'failed' ? 0 : 14)}${r.status === 'failed' ? '' : span}${r.note ? `  (${r.note})` : ''}`;
};

/**
 * `npm run market:fetch`: downloads daily bars from Yahoo Finance, Alpaca or Alpha Vantage into the
 * configured database with a progress bar, one transaction per symbol, and prints what each
 * symbol now holds. Exits 1 when any symbol failed (the others are stored).
 */
async function main(argv: string[]): Promise<number> {
  const body = readArgs(argv);
  const config = loadConfig();
  const problem = missingKeys(body.provider, config);
  if (problem) throw new UsageError(problem);
  const dataset = body.dataset ?? body.provider;
  const storage = await openStorage(config);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Error('interrupted: symbols already fetched are stored')));
  const bar = new SingleBar({ format: ' {bar} {value}/{total} symbols  {symbol}', hideCursor: true }, Presets.shades_classic);
  try {
    bar.start(new Set(body.symbols).size, 0, { symbol: '' });
    const results = await fetchMarket(
      { storage, provider: createProvider(body.provider, config), intervalMs: config.market.fetch.intervalMs, signal: stop.signal },
      { provider: body.provider, symbols: body.symbols, from: body.from, to: body.to, dataset, adjustSplits: body.adjust_splits },
      (r) => bar.increment(1, { symbol: r.symbol }),
    );
    bar.stop();
    for (const r of results) console.log(line(r));
    const failed = results.filter((r) => r.status === 'failed').length;
    // Undefined when every symbol of a new data set failed.
    const info = await storage.market.dataset(dataset);
    const prices = info?.adjusted ? 'adjusted for splits and dividends' : 'as traded';
    console.log(`Data set ${dataset}: ${info?.symbols ?? 0} symbols, prices ${prices}; ${results.length - failed} fetched, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } finally {
    bar.stop();
    await storage.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof FetchRefused || e instanceof ConfigError) {
      console.error(e.message ? `${e.message}\n\n${USAGE}` : USAGE);
      process.exitCode = 2;
      return;
    }
    console.error(`market fetch failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
