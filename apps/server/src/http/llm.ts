import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '@tradewire/contract';
import { checkConnection } from '../agents/llm/connection.js';
import { AppError } from '../domain/errors.js';
import { openLlmEndpoint } from '../services/llm-endpoint.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { IdParams } from './models.js';

const ConnectionCheck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), model: z.string(), latency_ms: z.number().int() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

/** Routes of the LLM agent: checking a model's endpoint before trading with it. */
export const llmRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post(
      '/models/:id/test-connection',
      {
        schema: {
          tags: ['models'],
          description:
            "One tiny completion against the model's endpoint with its stored key; owners only (404 for anyone else, admins too). Private, loopback and link-local hosts are refused before connecting unless LLM_ALLOW_PRIVATE_HOSTS=1. A failure says the status, never the provider's answer.",
          params: IdParams,
          response: { 200: ConnectionCheck, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        // Owners only, admins too: a test sends the stored key to the model's base_url.
        const model = await ctx.models.owned(principalOf(req), req.params.id);
        const { agent } = model;
        if (agent.kind !== 'llm') throw new AppError('not_an_llm_model', `model ${model.id} is a ${agent.kind} agent: only llm agents have a connection to test`);
        try {
          const endpoint = openLlmEndpoint({ params: agent.params, sealedKey: model.agent_secret }, ctx.secrets, ctx.config.llm);
          return await checkConnection(endpoint);
        } catch (e) {
          return { ok: false as const, error: e instanceof Error ? e.message : String(e) };
        }
      },
    );
  };
