import type { Storage } from '../storage.js';
import { paged, toArena, type RepositoryContext } from './rows.js';

export function arenasRepository(c: RepositoryContext): Storage['arenas'] {
  return {
    create: async (a) => {
      const row = await c.db
        .insertInto('arenas')
        .values({ ...a, run_ids: JSON.stringify(a.run_ids) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toArena(row);
    },
    byId: async (id) => {
      const row = await c.db.selectFrom('arenas').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toArena(row);
    },
    listByUser: async (userId, q) => {
      let query = c.db.selectFrom('arenas').selectAll().where('user_id', '=', userId);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(rows.map(toArena), q.limit);
    },
  };
}
