import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParam, MAX_ID, StreamTicket } from '@tradewire/contract';
import { AppError } from '../domain/errors.js';
import type { ModelOwner } from '../events/event-bus.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const Credentials = {
  token: z.string().max(4096).optional(),
  ticket: z.string().max(4096).optional(),
  last_event_id: z.string().regex(/^\d{1,15}$/, 'must be an event id').optional(),
};
const ModelList = z
  .string()
  .regex(/^\d{1,10}(,\d{1,10}){0,199}$/, 'must be a comma-separated list of model ids')
  .transform((s) => [...new Set(s.split(',').map(Number))])
  .refine((ids) => ids.every((id) => id >= 1 && id <= MAX_ID), 'must be a comma-separated list of model ids');

// Unknown parameters (a client's cache-buster, say) are ignored, not refused.
const SingleQuery = z.looseObject(Credentials);
const MultiQuery = z.looseObject({ ...Credentials, models: ModelList.optional() });

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** The resume point: the `Last-Event-ID` header (browser reconnects) or `?last_event_id=`. */
function resumePoint(req: FastifyRequest, query?: string): number | undefined {
  const header = req.headers['last-event-id'];
  const raw = (typeof header === 'string' && header !== '' ? header : undefined) ?? query;
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new AppError('bad_request', 'Last-Event-ID: must be an event id');
  return Number(raw);
}

/** The seed's one-model stream, the dashboard's multi-model stream, and stream tickets. */
export const streamRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('preClose', async () => ctx.streams.closeAll('server shutting down'));

    /** `models`: the ones named, or all of the caller's when `named` is false (a user-wide stream), as read once. */
    const serve = async (req: FastifyRequest, reply: FastifyReply, models: ModelOwner[], named: boolean, single: number | null, lastEventId: string | undefined) => {
      const principal = principalOf(req);
      const ids = models.map((m) => m.id);
      await ctx.streams.serve(
        reply.raw,
        {
          filter: { modelIds: named ? ids : undefined, userId: principal.userId, models },
          single,
          afterId: resumePoint(req, lastEventId),
          expiresAt: principal.exp * 1000,
          credential: { userId: principal.userId, session: principal.session },
          checkedAt: ctx.revocations.connected() ? principal.checkedAt : undefined,
          stillAuthorised: async () => {
            const [revoked, sessionRevoked, user] = await Promise.all([
              ctx.storage.tokens.isRevoked(principal.jti),
              ctx.storage.tokens.isRevoked(principal.session),
              ctx.storage.users.byId(principal.userId),
            ]);
            return !revoked && !sessionRevoked && user?.role === principal.role;
          },
          snapshots: () => ctx.trading.snapshots(ids),
        },
        () => reply.hijack(),
      );
    };

    r.get(
      '/trading/stream/:model_id',
      {
        onRequest: ctx.guards.requireStreamUser,
        schema: { tags: ['stream'], params: z.strictObject({ model_id: IdParam }), querystring: SingleQuery, response: errors },
      },
      async (req, reply) => {
        const principal = principalOf(req);
        const model = await ctx.models.visible(principal, req.params.model_id);
        await serve(req, reply, [model], true, model.id, req.query.last_event_id);
      },
    );

    r.get(
      '/stream',
      {
        onRequest: ctx.guards.requireStreamUser,
        schema: { tags: ['stream'], querystring: MultiQuery, response: errors },
      },
      async (req, reply) => {
        const principal = principalOf(req);
        const ids = req.query.models;
        let models: ModelOwner[] = [];
        if (!ids) models = await ctx.models.ownedAll(principal);
        else for (const id of ids) models.push(await ctx.models.visible(principal, id));
        await serve(req, reply, models, ids !== undefined, null, req.query.last_event_id);
      },
    );

    r.post(
      '/stream/ticket',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['stream'], response: { 200: StreamTicket, 401: ErrorBody } } },
      async (req) => {
        const p = principalOf(req);
        const ticket = await ctx.tokens.issueTicket(p.userId, p.role, p);
        return { ticket, expires_in: Math.min(ctx.tokens.ticketTtlS, Math.max(1, p.exp - Math.floor(Date.now() / 1000))) };
      },
    );
  };
