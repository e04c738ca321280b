import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParam, LatestPortfolio, ListQuery, LogEntry, Performance, Position, Run, RunDetail, Trade, page } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { sendEventsExport } from './export.js';
import { IdParams } from './models.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const RunParams = z.strictObject({ id: IdParam, run_id: IdParam });
const RunQuery = z.strictObject({ run_id: IdParam.optional() });

export const runRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.get('/models/:id/runs', { schema: { tags: ['runs'], params: IdParams, response: { 200: page(Run), ...errors } } }, async (req) => ({
      items: await ctx.runs.list(principalOf(req), req.params.id),
      next_cursor: null,
    }));

    r.get('/models/:id/runs/:run_id', { schema: { tags: ['runs'], params: RunParams, response: { 200: RunDetail, ...errors } } }, async (req) =>
      ctx.runs.detail(principalOf(req), req.params.id, req.params.run_id),
    );

    r.delete('/models/:id/runs/:run_id', { schema: { tags: ['runs'], params: RunParams } }, async (req, reply) => {
      await ctx.runs.delete(principalOf(req), req.params.id, req.params.run_id);
      return reply.status(204).send();
    });

    r.get(
      '/models/:id/positions',
      { schema: { tags: ['runs'], params: IdParams, querystring: RunQuery, response: { 200: z.object({ run_id: z.number().nullable(), items: z.array(Position) }), ...errors } } },
      async (req) => ctx.runs.positions(principalOf(req), req.params.id, req.query.run_id),
    );

    r.get('/models/:id/positions/latest', { schema: { tags: ['runs'], params: IdParams, response: { 200: LatestPortfolio, ...errors } } }, async (req) =>
      ctx.runs.latestPortfolio(principalOf(req), req.params.id),
    );

    r.get('/models/:id/trades', { schema: { tags: ['runs'], params: IdParams, querystring: ListQuery, response: { 200: page(Trade), ...errors } } }, async (req) =>
      ctx.runs.trades(principalOf(req), req.params.id, req.query),
    );

    r.get('/models/:id/logs', { schema: { tags: ['runs'], params: IdParams, querystring: ListQuery, response: { 200: page(LogEntry), ...errors } } }, async (req) =>
      ctx.runs.logs(principalOf(req), req.params.id, req.query),
    );

    r.get(
      '/models/:id/performance',
      { schema: { tags: ['runs'], params: IdParams, querystring: RunQuery, response: { 200: Performance, ...errors } } },
      async (req) => ctx.runs.performance(principalOf(req), req.params.id, req.query.run_id),
    );

    r.get(
      '/models/:id/runs/:run_id/events',
      {
        schema: {
          tags: ['runs'],
          description:
            "The run's recorded events as a JSON or CSV attachment, streamed from storage in batches. CSV text cells starting with = + - @, tab or CR get a leading ' (numbers stay numbers).",
          params: RunParams,
          querystring: z.strictObject({ format: z.enum(['json', 'csv']).default('json') }),
        },
      },
      async (req, reply) => {
        const run = await ctx.runs.visible(principalOf(req), req.params.id, req.params.run_id);
        return sendEventsExport(reply, ctx.runs.events(run), req.query.format, `model-${run.model_id}-run-${run.run_number}-events`);
      },
    );
  };
