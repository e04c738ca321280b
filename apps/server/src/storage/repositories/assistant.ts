import type { Selectable } from 'kysely';
import type { AssistantConversationRecord, AssistantMessageRecord } from '../records.js';
import type { AssistantConversationsTable, AssistantMessagesTable } from '../schema.js';
import type { Storage } from '../storage.js';
import { now, type RepositoryContext } from './rows.js';

const toConversation = (r: Selectable<AssistantConversationsTable>): AssistantConversationRecord => ({
  ...r,
  id: Number(r.id),
  user_id: Number(r.user_id),
  model_id: Number(r.model_id),
  run_id: r.run_id === null ? null : Number(r.run_id),
});

const toMessage = (r: Selectable<AssistantMessagesTable>): AssistantMessageRecord => ({
  ...r,
  id: Number(r.id),
  conversation_id: Number(r.conversation_id),
  citations: JSON.parse(r.citations),
  tools_used: JSON.parse(r.tools_used),
  prompt_tokens: Number(r.prompt_tokens),
  completion_tokens: Number(r.completion_tokens),
  latency_ms: r.latency_ms === null ? null : Number(r.latency_ms),
});

export function assistantRepository(c: RepositoryContext): Storage['assistant'] {
  return {
    endpoint: async (userId) => {
      const row = await c.db.selectFrom('assistant_endpoints').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row && { ...row, user_id: Number(row.user_id) };
    },
    putEndpoint: async (userId, e) => {
      const updated_at = now();
      const row = { user_id: userId, base_url: e.base_url, model: e.model, api_key_secret: e.api_key_secret ?? null, updated_at };
      const keep = e.api_key_secret === undefined;
      const saved = await c.db
        .insertInto('assistant_endpoints')
        .values(row)
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet(keep ? { base_url: e.base_url, model: e.model, updated_at } : { base_url: e.base_url, model: e.model, api_key_secret: row.api_key_secret, updated_at }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ...saved, user_id: Number(saved.user_id) };
    },
    deleteEndpoint: async (userId) => {
      const r = await c.db.deleteFrom('assistant_endpoints').where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    createConversation: async (conv) => {
      const at = now();
      const row = await c.db
        .insertInto('assistant_conversations')
        .values({ ...conv, created_at: at, updated_at: at })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toConversation(row);
    },
    conversation: async (id) => {
      const row = await c.db.selectFrom('assistant_conversations').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toConversation(row);
    },
    conversations: async (userId, q) => {
      let query = c.db.selectFrom('assistant_conversations').selectAll().where('user_id', '=', userId);
      if (q.model_id !== undefined) query = query.where('model_id', '=', q.model_id);
      if (q.run_id === null) query = query.where('run_id', 'is', null);
      else if (q.run_id !== undefined) query = query.where('run_id', '=', q.run_id);
      const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(toConversation);
    },
    deleteConversation: async (id) => {
      // Messages go with it (cascade); SQLite enforces it only with foreign keys on, which storage turns on.
      const r = await c.db.deleteFrom('assistant_conversations').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    messages: async (conversationId) => {
      const rows = await c.db.selectFrom('assistant_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('id', 'asc').execute();
      return rows.map(toMessage);
    },
    addMessage: async (m) =>
      c.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('assistant_messages')
          .values({ ...m, citations: JSON.stringify(m.citations), tools_used: JSON.stringify(m.tools_used) })
          .returningAll()
          .executeTakeFirstOrThrow();
        await tx.updateTable('assistant_conversations').set({ updated_at: m.created_at }).where('id', '=', m.conversation_id).execute();
        return toMessage(row);
      }),
    addUsage: async (userId, day, tokens) => {
      await c.db
        .insertInto('assistant_usage')
        .values({ user_id: userId, day, tokens })
        .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet((eb) => ({ tokens: eb('assistant_usage.tokens', '+', eb.ref('excluded.tokens')) })))
        .execute();
    },
    usage: async (userId, day) => {
      const row = await c.db.selectFrom('assistant_usage').select('tokens').where('user_id', '=', userId).where('day', '=', day).executeTakeFirst();
      return row ? Number(row.tokens) : 0;
    },
    tradeRefs: async (userId, tradeIds) => {
      if (tradeIds.length === 0) return [];
      const rows = await c.db
        .selectFrom('trades')
        .innerJoin('runs', 'runs.id', 'trades.run_id')
        .innerJoin('models', 'models.id', 'runs.model_id')
        .select(['trades.id as trade_id', 'runs.model_id as model_id', 'runs.id as run_id', 'runs.run_number as run_number', 'trades.date as date'])
        .where('models.user_id', '=', userId)
        .where('trades.id', 'in', tradeIds)
        .execute();
      return rows.map((r) => ({ trade_id: Number(r.trade_id), model_id: Number(r.model_id), run_id: Number(r.run_id), run_number: Number(r.run_number), date: r.date }));
    },
  };
}
