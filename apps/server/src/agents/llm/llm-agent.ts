import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { SessionHooks } from '../../domain/session-hooks.js';
import type { TradingRules } from '../../domain/trading-rules.js';
import type { Agent, AgentParams, Decision, Observation } from '../agent.js';
import { type ChatReply, streamChat } from './chat-stream.js';
import { type LlmEndpoint, openLlmClient } from './client.js';
import { assertPublicHost } from './egress.js';
import { describeLlmError } from './errors.js';
import { openingMessages } from './prompt.js';
import { runTool, tradingTools } from './tools.js';
import { TextBudget, truncateBytes } from './text-budget.js';
import { TradingDesk } from './trading-desk.js';

/**
 * Trades through any OpenAI-compatible model: one conversation per trading day in which the
 * model looks at prices and its portfolio through tools and places orders, until it calls
 * finish_step, answers without a tool call, or uses up `max_tool_calls_per_step`.
 */
export class LlmAgent implements Agent {
  private readonly client: OpenAI;
  /** The endpoint's host, checked once before the first call (each connection is checked again). */
  private hostChecked: Promise<void> | null = null;

  constructor(
    private readonly endpoint: LlmEndpoint,
    private readonly params: Omit<AgentParams<'llm'>, 'api_key'>,
    private readonly rules: TradingRules,
    private readonly hooks: SessionHooks,
  ) {
    this.client = openLlmClient(endpoint);
  }

  async decide(obs: Observation): Promise<Decision> {
    const desk = new TradingDesk(obs, this.rules);
    const maxToolCalls = this.params.max_tool_calls_per_step;
    const messages = openingMessages(obs, this.rules, maxToolCalls, this.params.instructions);
    const { maxReasoningBytes } = this.endpoint.policy;
    const decision = (summary: string) => ({
      orders: desk.placedOrders(),
      reasoning: truncateBytes(summary, maxReasoningBytes) || 'The model ended the day without a summary',
    });
    // What the model says in a day is stored twice (streamed reasoning, call log lines): each within its allowance.
    const day = { streamed: new TextBudget(maxReasoningBytes), logged: new TextBudget(maxReasoningBytes) };
    let toolCalls = 0;
    let lastText = '';

    for (let call = 1; ; call++) {
      const reply = await this.ask(messages, obs.date, call, day);
      // Stopped mid-conversation: the day is not decided, so nothing is traded.
      if (!reply) return { orders: [], reasoning: 'Stopped before the model finished the day' };
      lastText = reply.text.trim() || lastText;
      if (reply.toolCalls.length === 0) return decision(lastText);
      messages.push({
        role: 'assistant',
        // The conversation is sent again with every call: it keeps what the logs keep, at most.
        content: reply.text ? truncateBytes(reply.text, maxReasoningBytes) : null,
        tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.tooLarge ? '{}' : c.arguments } })),
      });
      for (const c of reply.toolCalls) {
        if (toolCalls === maxToolCalls) break;
        toolCalls++;
        const outcome = c.tooLarge
          ? { result: { error: `arguments exceed ${this.endpoint.policy.maxToolArgBytes} bytes: the call was refused` } }
          : runTool(desk, c.name, c.arguments);
        if ('finished' in outcome) return decision(outcome.finished.trim() || lastText);
        const failed = (outcome.result as { error?: string }).error;
        if (failed) await this.hooks.log('warn', `${obs.date}: tool call ${c.name} failed: ${failed}`);
        messages.push({ role: 'tool', tool_call_id: c.id, content: JSON.stringify(outcome.result) });
      }
      if (toolCalls === maxToolCalls) {
        await this.hooks.log('warn', `${obs.date}: day ended after ${maxToolCalls} tool calls (max_tool_calls_per_step)`);
        return decision(lastText);
      }
    }
  }

  /** One call to the model, streamed into reasoning events, counted and logged; null once stopped. */
  private async ask(messages: ChatCompletionMessageParam[], date: string, call: number, day: { streamed: TextBudget; logged: TextBudget }): Promise<ChatReply | null> {
    const { policy } = this.endpoint;
    let reply: ChatReply;
    try {
      if (!policy.allowPrivateHosts) await (this.hostChecked ??= assertPublicHost(this.endpoint.baseUrl));
      reply = await streamChat(
        this.client,
        { model: this.endpoint.model, temperature: this.params.temperature, messages, tools: tradingTools, max_tokens: policy.maxTokens },
        {
          signal: this.hooks.signal,
          idleMs: policy.timeoutMs,
          maxToolArgBytes: policy.maxToolArgBytes,
          onText: (text) => {
            const kept = day.streamed.take(text);
            if (kept) this.hooks.reasoning(kept);
          },
        },
      );
    } catch (e) {
      if (this.hooks.signal.aborted) return null;
      // No `cause`: the SDK's error may quote the key back; only the scrubbed message leaves here.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(describeLlmError(e, this.endpoint));
    }
    if (reply.text && !day.streamed.exhausted) this.hooks.reasoning('\n');
    this.hooks.usage(reply.usage ?? { prompt_tokens: 0, completion_tokens: 0 });
    await this.hooks.log('info', callLine(date, call, reply, day.logged));
    return reply;
  }
}

/** The log line of one call: tokens and latency, what the model did and what it said. */
function callLine(date: string, call: number, reply: ChatReply, budget: TextBudget): string {
  const tokens = reply.usage ? `${reply.usage.prompt_tokens} prompt + ${reply.usage.completion_tokens} completion tokens` : 'usage not reported';
  const tools = reply.toolCalls.length > 0 ? reply.toolCalls.map((c) => c.name).join(', ') : 'none';
  const text = budget.take(reply.text.trim());
  const said = text ? `; reasoning: ${text}` : '';
  return `${date} LLM call ${call}: ${tokens}, ${reply.latencyMs} ms; tools: ${tools}${said}`;
}
