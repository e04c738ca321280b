import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParam, LatestPortfolio, ListQuery, LogEntry, Performance, Position, Run, RunDetail, Trade, type TradingEvent, page } from '@tradewire/contract';
import { runView } from '../engine/agent-manager.js';
import { positionsView } from '../engine/portfolio.js';
import type { RunRecord } from '../storage/records.js';
import { Conflict, NotFound } from './errors.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { IdParams, visibleModel } from './models.js';
import { eventsCsv } from './events-csv.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const RunParams = z.strictObject({ id: IdParam, run_id: IdParam });
const RunQuery = z.strictObject({ run_id: IdParam.optional() });
const EXPORT_LIMIT = 1_000_000;

export const runRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    /** A run of a model the caller may see; 404 when either does not match. */
    async function visibleRun(req: { params: { id: number; run_id: number } } & Parameters<typeof principalOf>[0]): Promise<RunRecord> {
      const model = await visibleModel(ctx, principalOf(req), req.params.id);
      const run = await ctx.storage.runs.byId(req.params.run_id);
      if (!run || run.model_id !== model.id) throw new NotFound(`run ${req.params.run_id} of model ${model.id} not found`);
      return run;
    }

    /** The named run, or the model's latest; null when it has none. */
    async function runOrLatest(modelId: number, runId?: number) {
      if (runId === undefined) return (await ctx.storage.runs.latestByModel(modelId)) ?? null;
      const run = await ctx.storage.runs.byId(runId);
      if (!run || run.model_id !== modelId) throw new NotFound(`run ${runId} of model ${modelId} not found`);
      return run;
    }

    r.get('/models/:id/runs', { schema: { tags: ['runs'], params: IdParams, response: { 200: page(Run), ...errors } } }, async (req) => {
      const model = await visibleModel(ctx, principalOf(req), req.params.id);
      return { items: (await ctx.storage.runs.listByModel(model.id)).map(runView), next_cursor: null };
    });

    r.get('/models/:id/runs/:run_id', { schema: { tags: ['runs'], params: RunParams, response: { 200: RunDetail, ...errors } } }, async (req) => {
      const run = await visibleRun(req);
      const curve = await ctx.storage.runs.equityCurve(run.id);
      return { ...runView(run), config: run.config, equity_curve: curve.map(({ date, equity, cash }) => ({ date, equity, cash })) };
    });

    r.delete('/models/:id/runs/:run_id', { schema: { tags: ['runs'], params: RunParams } }, async (req, reply) => {
      const run = await visibleRun(req);
      if (run.status === 'running') throw new Conflict(`run ${run.id} is running: stop it first`);
      await ctx.storage.runs.delete(run.id);
      return reply.status(204).send();
    });

    r.get(
      '/models/:id/positions',
      { schema: { tags: ['runs'], params: IdParams, querystring: RunQuery, response: { 200: z.object({ run_id: z.number().nullable(), items: z.array(Position) }), ...errors } } },
      async (req) => {
        const model = await visibleModel(ctx, principalOf(req), req.params.id);
        const run = await runOrLatest(model.id, req.query.run_id);
        if (!run) return { run_id: null, items: [] };
        const live = await ctx.manager.portfolio(model.id);
        if (live && live.run_id === run.id) return { run_id: run.id, items: live.positions };
        return { run_id: run.id, items: positionsView(await ctx.storage.runs.positions(run.id)) };
      },
    );

    r.get(
      '/models/:id/positions/latest',
      { schema: { tags: ['runs'], params: IdParams, response: { 200: LatestPortfolio, ...errors } } },
      async (req) => {
        const model = await visibleModel(ctx, principalOf(req), req.params.id);
        const p = await ctx.manager.portfolio(model.id);
        return p ?? { run_id: null, date: null, cash: model.initial_cash, equity: model.initial_cash, positions: [], return_pct: 0, trade_count: 0 };
      },
    );

    r.get('/models/:id/trades', { schema: { tags: ['runs'], params: IdParams, querystring: ListQuery, response: { 200: page(Trade), ...errors } } }, async (req) => {
      const model = await visibleModel(ctx, principalOf(req), req.params.id);
      const { run_id, limit, cursor } = req.query;
      const result = await ctx.storage.trades.list({ model_id: model.id, run_id, limit, cursor: cursor ? Number(cursor) : undefined });
      return { items: result.items.map(({ created_at: _c, ...t }) => t), next_cursor: result.next_cursor };
    });

    r.get('/models/:id/logs', { schema: { tags: ['runs'], params: IdParams, querystring: ListQuery, response: { 200: page(LogEntry), ...errors } } }, async (req) => {
      const model = await visibleModel(ctx, principalOf(req), req.params.id);
      const { run_id, limit, cursor } = req.query;
      const result = await ctx.storage.logs.list({ model_id: model.id, run_id, limit, cursor: cursor ? Number(cursor) : undefined });
      return { items: result.items.map(({ model_id: _m, ...l }) => l), next_cursor: result.next_cursor };
    });

    r.get(
      '/models/:id/performance',
      {
        schema: {
          tags: ['runs'],
          params: IdParams,
          querystring: RunQuery,
          response: { 200: Performance, ...errors },
        },
      },
      async (req) => {
        const model = await visibleModel(ctx, principalOf(req), req.params.id);
        const run = await runOrLatest(model.id, req.query.run_id);
        if (!run) return { model_id: model.id, run_id: null, metrics: null, equity_curve: [] };
        const curve = await ctx.storage.runs.equityCurve(run.id);
        return { model_id: model.id, run_id: run.id, metrics: run.metrics, equity_curve: curve.map(({ date, equity, cash }) => ({ date, equity, cash })) };
      },
    );

    r.get(
      '/models/:id/runs/:run_id/events',
      { schema: { tags: ['runs'], params: RunParams, querystring: z.strictObject({ format: z.enum(['json', 'csv']).default('json') }) } },
      async (req, reply) => {
        const run = await visibleRun(req);
        const events = (await ctx.storage.events.byRun(run.id, { limit: EXPORT_LIMIT })).map(
          (e) => ({ ...e, id: String(e.id) }) as TradingEvent,
        );
        const name = `model-${run.model_id}-run-${run.run_number}-events`;
        if (req.query.format === 'csv') {
          return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.csv"`).send(eventsCsv(events));
        }
        return reply.header('Content-Disposition', `attachment; filename="${name}.json"`).send({ items: events, next_cursor: null });
      },
    );
  };
