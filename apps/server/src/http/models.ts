import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParam, Model, ModelCreate, ModelUpdate, page } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

export const IdParams = z.strictObject({ id: IdParam });

export const modelRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };
    // onRequest: authenticate before parsing or validating anything the caller sends.
    app.addHook('onRequest', ctx.guards.requireUser);

    r.get('/', { schema: { tags: ['models'], response: { 200: page(Model), 401: ErrorBody } } }, async (req) => ({
      items: await ctx.models.list(principalOf(req)),
      next_cursor: null,
    }));

    r.post('/', { schema: { tags: ['models'], body: ModelCreate, response: { 201: Model, ...errors } } }, async (req, reply) =>
      reply.status(201).send(await ctx.models.create(principalOf(req), req.body)),
    );

    r.get('/:id', { schema: { tags: ['models'], params: IdParams, response: { 200: Model, ...errors } } }, async (req) =>
      ctx.models.get(principalOf(req), req.params.id),
    );

    r.put('/:id', {
        schema: {
          tags: ['models'],
          description: 'Changes only the fields sent. An llm agent whose base_url changes loses its stored API key unless api_key is sent with it.',
          params: IdParams,
          body: ModelUpdate,
          response: { 200: Model, ...errors },
        },
      }, async (req) =>
      ctx.models.update(principalOf(req), req.params.id, req.body),
    );

    r.delete('/:id', { schema: { tags: ['models'], params: IdParams } }, async (req, reply) => {
      await ctx.models.delete(principalOf(req), req.params.id);
      return reply.status(204).send();
    });
  };
