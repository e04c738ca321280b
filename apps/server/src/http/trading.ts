import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, Run, StartBody, Stats, TradingStatus } from '@tradewire/contract';
import { StartError } from '../engine/agent-manager.js';
import { BadRequest, Conflict } from './errors.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { IdParams, visibleModel } from './models.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const tradingRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post(
      '/trading/start/:id',
      { schema: { tags: ['trading'], params: IdParams, body: StartBody.default({}), response: { 202: Run, ...errors } } },
      async (req, reply) => {
        const model = await visibleModel(ctx, principalOf(req), req.params.id);
        try {
          return reply.status(202).send(await ctx.manager.start(model, req.body ?? {}));
        } catch (e) {
          if (e instanceof StartError) throw e.kind === 'conflict' ? new Conflict(e.message) : new BadRequest(e.message);
          throw e;
        }
      },
    );

    r.post('/trading/stop/:id', { schema: { tags: ['trading'], params: IdParams, response: { 200: TradingStatus, ...errors } } }, async (req) => {
      const model = await visibleModel(ctx, principalOf(req), req.params.id);
      return ctx.manager.stop(model.id);
    });

    r.get('/trading/status', { schema: { tags: ['trading'], response: { 200: z.object({ items: z.array(TradingStatus) }) } } }, async (req) => {
      const models = await ctx.storage.models.listByUser(principalOf(req).userId);
      return { items: await Promise.all(models.map((m) => ctx.manager.status(m.id))) };
    });

    r.get('/trading/status/:id', { schema: { tags: ['trading'], params: IdParams, response: { 200: TradingStatus, ...errors } } }, async (req) => {
      const model = await visibleModel(ctx, principalOf(req), req.params.id);
      return ctx.manager.status(model.id);
    });

    r.get(
      '/stats',
      {
        schema: {
          tags: ['trading'],
          response: { 200: Stats },
        },
      },
      async (req) => {
        const models = await ctx.storage.models.listByUser(principalOf(req).userId);
        let equity = 0;
        let invested = 0;
        for (const m of models) {
          const p = await ctx.manager.portfolio(m.id);
          if (!p) continue;
          equity += p.equity;
          invested += p.equity / (1 + p.return_pct / 100);
        }
        const midnight = new Date();
        midnight.setUTCHours(0, 0, 0, 0);
        const running = await ctx.manager.runningModels();
        const round = (x: number) => Math.round(x * 100) / 100;
        return {
          total_equity: round(equity),
          total_pnl: round(equity - invested),
          total_pnl_pct: invested > 0 ? round((equity / invested - 1) * 100) : 0,
          active_runs: models.filter((m) => running.has(m.id)).length,
          trades_today: await ctx.storage.trades.countFilledSince(
            models.map((m) => m.id),
            midnight.toISOString(),
          ),
        };
      },
    );
  };
