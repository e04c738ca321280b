import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Benchmark, BenchmarkQuery, Breakdown, CompareQuery, Comparison, ErrorBody, IdParam, Indicators, IndicatorsQuery, RoundTrips } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
const RunParams = z.strictObject({ id: IdParam, run_id: IdParam });

/** What a run's numbers mean: round trips, breakdown, benchmark, indicators, and runs compared. */
export const resultsRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.get('/models/:id/runs/:run_id/round-trips', { schema: { tags: ['results'], params: RunParams, response: { 200: RoundTrips, ...errors } } }, async (req) =>
      ctx.results.roundTrips(principalOf(req), req.params.id, req.params.run_id),
    );

    r.get('/models/:id/runs/:run_id/breakdown', { schema: { tags: ['results'], params: RunParams, response: { 200: Breakdown, ...errors } } }, async (req) =>
      ctx.results.breakdown(principalOf(req), req.params.id, req.params.run_id),
    );

    r.get(
      '/models/:id/runs/:run_id/benchmark',
      { schema: { tags: ['results'], params: RunParams, querystring: BenchmarkQuery, response: { 200: Benchmark, ...errors } } },
      async (req) => ctx.results.benchmark(principalOf(req), req.params.id, req.params.run_id, req.query.benchmark),
    );

    r.get(
      '/models/:id/runs/:run_id/indicators',
      { schema: { tags: ['results'], params: RunParams, querystring: IndicatorsQuery, response: { 200: Indicators, ...errors } } },
      async (req) => ctx.results.indicators(principalOf(req), req.params.id, req.params.run_id, req.query.symbol),
    );

    r.get('/runs/compare', { schema: { tags: ['results'], querystring: CompareQuery, response: { 200: Comparison, ...errors } } }, async (req) =>
      ctx.results.compare(principalOf(req), req.query.ids),
    );
  };
