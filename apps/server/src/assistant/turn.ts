import type { AssistantMessage, AssistantStreamEvent, AssistantToolUse } from '@tradewire/contract';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { streamChat } from '../agents/llm/chat-stream.js';
import { type LlmEndpoint, openLlmClient } from '../agents/llm/client.js';
import { assertPublicHost } from '../agents/llm/egress.js';
import { AnswerRefused, describeLlmError } from '../agents/llm/errors.js';
import { truncateBytes } from '../agents/llm/text-budget.js';
import type { AssistantConversationRecord, AssistantMessageRecord, ModelRecord, RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { citationsOf } from './citations.js';
import { systemPrompt } from './prompt.js';
import type { RunData } from './run-data.js';
import { assistantTools, runAssistantTool } from './tools.js';

/** Calls to the model one answer may make (each tool round is one); then it must answer. */
export const MAX_ROUNDS = 8;
/** Earlier messages of the conversation sent with a question. */
const HISTORY_MESSAGES = 20;
/** Bytes of one tool result sent to the model. */
const MAX_TOOL_RESULT_BYTES = 48_000;
/** Bytes of answer text stored. */
const MAX_ANSWER_BYTES = 64_000;
/** The temperature of analysis: factual, repeatable. */
const TEMPERATURE = 0.2;

export const utcDay = (at = new Date()) => at.toISOString().slice(0, 10);

export interface TurnDeps {
  storage: Storage;
  endpoint: LlmEndpoint;
  data: RunData;
  dailyTokens: number;
}

export interface TurnInput {
  conversation: AssistantConversationRecord;
  model: ModelRecord;
  /** The conversation's run, or for a model-wide one its latest run (null: none yet). */
  run: RunRecord | null;
  history: AssistantMessageRecord[];
  question: string;
}

const view = ({ conversation_id: _c, ...m }: AssistantMessageRecord): AssistantMessage => m;

/**
 * One question answered: the question is stored, the model is called with the tools until it
 * answers without calling one (at most MAX_ROUNDS calls), its text streams to `emit` piece by
 * piece, and the answer is stored with its citations, tokens and latency — also when the user
 * stops it (`stopped`, with the text so far) or the endpoint fails (`failed`, with the reason).
 */
export async function answerQuestion(deps: TurnDeps, input: TurnInput, opts: { signal: AbortSignal; emit: (e: AssistantStreamEvent) => void }) {
  const { storage, endpoint, data } = deps;
  const { conversation } = input;
  const userId = conversation.user_id;
  const question = await storage.assistant.addMessage({
    conversation_id: conversation.id,
    role: 'user',
    content: input.question,
    citations: [],
    tools_used: [],
    status: 'complete',
    error: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    latency_ms: null,
    created_at: new Date().toISOString(),
  });
  opts.emit({ type: 'question', message: view(question) });

  const started = performance.now();
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt({ model: input.model, run: input.run, today: utcDay() }) },
    ...input.history
      .filter((m) => m.content.trim() !== '')
      .slice(-HISTORY_MESSAGES)
      .map((m): ChatCompletionMessageParam => ({ role: m.role, content: m.content })),
    { role: 'user', content: input.question },
  ];
  const scope = { data, modelId: input.model.id, defaultRunId: input.run?.id ?? null };
  const toolsUsed: AssistantToolUse[] = [];
  const tokens = { prompt_tokens: 0, completion_tokens: 0 };
  let text = '';
  let status: AssistantMessage['status'] = 'complete';
  let error: string | null = null;
  const client = openLlmClient(endpoint);
  const day = utcDay();
  try {
    if (!endpoint.policy.allowPrivateHosts) await assertPublicHost(endpoint.baseUrl);
    for (let round = 1; ; round++) {
      const used = (await storage.assistant.usage(userId, day)) + tokens.prompt_tokens + tokens.completion_tokens;
      if (used >= deps.dailyTokens) throw new AnswerRefused(`the daily assistant token cap of ${deps.dailyTokens} is reached (ASSISTANT_DAILY_TOKENS): try again tomorrow (UTC)`);
      const last = round === MAX_ROUNDS;
      const reply = await streamChat(
        client,
        // The last round offers no tools, so the model has to answer with what it has read.
        { model: endpoint.model, temperature: TEMPERATURE, messages, tools: last ? undefined : assistantTools, max_tokens: endpoint.policy.maxTokens },
        {
          signal: opts.signal,
          idleMs: endpoint.policy.timeoutMs,
          maxToolArgBytes: endpoint.policy.maxToolArgBytes,
          onText: (piece) => {
            text += piece;
            opts.emit({ type: 'text', text: piece });
          },
          // A reasoning model's thinking is not the answer.
          onThinking: () => {},
        },
      );
      tokens.prompt_tokens += reply.usage?.prompt_tokens ?? 0;
      tokens.completion_tokens += reply.usage?.completion_tokens ?? 0;
      if (reply.toolCalls.length === 0 || last) break;
      if (reply.text && !text.endsWith('\n')) {
        text += '\n\n';
        opts.emit({ type: 'text', text: '\n\n' });
      }
      messages.push({
        role: 'assistant',
        content: reply.text || null,
        tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.tooLarge ? '{}' : c.arguments } })),
      });
      for (const c of reply.toolCalls) {
        opts.emit({ type: 'tool', name: c.name, arguments: c.tooLarge ? '{}' : c.arguments });
        toolsUsed.push({ name: c.name, arguments: c.tooLarge ? '{}' : c.arguments.slice(0, 1000) });
        const result = c.tooLarge ? { error: `arguments exceed ${endpoint.policy.maxToolArgBytes} bytes: the call was refused` } : await runAssistantTool(scope, c.name, c.arguments);
        messages.push({ role: 'tool', tool_call_id: c.id, content: truncateBytes(JSON.stringify(result), MAX_TOOL_RESULT_BYTES) });
      }
    }
  } catch (e) {
    if (opts.signal.aborted) status = 'stopped';
    else {
      status = 'failed';
      error = describeLlmError(e, endpoint);
    }
  }
  const content = truncateBytes(text, MAX_ANSWER_BYTES);
  const answer = await storage.assistant.addMessage({
    conversation_id: conversation.id,
    role: 'assistant',
    content,
    citations: await citationsOf(content, { storage, userId, run: input.run }),
    tools_used: toolsUsed,
    status,
    error,
    ...tokens,
    latency_ms: Math.round(performance.now() - started),
    created_at: new Date().toISOString(),
  });
  const spent = tokens.prompt_tokens + tokens.completion_tokens;
  if (spent > 0) await storage.assistant.addUsage(userId, day, spent);
  if (status === 'failed') opts.emit({ type: 'error', error: error!, message: view(answer) });
  else opts.emit({ type: 'done', message: view(answer) });
}
