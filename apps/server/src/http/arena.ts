import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ArenaStartBody, ArenaStarted, ErrorBody } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** POST /api/arena: several models over the same dates, started together or not at all. */
export const arenaRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post('/arena', { schema: { tags: ['trading'], body: ArenaStartBody, response: { 202: ArenaStarted, ...errors } } }, async (req, reply) =>
      reply.status(202).send({ runs: await ctx.trading.arena(principalOf(req), req.body) }),
    );
  };
