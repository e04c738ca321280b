import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssistantAsk,
  AssistantConversation,
  AssistantConversationCreate,
  AssistantConversationDetail,
  AssistantConversationQuery,
  AssistantEndpoint,
  AssistantEndpointBody,
  AssistantUsage,
  ErrorBody,
  IdParam,
  LlmConnectionCheck,
  type AssistantStreamEvent,
} from '@tradewire/contract';
import { SSE_HEADERS } from '../events/sse-connection.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
const Params = z.strictObject({ id: IdParam });

/** The run assistant: the caller's endpoint, conversations, and answers streamed as SSE over POST. */
export const assistantRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);
    // Answers in flight end with the server: each stops its upstream call and stores what it has
    // before storage closes.
    const inFlight = new Map<AbortController, Promise<void>>();
    app.addHook('preClose', async () => {
      inFlight.forEach((_done, c) => c.abort());
      await Promise.all(inFlight.values());
    });

    r.get('/assistant/endpoint', { schema: { tags: ['assistant'], response: { 200: AssistantEndpoint, ...errors } } }, async (req) =>
      ctx.assistant.endpoint(principalOf(req)),
    );

    r.put(
      '/assistant/endpoint',
      {
        schema: {
          tags: ['assistant'],
          description: 'Sets the OpenAI-compatible endpoint answers come from. The key is stored encrypted and never returned; omit api_key to keep the stored one, send "" to remove it.',
          body: AssistantEndpointBody,
          response: { 200: AssistantEndpoint, ...errors },
        },
      },
      async (req) => ctx.assistant.saveEndpoint(principalOf(req), req.body),
    );

    r.delete('/assistant/endpoint', { schema: { tags: ['assistant'], response: { 204: z.null(), ...errors } } }, async (req, reply) => {
      await ctx.assistant.deleteEndpoint(principalOf(req));
      return reply.code(204).send(null);
    });

    r.post(
      '/assistant/endpoint/test',
      {
        schema: {
          tags: ['assistant'],
          description: 'One tiny completion against the stored endpoint (private hosts refused unless LLM_ALLOW_PRIVATE_HOSTS=1); a failure says the status, never the provider\'s answer.',
          response: { 200: LlmConnectionCheck, ...errors },
        },
      },
      async (req) => ctx.assistant.testEndpoint(principalOf(req)),
    );

    r.get('/assistant/usage', { schema: { tags: ['assistant'], response: { 200: AssistantUsage, ...errors } } }, async (req) => ctx.assistant.usage(principalOf(req)));

    r.get(
      '/assistant/conversations',
      { schema: { tags: ['assistant'], querystring: AssistantConversationQuery, response: { 200: z.object({ items: z.array(AssistantConversation) }), ...errors } } },
      async (req) => ({ items: await ctx.assistant.list(principalOf(req), req.query) }),
    );

    r.post(
      '/assistant/conversations',
      { schema: { tags: ['assistant'], body: AssistantConversationCreate, response: { 201: AssistantConversation, ...errors } } },
      async (req, reply) => reply.code(201).send(await ctx.assistant.create(principalOf(req), req.body)),
    );

    r.get('/assistant/conversations/:id', { schema: { tags: ['assistant'], params: Params, response: { 200: AssistantConversationDetail, ...errors } } }, async (req) =>
      ctx.assistant.get(principalOf(req), req.params.id),
    );

    r.delete('/assistant/conversations/:id', { schema: { tags: ['assistant'], params: Params, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
      await ctx.assistant.delete(principalOf(req), req.params.id);
      return reply.code(204).send(null);
    });

    r.post(
      '/assistant/conversations/:id/messages',
      {
        schema: {
          tags: ['assistant'],
          description:
            'Asks a question. Answers 200 text/event-stream: unnamed SSE messages, each one AssistantStreamEvent JSON (question, text pieces, tool calls, then done or error with the stored message). Closing the request stops the answer and its upstream call; what was said so far is stored as stopped. 422 without an endpoint, 429 once the daily token cap (ASSISTANT_DAILY_TOKENS) is spent.',
          params: Params,
          body: AssistantAsk,
          response: { ...errors, 422: ErrorBody, 429: ErrorBody },
        },
      },
      async (req, reply) => {
        const turn = await ctx.assistant.ask(principalOf(req), req.params.id, req.body.content);
        const stop = new AbortController();
        const res = reply.raw;
        let finished = false;
        res.on('close', () => {
          if (!finished) stop.abort();
        });
        reply.hijack();
        const { Connection: _c, ...http2Headers } = SSE_HEADERS;
        const headers = { ...(reply.getHeaders() as Record<string, string>), ...(req.raw.httpVersionMajor >= 2 ? http2Headers : SSE_HEADERS) };
        res.writeHead(200, headers);
        res.flushHeaders();
        const emit = (e: AssistantStreamEvent) => {
          if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(e)}\n\n`);
        };
        const answered = turn
          .run({ signal: stop.signal, emit })
          .catch((e: unknown) => {
            // Storage failed while answering: told on the stream, since the status is already sent.
            req.log.error({ err: e }, 'assistant answer failed');
            emit({ type: 'error', error: 'the answer could not be stored', message: null });
          })
          .finally(() => {
            finished = true;
            inFlight.delete(stop);
            res.end();
          });
        inFlight.set(stop, answered);
        await answered;
      },
    );
  };
