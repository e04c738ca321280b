import type { Storage } from '../storage.js';
import { now, type RepositoryContext } from './rows.js';

export function settingsRepository(c: RepositoryContext): Storage['settings'] {
  return {
    get: async (userId) => {
      const row = await c.db.selectFrom('user_settings').select('settings').where('user_id', '=', userId).executeTakeFirst();
      return row && (JSON.parse(row.settings) as unknown);
    },
    put: async (userId, settings) => {
      const row = { user_id: userId, settings: JSON.stringify(settings), updated_at: now() };
      await c.db
        .insertInto('user_settings')
        .values(row)
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }))
        .execute();
    },
  };
}
