import type { Storage } from '../storage.js';
import { paged, type RepositoryContext } from './rows.js';

export function logsRepository(c: RepositoryContext): Storage['logs'] {
  return {
    add: async (l) => {
      await c.db.insertInto('logs').values(l).execute();
    },
    list: async (q) => {
      let query = c.db.selectFrom('logs').selectAll().where('model_id', '=', q.model_id);
      if (q.run_id !== undefined) query = query.where('run_id', '=', q.run_id);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(rows.map((r) => ({ ...r, id: Number(r.id) })), q.limit);
    },
  };
}
