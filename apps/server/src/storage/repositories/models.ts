import type { Storage } from '../storage.js';
import { toModel, modelRow, now, type RepositoryContext } from './rows.js';

export function modelsRepository(c: RepositoryContext): Storage['models'] {
  return {
    create: (userId, m) =>
      c.unique('name', async () => {
        const ts = now();
        const row = await c.db
          .insertInto('models')
          .values({ ...modelRow(m), user_id: userId, created_at: ts, updated_at: ts })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toModel(row);
      }),
    byId: async (id) => {
      const row = await c.db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toModel(row);
    },
    listByUser: async (userId) =>
      (await c.db.selectFrom('models').selectAll().where('user_id', '=', userId).orderBy('id').execute()).map(toModel),
    listAll: async () => (await c.db.selectFrom('models').selectAll().orderBy('id').execute()).map(toModel),
    update: (id, m) =>
      c.unique('name', async () => {
        const row = await c.db
          .updateTable('models')
          .set({ ...modelRow(m), updated_at: now() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toModel(row);
      }),
    delete: async (id) => {
      const r = await c.db.deleteFrom('models').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
