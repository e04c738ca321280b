import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventHistory, EventHistoryQuery, EventSearchQuery, type TradingEvent } from '@tradewire/contract';
import { modelNotFound } from '../domain/errors.js';
import { fromStoredRows } from '../events/codec.js';
import type { EventSearch } from '../storage/storage.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { sendEventsExport } from './export.js';

/** Rows in one export at most; an export reads them in batches, never all at once. */
export const SEARCH_EXPORT_CAP = 100_000;
/** An event is at most about 64 KiB (reasoning is cut per step): a batch stays within a few MB. */
const EXPORT_BATCH = 200;

/**
 * The inclusive ISO bounds of a from/to pair: a bare date covers its whole UTC day. Event
 * timestamps carry microseconds, so the bounds do too (they compare as text).
 */
const lowerBound = (v: string) => (v.length === 10 ? `${v}T00:00:00.000000Z` : new Date(v).toISOString().replace('Z', '000Z'));
const upperBound = (v: string) => (v.length === 10 ? `${v}T23:59:59.999999Z` : new Date(v).toISOString().replace('Z', '999Z'));

/** Pages through the whole search, newest first, up to the export cap. */
async function* searchAll(ctx: AppContext, search: Omit<EventSearch, 'limit' | 'cursor'>): AsyncGenerator<TradingEvent[]> {
  let cursor: number | undefined;
  let left = SEARCH_EXPORT_CAP;
  while (left > 0) {
    const page = await ctx.storage.events.search({ ...search, limit: Math.min(EXPORT_BATCH, left), cursor });
    if (page.items.length > 0) yield fromStoredRows(page.items);
    left -= page.items.length;
    if (page.next_cursor === null) return;
    cursor = Number(page.next_cursor);
  }
}

/** Search over the recorded events of the caller's own models, and its export. */
export const searchRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.get('/events/search', { schema: { tags: ['events'], querystring: EventSearchQuery } }, async (req, reply) => {
      const principal = principalOf(req);
      const q = req.query;
      let modelIds = (await ctx.storage.models.listByUser(principal.userId)).map((m) => m.id);
      if (q.model_id !== undefined) {
        if (!modelIds.includes(q.model_id)) throw modelNotFound(q.model_id);
        modelIds = [q.model_id];
      }
      const search = {
        modelIds,
        q: q.q || undefined,
        types: q.type,
        fillsOnly: q.fills_only,
        action: q.action,
        symbol: q.symbol,
        runId: q.run_id,
        from: q.from === undefined ? undefined : lowerBound(q.from),
        to: q.to === undefined ? undefined : upperBound(q.to),
      };
      if (q.format === undefined) {
        const page = await ctx.storage.events.search({ ...search, limit: q.limit, cursor: q.cursor === undefined ? undefined : Number(q.cursor) });
        return reply.send({ items: fromStoredRows(page.items), next_cursor: page.next_cursor });
      }
      return sendEventsExport(reply, searchAll(ctx, search), q.format, 'events-search');
    });

    r.get(
      '/events/history',
      {
        schema: {
          tags: ['events'],
          summary: 'Recent stored events, oldest first, and the id to resume the stream from',
          description:
            'What a live view shows before the live tail: the latest `limit` stored events of the given models ' +
            '(all of yours when omitted), in the stream\'s shape and order. Open the stream with ' +
            '`last_event_id` set to the returned `last_event_id` to receive exactly what follows, once.',
          querystring: EventHistoryQuery,
          response: { 200: EventHistory },
        },
      },
      async (req) => {
        const principal = principalOf(req);
        const q = req.query;
        const own = (await ctx.storage.models.listByUser(principal.userId)).map((m) => m.id);
        const unknown = q.models?.find((id) => !own.includes(id));
        if (unknown !== undefined) throw modelNotFound(unknown);
        // Read where the history ends first, then only what is at or below it: the stream resumed
        // from that point delivers every later event, none twice.
        const end = await ctx.storage.events.maxId();
        const page = await ctx.storage.events.search({
          modelIds: q.models ?? own,
          types: q.type,
          fillsOnly: q.fills_only,
          action: q.action,
          symbol: q.symbol,
          limit: q.limit,
          cursor: end + 1,
        });
        return { events: fromStoredRows(page.items).reverse(), last_event_id: String(end) };
      },
    );
  };
