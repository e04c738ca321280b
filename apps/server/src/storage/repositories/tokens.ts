import type { Storage } from '../storage.js';
import type { RepositoryContext } from './rows.js';

export function tokensRepository(c: RepositoryContext): Storage['tokens'] {
  return {
    revoke: async (jti, expiresAt) => {
      await c.db.deleteFrom('revoked_tokens').where('expires_at', '<', Math.floor(Date.now() / 1000)).execute();
      await c.db
        .insertInto('revoked_tokens')
        .values({ jti, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
    },
    isRevoked: async (jti) =>
      !!(await c.db.selectFrom('revoked_tokens').select('jti').where('jti', '=', jti).executeTakeFirst()),
  };
}
