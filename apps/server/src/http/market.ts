import createError from '@fastify/error';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BarsQuery, BarsResponse, ErrorBody, ImportResult, Symbol as TickerSymbol, SymbolList } from '@tradewire/contract';
import { parseAlphaVantage } from '../market/alpha-vantage.js';
import { parseCsvBars } from '../market/csv.js';
import { saveImport } from '../market/import.js';
import { MarketImportError, type ImportedSeries } from '../market/imported-bars.js';
import type { AppContext } from './context.js';
import { BadRequest, NotFound } from './errors.js';

const UnsupportedMediaType = createError<[string]>('unsupported_media_type', '%s', 415);

const ImportQuery = z.strictObject({ symbol: TickerSymbol.optional() });

/** Market data routes: the symbol list, bars of one symbol, and the admin's file import. */
export const marketRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // Scoped to this plugin: other types (text/plain too) get a 415 that names the two accepted ones.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser('*', (req, _payload, done) =>
      done(new UnsupportedMediaType(`Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported: send text/csv or application/json`)),
    );

    r.get(
      '/market/symbols',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['market'], response: { 200: SymbolList, 401: ErrorBody } } },
      async () => ({ symbols: await ctx.market.symbols() }),
    );

    r.get(
      '/market/bars',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['market'], querystring: BarsQuery, response: { 200: BarsResponse, ...errors } } },
      async (req) => {
        const { symbol, from, to } = req.query;
        if (from && to && from > to) throw new BadRequest(`from ${from} is after to ${to}`);
        const info = await ctx.market.info(symbol);
        if (!info) throw new NotFound(`unknown symbol ${symbol}`);
        return { symbol, source: info.source, bars: await ctx.market.bars(symbol, from, to) };
      },
    );

    r.post(
      '/market/import',
      {
        // onRequest, not preHandler: a non-admin gets 403 before the body is even parsed.
        onRequest: ctx.guards.requireAdmin,
        schema: {
          tags: ['market'],
          description: 'Imports one symbol from text/csv (with ?symbol= unless the file has a symbol column) or an Alpha Vantage TIME_SERIES_DAILY JSON document.',
          querystring: ImportQuery,
          response: { 200: ImportResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 415: ErrorBody },
        },
      },
      async (req) => {
        let series: ImportedSeries[];
        try {
          series =
            typeof req.body === 'string'
              ? parseCsvBars(req.body, { symbol: req.query.symbol })
              : [parseAlphaVantage(req.body, { symbol: req.query.symbol })];
        } catch (e) {
          if (e instanceof MarketImportError) throw new BadRequest(e.message);
          throw e;
        }
        return saveImport(ctx.storage, series);
      },
    );
  };
