import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Arena, ArenaStartBody, ArenaStarted, ErrorBody, IdParam, page } from '@tradewire/contract';
import { z } from 'zod';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** POST /api/arena: several models over the same dates, started together or not at all. */
export const arenaRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post(
      '/arena',
      { schema: { tags: ['trading'], summary: 'Start several models on the same dates, stored as an arena', body: ArenaStartBody, response: { 202: ArenaStarted, ...errors } } },
      async (req, reply) => reply.status(202).send(await ctx.trading.arena(principalOf(req), req.body)),
    );

    r.get(
      '/arenas',
      {
        schema: {
          tags: ['trading'],
          summary: 'Your arenas, newest first, with each run’s outcome',
          querystring: z.strictObject({
            limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
            cursor: z.string().regex(/^\d{1,10}$/, 'must be a cursor returned by a previous page').optional(),
          }),
          response: { 200: page(Arena), ...errors },
        },
      },
      async (req) => ctx.trading.arenas(principalOf(req), { limit: req.query.limit, cursor: req.query.cursor === undefined ? undefined : Number(req.query.cursor) }),
    );

    r.get(
      '/arenas/:id',
      { schema: { tags: ['trading'], summary: 'One arena with each run’s daily equity', params: z.strictObject({ id: IdParam }), response: { 200: Arena, ...errors } } },
      async (req) => ctx.trading.arenaById(principalOf(req), req.params.id),
    );
  };
