import { describe, expect, it } from 'vitest';
import type { AssistantMessage } from '@tradewire/contract';
import { mergeMessages, suggestedQuestions } from './AssistantMessages';

const message = (id: number, content = `m${id}`): AssistantMessage => ({
  id,
  role: id % 2 ? 'user' : 'assistant',
  content,
  citations: [],
  tools_used: [],
  status: 'complete',
  error: null,
  prompt_tokens: 0,
  completion_tokens: 0,
  latency_ms: null,
  created_at: '2026-11-27T00:00:00.000Z',
});

describe('assistant messages', () => {
  it('merges what streamed with what the server has, once each, in stored order, the server copy winning', () => {
    const merged = mergeMessages([message(1), message(2, 'server')], [message(4), message(2, 'streamed'), message(3)]);
    expect(merged.map((m) => [m.id, m.content])).toEqual([
      [1, 'm1'],
      [2, 'server'],
      [3, 'm3'],
      [4, 'm4'],
    ]);
  });

  it('suggests comparing with the previous run only when there is one', () => {
    expect(suggestedQuestions(3)).toContain('Compare with run #2');
    expect(suggestedQuestions(1).some((q) => q.startsWith('Compare'))).toBe(false);
    expect(suggestedQuestions(null)).toContain('Compare my last two runs');
  });
});
