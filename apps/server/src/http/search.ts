import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventSearchQuery, type TradingEvent } from '@tradewire/contract';
import type { StoredEvent } from '../storage/records.js';
import type { EventSearch } from '../storage/storage.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { modelNotFound } from './errors.js';
import { eventsCsv } from './events-csv.js';

/** Rows in one export at most; an export reads them in batches, never all at once. */
export const SEARCH_EXPORT_CAP = 100_000;
const EXPORT_BATCH = 1_000;

const toWire = (e: StoredEvent) => ({ ...e, id: String(e.id) }) as TradingEvent;

/** The inclusive ISO bounds of a from/to pair: a bare date covers its whole UTC day. */
const lowerBound = (v: string) => (v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString());
const upperBound = (v: string) => (v.length === 10 ? `${v}T23:59:59.999Z` : new Date(v).toISOString());

/** Pages through the whole search, newest first, up to the export cap. */
async function* searchAll(ctx: AppContext, search: Omit<EventSearch, 'limit' | 'cursor'>): AsyncGenerator<TradingEvent[]> {
  let cursor: number | undefined;
  let left = SEARCH_EXPORT_CAP;
  while (left > 0) {
    const page = await ctx.storage.events.search({ ...search, limit: Math.min(EXPORT_BATCH, left), cursor });
    if (page.items.length > 0) yield page.items.map(toWire);
    left -= page.items.length;
    if (page.next_cursor === null) return;
    cursor = Number(page.next_cursor);
  }
}

async function* csvChunks(batches: AsyncGenerator<TradingEvent[]>): AsyncGenerator<string> {
  yield eventsCsv([]);
  for await (const batch of batches) yield eventsCsv(batch, { header: false });
}

/** The run export's JSON shape, `{items, next_cursor: null}`, written batch by batch. */
async function* jsonChunks(batches: AsyncGenerator<TradingEvent[]>): AsyncGenerator<string> {
  yield '{"items":[';
  let first = true;
  for await (const batch of batches) {
    yield (first ? '' : ',') + batch.map((e) => JSON.stringify(e)).join(',');
    first = false;
  }
  yield '],"next_cursor":null}';
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
        runId: q.run_id,
        from: q.from === undefined ? undefined : lowerBound(q.from),
        to: q.to === undefined ? undefined : upperBound(q.to),
      };
      if (q.format === undefined) {
        const page = await ctx.storage.events.search({ ...search, limit: q.limit, cursor: q.cursor === undefined ? undefined : Number(q.cursor) });
        return reply.send({ items: page.items.map(toWire), next_cursor: page.next_cursor });
      }
      const batches = searchAll(ctx, search);
      const body = Readable.from(q.format === 'csv' ? csvChunks(batches) : jsonChunks(batches));
      return reply
        .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="events-search.${q.format}"`)
        .send(body);
    });
  };
