import { sql } from 'kysely';
import type { Storage } from '../storage.js';
import { toEvent, paged, containsPattern, fieldPattern, type RepositoryContext } from './rows.js';

export function eventsRepository(c: RepositoryContext): Storage['events'] {
  return {
    add: async (e) => {
      await c.db
        .insertInto('run_events')
        .values({ ...e, data: JSON.stringify(e.data) })
        .execute();
    },
    maxId: async () => {
      const r = await c.db
        .selectFrom('run_events')
        .select((eb) => eb.fn.max('id').as('m'))
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },
    byRun: async (runId, q) => {
      let query = c.db.selectFrom('run_events').selectAll().where('run_id', '=', runId);
      if (q.after !== undefined) query = query.where('id', '>', q.after);
      return (await query.orderBy('id').limit(q.limit).execute()).map(toEvent);
    },
    after: async (modelIds, afterId, limit) => {
      if (modelIds.length === 0) return [];
      const rows = await c.db
        .selectFrom('run_events')
        .selectAll()
        .where('model_id', 'in', modelIds)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
    recentByModel: async (modelId, limit) => {
      const rows = await c.db
        .selectFrom('run_events')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toEvent).reverse();
    },
    search: async (q) => {
      if (q.modelIds.length === 0) return { items: [], next_cursor: null };
      let query = c.db.selectFrom('run_events').selectAll().where('model_id', 'in', q.modelIds);
      if (q.types && q.types.length > 0) query = query.where('type', 'in', q.types);
      if (q.runId !== undefined) query = query.where('run_id', '=', q.runId);
      if (q.from !== undefined) query = query.where('timestamp', '>=', q.from);
      if (q.to !== undefined) query = query.where('timestamp', '<=', q.to);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      if (q.q) query = query.where(sql<boolean>`lower(data) like ${containsPattern(q.q)} escape '!'`);
      // The data column holds the codec's JSON.stringify output: a key and its value appear as
      // `"key":"value"` only as that field (a quote inside a string value is escaped).
      const field = (key: string, value: string) => sql<boolean>`data like ${fieldPattern(key, value)} escape '!'`;
      if (q.fillsOnly) {
        query = query.where('type', '=', 'trade').where(field('status', 'filled')).where((eb) => eb.not(field('action', 'hold')));
      }
      if (q.action !== undefined) query = query.where('type', 'in', ['trade', 'decision']).where(field('action', q.action));
      if (q.symbol !== undefined) query = query.where('type', '=', 'trade').where(field('symbol', q.symbol));
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(rows.map(toEvent), q.limit);
    },
  };
}
