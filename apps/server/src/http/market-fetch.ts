import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, FetchBody, FetchJob } from '@tradewire/contract';
import { checkFetchPlan, FetchRefused, type FetchPlan } from '../market/fetch.js';
import { missingKeys } from '../market/providers/index.js';
import type { AppContext } from './context.js';
import { AppError } from '../domain/errors.js';

const JobParams = z.strictObject({ job_id: z.uuid({ error: 'must be a job id' }) });

/**
 * The admin's downloads from market data providers: a fetch runs as a background job (202) whose
 * progress and per-symbol results are read back by id. Jobs live in the API process that took
 * them (single-node setup).
 */
export const marketFetchRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

    r.post(
      '/market/fetch',
      {
        onRequest: ctx.guards.requireAdmin,
        schema: {
          tags: ['market'],
          description:
            'Downloads daily bars of the symbols from a provider into a data set (default: the provider’s name), in the background. A symbol already there is only asked for the days after its last bar.',
          body: FetchBody,
          response: { 202: FetchJob, ...errors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const problem = missingKeys(b.provider, ctx.config);
        if (problem) throw new AppError('provider_not_configured', `provider: ${problem}`);
        const plan: FetchPlan = { provider: b.provider, symbols: b.symbols, from: b.from, to: b.to, dataset: b.dataset ?? b.provider, adjustSplits: b.adjust_splits, timeframe: b.timeframe };
        try {
          await checkFetchPlan(ctx.storage, plan);
        } catch (e) {
          if (e instanceof FetchRefused) throw new AppError('fetch_refused', e.message);
          throw e;
        }
        return reply.status(202).send(ctx.fetchJobs.start(plan));
      },
    );

    r.get(
      '/market/fetch/:job_id',
      { onRequest: ctx.guards.requireAdmin, schema: { tags: ['market'], params: JobParams, response: { 200: FetchJob, ...errors } } },
      async (req) => {
        const job = ctx.fetchJobs.get(req.params.job_id);
        if (!job) throw new AppError('fetch_job_not_found', `fetch job ${req.params.job_id} not found`);
        return job;
      },
    );
  };
