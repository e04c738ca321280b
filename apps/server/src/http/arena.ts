import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ArenaStartBody, ArenaStarted, ErrorBody, type Run } from '@tradewire/contract';
import { StartError } from '../engine/agent-manager.js';
import { planRun } from '../engine/run-plan.js';
import { BadRequest, Conflict, modelNotFound } from './errors.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const toHttpError = (e: unknown) =>
  e instanceof StartError ? (e.kind === 'conflict' ? new Conflict(e.message) : new BadRequest(e.message)) : e;

/** POST /api/arena: several models over the same dates, started together or not at all. */
export const arenaRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post('/arena', { schema: { tags: ['trading'], body: ArenaStartBody, response: { 202: ArenaStarted, ...errors } } }, async (req, reply) => {
      const principal = principalOf(req);
      const { model_ids, ...start } = req.body;
      const models = [];
      for (const id of model_ids) {
        const model = await ctx.storage.models.byId(id);
        // An arena is the caller's own line-up, even for an admin.
        if (!model || model.user_id !== principal.userId) throw modelNotFound(id);
        models.push(model);
      }
      const running = await ctx.manager.runningModels();
      const busy = model_ids.filter((id) => running.has(id));
      if (busy.length > 0) throw new Conflict(`model_ids: model ${busy.join(', ')} is already running`);
      // Check every model's dates and data before starting any, so a bad one starts nothing.
      for (const model of models) {
        try {
          await planRun(ctx.market, model, start);
        } catch (e) {
          throw toHttpError(e);
        }
      }
      const runs: Run[] = [];
      try {
        for (const model of models) runs.push(await ctx.manager.start(model, start));
      } catch (e) {
        // Lost a race with another start: undo the ones begun here.
        await Promise.all(runs.map((run) => ctx.manager.stop(run.model_id)));
        throw toHttpError(e);
      }
      return reply.status(202).send({ runs });
    });
  };
