import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { StreamStalled } from './errors.js';

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model wrote it: parsed (and possibly rejected) by the tools. */
  arguments: string;
  /** The arguments passed `maxToolArgBytes`: they were dropped, and the call is refused. */
  tooLarge?: boolean;
}

export interface ChatReply {
  text: string;
  toolCalls: ToolCall[];
  /** Null when the provider reports no usage (some local servers). */
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  latencyMs: number;
}

export interface ChatRequest {
  model: string;
  temperature: number;
  messages: ChatCompletionMessageParam[];
  /** Omitted: the model may not call any (some providers refuse an empty list). */
  tools?: ChatCompletionTool[];
  /** Most tokens the provider may generate for this answer. */
  max_tokens: number;
}

/** A model's text without NUL characters, which no text column can hold (PostgreSQL refuses them). */
const clean = (text: string | null | undefined) => (text ? text.replaceAll('\0', '') : '');

/** Tool names are short words; a longer one is cut (and then names no tool). */
const MAX_TOOL_NAME = 64;

/** Reasoning models send their thinking beside `content`, named per provider (vLLM, OpenRouter, Ollama). */
interface ThinkingDelta {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

/**
 * One streamed chat completion. Text reaches `onText` as it arrives; tool calls arrive in
 * pieces keyed by index and are joined here. The SDK's timeout ends once headers arrive, so a
 * stream that then goes silent for `idleMs` is cut and reported as stalled.
 */
export async function streamChat(
  client: OpenAI,
  request: ChatRequest,
  opts: {
    signal: AbortSignal;
    idleMs: number;
    maxToolArgBytes: number;
    onText: (text: string) => void;
    /** Where a reasoning model's thinking goes; to `onText` when not given. */
    onThinking?: (text: string) => void;
  },
): Promise<ChatReply> {
  const started = performance.now();
  const idle = new AbortController();
  const stream = await abortable(
    client.chat.completions.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      { signal: AbortSignal.any([opts.signal, idle.signal]) },
    ),
    opts.signal,
  );
  const timer = setTimeout(() => idle.abort(), opts.idleMs);
  let text = '';
  const calls: ToolCall[] = [];
  let usage: ChatReply['usage'] = null;
  try {
    for await (const chunk of stream) {
      timer.refresh();
      if (chunk.usage) usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens };
      const delta = chunk.choices[0]?.delta;
      if (!delta) continue;
      const thinking = clean((delta as ThinkingDelta).reasoning_content ?? (delta as ThinkingDelta).reasoning);
      if (thinking) (opts.onThinking ?? opts.onText)(thinking);
      const content = clean(delta.content);
      if (content) {
        text += content;
        opts.onText(content);
      }
      for (const piece of delta.tool_calls ?? []) {
        const call = (calls[piece.index ?? calls.length] ??= { id: '', name: '', arguments: '' });
        if (piece.id) call.id = piece.id;
        if (call.name.length < MAX_TOOL_NAME) call.name += clean(piece.function?.name);
        const args = clean(piece.function?.arguments);
        if (call.tooLarge || !args) continue;
        if (Buffer.byteLength(call.arguments) + Buffer.byteLength(args) > opts.maxToolArgBytes) {
          call.tooLarge = true;
          call.arguments = '';
        } else call.arguments += args;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  // The SDK ends an aborted stream quietly: say why it ended.
  if (idle.signal.aborted) throw new StreamStalled('stream stalled');
  opts.signal.throwIfAborted();
  // Some servers omit call ids; the conversation needs one to pair each result with its call.
  const toolCalls = calls.filter(Boolean).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
  return { text, toolCalls, usage, latencyMs: Math.round(performance.now() - started) };
}

/** `work`, cut short when `signal` aborts: the SDK sleeps through an abort while backing off between retries. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    // Settling `work` here also keeps its late rejection (the SDK's own abort error) handled.
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
