import { LastAdmin, type Storage } from '../storage.js';
import { now, type RepositoryContext } from './rows.js';

export function usersRepository(c: RepositoryContext): Storage['users'] {
  return {
    create: (u) =>
      c.unique('email', () =>
        c.db.transaction().execute(async (tx) => {
          await c.serialise(tx, 'signup');
          const any = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
          const row = await tx
            .insertInto('users')
            .values({ ...u, role: any ? 'user' : 'admin', created_at: now() })
            .returningAll()
            .executeTakeFirstOrThrow();
          return { ...row, id: Number(row.id) };
        }),
      ),
    byEmail: async (email) => {
      const row = await c.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return row && { ...row, id: Number(row.id) };
    },
    byId: async (id) => {
      const row = await c.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && { ...row, id: Number(row.id) };
    },
    list: async () => {
      const rows = await c.db
        .selectFrom('users as u')
        .leftJoin('models as m', 'm.user_id', 'u.id')
        .select((eb) => ['u.id', 'u.email', 'u.display_name', 'u.role', 'u.created_at', eb.fn.count<number>('m.id').as('model_count')])
        .groupBy(['u.id', 'u.email', 'u.display_name', 'u.role', 'u.created_at'])
        .orderBy('u.id')
        .execute();
      return rows.map((r) => ({ ...r, id: Number(r.id), model_count: Number(r.model_count) }));
    },
    setRole: (id, role) =>
      c.db.transaction().execute(async (tx) => {
        await c.serialise(tx, 'roles');
        const current = await tx.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst();
        if (!current) return undefined;
        if (current.role === 'admin' && role !== 'admin') {
          const admins = await tx
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('role', '=', 'admin')
            .executeTakeFirstOrThrow();
          if (Number(admins.n) <= 1) throw new LastAdmin('the platform needs at least one admin');
        }
        const row = await tx.updateTable('users').set({ role }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        return { ...row, id: Number(row.id) };
      }),
  };
}
