import type {
  AssistantConversation,
  AssistantConversationCreate,
  AssistantConversationDetail,
  AssistantEndpoint,
  AssistantEndpointBody,
  AssistantStreamEvent,
  AssistantUsage,
} from '@tradewire/contract';
import type { LlmEndpoint } from '../agents/llm/client.js';
import { type ConnectionCheck, checkConnection } from '../agents/llm/connection.js';
import type { LlmPolicy } from '../agents/llm/policy.js';
import { RunData } from '../assistant/run-data.js';
import { answerQuestion, utcDay } from '../assistant/turn.js';
import type { SecretBox } from '../auth/secret-box.js';
import { AppError, modelNotFound, runNotFound } from '../domain/errors.js';
import type { MarketData } from '../market/market-data.js';
import type { AssistantConversationRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import type { Caller } from './principal.js';

/** Conversations listed at most. */
const LIST_LIMIT = 100;

const conversationNotFound = (id: number) => new AppError('conversation_not_found', `conversation ${id} not found`);

const conversationView = ({ user_id: _u, ...c }: AssistantConversationRecord): AssistantConversation => c;

/** A question accepted: run it to stream the answer. */
export interface AssistantTurn {
  run(opts: { signal: AbortSignal; emit: (e: AssistantStreamEvent) => void }): Promise<void>;
}

/**
 * The run assistant: each user's endpoint (key sealed, never returned), their conversations about
 * a run or a model, and answers grounded in their own data. Everything is the caller's own, even
 * for an admin: a conversation reads data through tools scoped to its owner.
 */
export class AssistantService {
  constructor(private readonly deps: { storage: Storage; market: MarketData; secrets: SecretBox; policy: LlmPolicy; dailyTokens: number }) {}

  async endpoint(caller: Caller): Promise<AssistantEndpoint> {
    const e = await this.deps.storage.assistant.endpoint(caller.userId);
    return e ? { configured: true, base_url: e.base_url, model: e.model, has_api_key: e.api_key_secret !== null } : { configured: false, base_url: null, model: null, has_api_key: false };
  }

  async saveEndpoint(caller: Caller, b: AssistantEndpointBody): Promise<AssistantEndpoint> {
    const api_key_secret = b.api_key === undefined ? undefined : b.api_key === '' ? null : this.deps.secrets.seal(b.api_key);
    await this.deps.storage.assistant.putEndpoint(caller.userId, { base_url: b.base_url, model: b.model, api_key_secret });
    return this.endpoint(caller);
  }

  async deleteEndpoint(caller: Caller): Promise<void> {
    await this.deps.storage.assistant.deleteEndpoint(caller.userId);
  }

  async testEndpoint(caller: Caller): Promise<ConnectionCheck> {
    try {
      return await checkConnection(await this.openEndpoint(caller));
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  async usage(caller: Caller): Promise<AssistantUsage> {
    const date = utcDay();
    return { date, used_tokens: await this.deps.storage.assistant.usage(caller.userId, date), daily_cap: this.deps.dailyTokens };
  }

  async list(caller: Caller, q: { model_id?: number; run_id?: number }): Promise<AssistantConversation[]> {
    return (await this.deps.storage.assistant.conversations(caller.userId, { ...q, limit: LIST_LIMIT })).map(conversationView);
  }

  async create(caller: Caller, b: AssistantConversationCreate): Promise<AssistantConversation> {
    const model = await this.deps.storage.models.byId(b.model_id);
    if (!model || model.user_id !== caller.userId) throw modelNotFound(b.model_id);
    let title = `${model.name} · all runs`;
    if (b.run_id !== undefined) {
      const run = await this.deps.storage.runs.byId(b.run_id);
      if (!run || run.model_id !== model.id) throw runNotFound(b.run_id, model.id);
      title = `${model.name} · run #${run.run_number}`;
    }
    const c = await this.deps.storage.assistant.createConversation({ user_id: caller.userId, model_id: model.id, run_id: b.run_id ?? null, title });
    return conversationView(c);
  }

  async get(caller: Caller, id: number): Promise<AssistantConversationDetail> {
    const c = await this.owned(caller, id);
    const messages = await this.deps.storage.assistant.messages(c.id);
    return { ...conversationView(c), messages: messages.map(({ conversation_id: _c, ...m }) => m) };
  }

  async delete(caller: Caller, id: number): Promise<void> {
    const c = await this.owned(caller, id);
    await this.deps.storage.assistant.deleteConversation(c.id);
  }

  /**
   * Checks a question can be answered (the conversation is the caller's, an endpoint is set, the
   * day's tokens are not spent) before anything streams, so those failures are plain 4xx answers.
   */
  async ask(caller: Caller, id: number, question: string): Promise<AssistantTurn> {
    const { storage } = this.deps;
    const conversation = await this.owned(caller, id);
    const endpoint = await this.openEndpoint(caller);
    const used = await storage.assistant.usage(caller.userId, utcDay());
    if (used >= this.deps.dailyTokens) {
      throw new AppError('assistant_token_cap', `the daily assistant token cap of ${this.deps.dailyTokens} is reached (ASSISTANT_DAILY_TOKENS): try again tomorrow (UTC)`);
    }
    const model = await storage.models.byId(conversation.model_id);
    if (!model) throw conversationNotFound(id);
    const run = conversation.run_id === null ? ((await storage.runs.latestByModel(model.id)) ?? null) : ((await storage.runs.byId(conversation.run_id)) ?? null);
    const history = await storage.assistant.messages(conversation.id);
    const data = new RunData({ storage, market: this.deps.market }, caller.userId);
    return {
      run: (opts) => answerQuestion({ storage, endpoint, data, dailyTokens: this.deps.dailyTokens }, { conversation, model, run, history, question }, opts),
    };
  }

  private async owned(caller: Caller, id: number): Promise<AssistantConversationRecord> {
    const c = await this.deps.storage.assistant.conversation(id);
    if (!c || c.user_id !== caller.userId) throw conversationNotFound(id);
    return c;
  }

  /** The caller's endpoint with its key opened in memory; `assistant_not_configured` when none is set. */
  private async openEndpoint(caller: Caller): Promise<LlmEndpoint> {
    const e = await this.deps.storage.assistant.endpoint(caller.userId);
    if (!e) throw new AppError('assistant_not_configured', 'no assistant endpoint is set: add one under Settings → Assistant (any OpenAI-compatible base URL and model)');
    let apiKey: string | null = null;
    if (e.api_key_secret !== null) {
      try {
        apiKey = this.deps.secrets.open(e.api_key_secret);
      } catch {
        throw new AppError('assistant_not_configured', 'the stored API key cannot be decrypted (was the server secret changed?): set it again under Settings → Assistant');
      }
    }
    return { baseUrl: e.base_url, model: e.model, apiKey, policy: this.deps.policy };
  }
}
