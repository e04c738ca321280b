import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BarsQuery, BarsResponse, DatasetList, DatasetQuery, ErrorBody, ImportQuery, ImportResult, SymbolList, type SplitsFound as SplitsFoundBody } from '@tradewire/contract';
import { parseAlphaVantage } from '../market/alpha-vantage.js';
import { parseCsvBars } from '../market/csv.js';
import { parseMarketFile, saveImport } from '../market/import.js';
import { SplitsFound } from '../market/splits.js';
import { MarketImportError, type ImportedSeries } from '../market/imported-bars.js';
import type { MarketData } from '../market/market-data.js';
import { DatasetMismatch } from '../storage/storage.js';
import type { AppContext } from './context.js';
import { AppError } from '../domain/errors.js';

/** The market of `?dataset=` (the default market when omitted); 404 for an unknown data set. */
async function datasetMarket(ctx: AppContext, dataset: string | undefined): Promise<MarketData> {
  const market = dataset === undefined ? ctx.market : await ctx.market.forDataset(dataset);
  if (!market) throw new AppError('dataset_not_found', `unknown data set ${dataset}`);
  return market;
}

/** Market data routes: data sets, the symbol list, bars of one symbol, and the admin's file import. */
export const marketRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // A file uploaded from the browser as it is (with ?filename=), read exactly as the CLI reads it.
    app.addContentTypeParser('application/octet-stream', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // Scoped to this plugin: other types (text/plain too) get a 415 that names the two accepted ones.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser('*', (req, _payload, done) =>
      done(new AppError('unsupported_media_type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported: send text/csv, application/json, or a file as application/octet-stream with ?filename=`)),
    );

    r.get(
      '/market/datasets',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['market'], response: { 200: DatasetList, 401: ErrorBody } } },
      async () => ({ datasets: await ctx.market.datasets() }),
    );

    r.get(
      '/market/symbols',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['market'], querystring: DatasetQuery, response: { 200: SymbolList, ...errors } } },
      async (req) => ({ symbols: await (await datasetMarket(ctx, req.query.dataset)).symbols() }),
    );

    r.get(
      '/market/bars',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['market'], querystring: BarsQuery, response: { 200: BarsResponse, ...errors } } },
      async (req) => {
        const { symbol, from, to, dataset } = req.query;
        if (from && to && from > to) throw new AppError('bad_request', `from ${from} is after to ${to}`);
        const market = await datasetMarket(ctx, dataset);
        const info = await market.info(symbol);
        if (!info) throw new AppError('symbol_not_found', dataset === undefined ? `unknown symbol ${symbol}` : `unknown symbol ${symbol} in data set ${dataset}`);
        return { symbol, source: info.source, bars: await market.bars(symbol, from, to) };
      },
    );

    r.post(
      '/market/import',
      {
        // onRequest, not preHandler: a non-admin gets 403 before the body is even parsed.
        onRequest: ctx.guards.requireAdmin,
        schema: {
          tags: ['market'],
          description:
            'Imports one symbol from text/csv (with ?symbol= unless the file has a symbol column) or an Alpha Vantage TIME_SERIES_DAILY JSON document, into data set `import` (laid over the simulated market) or the one named by ?dataset=. Prices are checked for split-sized overnight jumps: ?adjust_splits=true back-adjusts the prices before them, false keeps them as traded; without it a file with one is refused (422 splits_found, the splits in error.details). With ?filename= the body is an uploaded file (any of these content types, or application/octet-stream) read as `npm run market:import` reads it: the extension picks the format, the name gives the symbol, and errors name the file.',
          querystring: ImportQuery,
          response: { 200: ImportResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 415: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => {
        const { symbol, filename } = req.query;
        if (filename !== undefined && symbol !== undefined) throw new AppError('bad_request', 'symbol: leave it out with filename: the file name gives the symbol');
        let series: ImportedSeries[];
        try {
          if (filename !== undefined) {
            series = parseMarketFile({ name: filename, content: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) });
          } else {
            series = typeof req.body === 'string' ? parseCsvBars(req.body, { symbol }) : [parseAlphaVantage(req.body, { symbol })];
          }
          return await saveImport(ctx.storage, series, req.query.dataset, req.query.adjust_splits);
        } catch (e) {
          if (e instanceof MarketImportError || e instanceof DatasetMismatch) throw new AppError('invalid_import', e.message);
          if (e instanceof SplitsFound) {
            const message = `${e.message}; nothing was imported: send adjust_splits=true to back-adjust the prices before them, or adjust_splits=false to keep prices as traded`;
            const details: SplitsFoundBody = { splits: e.splits };
            throw new AppError('splits_found', message, details);
          }
          throw e;
        }
      },
    );
  };
