import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParam, StreamTicket, type TradingEvent } from '@tradewire/contract';
import { sseFrame } from '../events/frame.js';
import { SseConnection } from '../events/sse.js';
import type { SubscriptionFilter } from '../events/event-bus.js';
import { BadRequest } from './errors.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { visibleModel } from './models.js';

const Credentials = {
  token: z.string().max(4096).optional(),
  ticket: z.string().max(4096).optional(),
  last_event_id: z.string().regex(/^\d{1,15}$/, 'must be an event id').optional(),
};
const ModelList = z
  .string()
  .regex(/^\d{1,15}(,\d{1,15}){0,199}$/, 'must be a comma-separated list of model ids')
  .transform((s) => [...new Set(s.split(',').map(Number))]);

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** The resume point: the `Last-Event-ID` header (browser reconnects) or `?last_event_id=`. */
function resumePoint(req: FastifyRequest, query?: string): number | undefined {
  const header = req.headers['last-event-id'];
  const raw = (typeof header === 'string' && header !== '' ? header : undefined) ?? query;
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new BadRequest('Last-Event-ID: must be an event id');
  return Number(raw);
}

export const streamRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { heartbeatMs, maxBufferBytes } = ctx.config.stream;
    const open = new Set<SseConnection>();

    // One timer for every stream: a heartbeat keeps proxies from closing idle connections.
    const heartbeat = setInterval(() => open.forEach((c) => c.ping()), heartbeatMs);
    heartbeat.unref();
    app.addHook('preClose', async () => {
      clearInterval(heartbeat);
      open.forEach((c) => c.end('server shutting down'));
    });

    async function serve(req: FastifyRequest, reply: FastifyReply, filter: SubscriptionFilter, single: number | null, afterId: number | undefined) {
      const principal = principalOf(req);
      const conn = new SseConnection(reply.raw, maxBufferBytes);
      const pending: string[] = [];
      let ready = false;
      const sub = await ctx.bus.subscribe(filter, afterId, {
        onEvent: (e) => (ready ? conn.send(e.frame) : pending.push(e.frame)),
        onClose: (reason) => conn.end(reason),
      });
      let snapshots;
      try {
        const ids = filter.modelIds ?? (await ctx.storage.models.listByUser(filter.userId)).map((m) => m.id);
        snapshots = await Promise.all(ids.map((id) => ctx.manager.snapshot(id)));
      } catch (e) {
        sub.unsubscribe();
        throw e;
      }

      reply.hijack();
      conn.open();
      open.add(conn);
      // A token or ticket is only good until it expires; the client reconnects with a fresh one.
      const expiry = setTimeout(() => conn.end('credentials expired'), Math.max(0, principal.exp * 1000 - Date.now()));
      expiry.unref();
      conn.onClose(() => {
        sub.unsubscribe();
        open.delete(conn);
        clearTimeout(expiry);
      });

      // The resume point the client should keep if it drops before the replay arrives.
      const resumeId = String(afterId !== undefined && !sub.reset ? afterId : sub.headId);
      const control = (type: 'connected' | 'reset', data: object) =>
        sseFrame({ id: resumeId, type, timestamp: new Date().toISOString(), model_id: single, run_id: null, data } as TradingEvent);
      if (sub.reset) conn.send(control('reset', { message: 'Your resume point is older than the server keeps: refetch' }));
      const snapshot = single !== null ? snapshots[0] : undefined;
      conn.send(
        control('connected', {
          message: 'Connected to trading stream',
          model_id: single,
          snapshots,
          ...(snapshot ? { status: snapshot.status, run: snapshot.run, portfolio: snapshot.portfolio } : {}),
        }),
      );
      for (const e of sub.replay) conn.send(e.frame);
      for (const f of pending) conn.send(f);
      ready = true;
    }

    r.get(
      '/trading/stream/:model_id',
      {
        onRequest: ctx.guards.requireStreamUser,
        schema: { tags: ['stream'], params: z.strictObject({ model_id: IdParam }), querystring: z.strictObject(Credentials), response: errors },
      },
      async (req, reply) => {
        const model = await visibleModel(ctx, principalOf(req), req.params.model_id);
        await serve(req, reply, { modelIds: [model.id], userId: principalOf(req).userId }, model.id, resumePoint(req, req.query.last_event_id));
      },
    );

    r.get(
      '/stream',
      {
        onRequest: ctx.guards.requireStreamUser,
        schema: { tags: ['stream'], querystring: z.strictObject({ ...Credentials, models: ModelList.optional() }), response: errors },
      },
      async (req, reply) => {
        const principal = principalOf(req);
        const ids = req.query.models;
        if (ids) for (const id of ids) await visibleModel(ctx, principal, id);
        await serve(req, reply, { modelIds: ids, userId: principal.userId }, null, resumePoint(req, req.query.last_event_id));
      },
    );

    r.post(
      '/stream/ticket',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['stream'], response: { 200: StreamTicket, 401: ErrorBody } } },
      async (req) => {
        const p = principalOf(req);
        return { ticket: await ctx.tokens.issueTicket(p.userId, p.role), expires_in: ctx.tokens.ticketTtlS };
      },
    );
  };
