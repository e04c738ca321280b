import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, MarketClock, Run, StartBody, Stats, TradingStatus } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { IdParams } from './models.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const tradingRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post(
      '/trading/start/:id',
      { schema: { tags: ['trading'], params: IdParams, body: StartBody.default({}), response: { 202: Run, ...errors } } },
      async (req, reply) => reply.status(202).send(await ctx.trading.start(principalOf(req), req.params.id, req.body ?? {})),
    );

    r.post('/trading/stop/:id', { schema: { tags: ['trading'], params: IdParams, response: { 200: TradingStatus, ...errors } } }, async (req) =>
      ctx.trading.stop(principalOf(req), req.params.id),
    );

    r.get('/trading/status', { schema: { tags: ['trading'], response: { 200: z.object({ items: z.array(TradingStatus) }) } } }, async (req) => ({
      items: await ctx.trading.statusAll(principalOf(req)),
    }));

    r.get('/trading/status/:id', { schema: { tags: ['trading'], params: IdParams, response: { 200: TradingStatus, ...errors } } }, async (req) =>
      ctx.trading.status(principalOf(req), req.params.id),
    );

    r.get('/market/clock', { schema: { tags: ['market'], response: { 200: MarketClock, 400: ErrorBody, 502: ErrorBody } } }, async () => ctx.trading.marketClock());

    r.get('/stats', { schema: { tags: ['trading'], response: { 200: Stats } } }, async (req) => ctx.trading.stats(principalOf(req)));
  };
