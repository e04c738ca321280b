import type { Storage } from '../storage.js';
import { paged, type RepositoryContext } from './rows.js';

export function tradesRepository(c: RepositoryContext): Storage['trades'] {
  return {
    list: async (q) => {
      let query = c.db.selectFrom('trades').selectAll().where('model_id', '=', q.model_id);
      if (q.run_id !== undefined) query = query.where('run_id', '=', q.run_id);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(
        rows.map((r) => ({ ...r, id: Number(r.id), run_id: Number(r.run_id), model_id: Number(r.model_id) })),
        q.limit,
      );
    },
    countFilledSince: async (modelIds, since) => {
      if (modelIds.length === 0) return 0;
      const r = await c.db
        .selectFrom('trades')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('model_id', 'in', modelIds)
        .where('status', '=', 'filled')
        .where('created_at', '>=', since)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}
