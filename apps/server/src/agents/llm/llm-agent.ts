import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { SessionHooks } from '../../domain/session-hooks.js';
import type { TradingRules } from '../../domain/trading-rules.js';
import type { Agent, AgentParams, Decision, Observation } from '../agent.js';
import { type ChatReply, streamChat } from './chat-stream.js';
import { type LlmEndpoint, openLlmClient } from './client.js';
import { describeLlmError } from './errors.js';
import { openingMessages } from './prompt.js';
import { runTool, tradingTools } from './tools.js';
import { TradingDesk } from './trading-desk.js';

/**
 * Trades through any OpenAI-compatible model: one conversation per trading day in which the
 * model looks at prices and its portfolio through tools and places orders, until it calls
 * finish_step, answers without a tool call, or uses up `max_tool_calls_per_step`.
 */
export class LlmAgent implements Agent {
  private readonly client: OpenAI;

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
    const decision = (summary: string) => ({ orders: desk.placedOrders(), reasoning: summary || 'The model ended the day without a summary' });
    let toolCalls = 0;
    let lastText = '';

    for (let call = 1; ; call++) {
      const reply = await this.ask(messages, obs.date, call);
      // Stopped mid-conversation: the day is not decided, so nothing is traded.
      if (!reply) return { orders: [], reasoning: 'Stopped before the model finished the day' };
      lastText = reply.text.trim() || lastText;
      if (reply.toolCalls.length === 0) return decision(lastText);
      messages.push({
        role: 'assistant',
        content: reply.text || null,
        tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      });
      for (const c of reply.toolCalls) {
        if (toolCalls === maxToolCalls) break;
        toolCalls++;
        const outcome = runTool(desk, c.name, c.arguments);
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
  private async ask(messages: ChatCompletionMessageParam[], date: string, call: number): Promise<ChatReply | null> {
    let reply: ChatReply;
    try {
      reply = await streamChat(
        this.client,
        { model: this.endpoint.model, temperature: this.params.temperature, messages, tools: tradingTools },
        { signal: this.hooks.signal, idleMs: this.endpoint.timeoutMs, onText: (text) => this.hooks.reasoning(text) },
      );
    } catch (e) {
      if (this.hooks.signal.aborted) return null;
      // No `cause`: the SDK's error may quote the key back; only the scrubbed message leaves here.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(describeLlmError(e, this.endpoint));
    }
    if (reply.text) this.hooks.reasoning('\n');
    this.hooks.usage(reply.usage ?? { prompt_tokens: 0, completion_tokens: 0 });
    await this.hooks.log('info', callLine(date, call, reply));
    return reply;
  }
}

/** The log line of one call: tokens and latency, what the model did and what it said. */
function callLine(date: string, call: number, reply: ChatReply): string {
  const tokens = reply.usage ? `${reply.usage.prompt_tokens} prompt + ${reply.usage.completion_tokens} completion tokens` : 'usage not reported';
  const tools = reply.toolCalls.length > 0 ? reply.toolCalls.map((c) => c.name).join(', ') : 'none';
  const said = reply.text.trim() ? `; reasoning: ${reply.text.trim()}` : '';
  return `${date} LLM call ${call}: ${tokens}, ${reply.latencyMs} ms; tools: ${tools}${said}`;
}
