import { z } from 'zod';
import { IdParam, IdValue } from './common.js';

/** The user's endpoint for the run assistant, as sent: any OpenAI-compatible chat completions API. */
export const AssistantEndpointBody = z.strictObject({
  base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  model: z.string().trim().min(1, 'is required').max(200),
  /** Write-only: stored encrypted, never returned. Omitted: the stored key is kept; '' removes it. */
  api_key: z.string().max(500).optional(),
});
export type AssistantEndpointBody = z.infer<typeof AssistantEndpointBody>;

/** The endpoint as read back: never the key, only whether one is set. */
export const AssistantEndpoint = z.object({
  configured: z.boolean(),
  base_url: z.string().nullable(),
  model: z.string().nullable(),
  has_api_key: z.boolean(),
});
export type AssistantEndpoint = z.infer<typeof AssistantEndpoint>;

/** A trade or a day the answer named, checked against the asking user's own data, with where it lives. */
export const AssistantCitation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trade'), trade_id: z.number().int(), model_id: z.number().int(), run_id: z.number().int(), run_number: z.number().int(), date: z.string() }),
  z.object({ kind: z.literal('day'), date: z.string(), model_id: z.number().int(), run_id: z.number().int(), run_number: z.number().int() }),
]);
export type AssistantCitation = z.infer<typeof AssistantCitation>;

/** A tool the assistant called while answering, as it asked for it. */
export const AssistantToolUse = z.object({ name: z.string(), arguments: z.string() });
export type AssistantToolUse = z.infer<typeof AssistantToolUse>;

export const AssistantMessage = z.object({
  id: z.number().int(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  citations: z.array(AssistantCitation),
  tools_used: z.array(AssistantToolUse),
  /** `stopped`: the user stopped it mid-answer; `failed`: the endpoint failed (`error` says how). */
  status: z.enum(['complete', 'stopped', 'failed']),
  error: z.string().nullable(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  /** Wall time of the whole answer, tool calls included; null for the user's messages. */
  latency_ms: z.number().int().nullable(),
  created_at: z.string(),
});
export type AssistantMessage = z.infer<typeof AssistantMessage>;

/** A conversation about one run, or about a model across its runs (`run_id` null). */
export const AssistantConversation = z.object({
  id: z.number().int(),
  model_id: z.number().int(),
  run_id: z.number().int().nullable(),
  title: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type AssistantConversation = z.infer<typeof AssistantConversation>;

export const AssistantConversationDetail = AssistantConversation.extend({ messages: z.array(AssistantMessage) });
export type AssistantConversationDetail = z.infer<typeof AssistantConversationDetail>;

export const AssistantConversationCreate = z.strictObject({
  model_id: IdValue('a model id'),
  /** Omitted: a conversation about the model across its runs. */
  run_id: IdValue('a run id').optional(),
});
export type AssistantConversationCreate = z.infer<typeof AssistantConversationCreate>;

export const AssistantConversationQuery = z.strictObject({
  model_id: IdParam.optional(),
  run_id: IdParam.optional(),
});

/** Most characters of one question. */
export const ASSISTANT_MAX_QUESTION = 4000;

export const AssistantAsk = z.strictObject({
  content: z.string().trim().min(1, 'is required').max(ASSISTANT_MAX_QUESTION, `must be at most ${ASSISTANT_MAX_QUESTION} characters`),
});
export type AssistantAsk = z.infer<typeof AssistantAsk>;

/** Tokens the user's assistant answers used today (UTC) against the server's daily cap. */
export const AssistantUsage = z.object({ date: z.string(), used_tokens: z.number().int(), daily_cap: z.number().int() });
export type AssistantUsage = z.infer<typeof AssistantUsage>;

/**
 * One frame of a streamed answer (each an unnamed SSE message holding this JSON): `text` pieces as
 * they arrive, `tool` when the assistant reads data, then exactly one of `done` or `error`, both with
 * the stored message (an error before anything was stored has none).
 */
export const AssistantStreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('question'), message: AssistantMessage }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool'), name: z.string(), arguments: z.string() }),
  z.object({ type: z.literal('done'), message: AssistantMessage }),
  z.object({ type: z.literal('error'), error: z.string(), message: AssistantMessage.nullable() }),
]);
export type AssistantStreamEvent = z.infer<typeof AssistantStreamEvent>;

/** How an answer names what it used: `[trade 123]` and `[day 2024-03-05]`. */
export const CITATION_PATTERN = /\[(trade) #?(\d{1,10})\]|\[(day) (\d{4}-\d{2}-\d{2})\]/g;

/** What a test of an LLM endpoint answers (a model's agent endpoint or the assistant's). */
export const LlmConnectionCheck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), model: z.string(), latency_ms: z.number().int() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type LlmConnectionCheck = z.infer<typeof LlmConnectionCheck>;
