import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  AssistantStreamEvent,
  type AssistantConversation,
  type AssistantConversationDetail,
  type AssistantEndpoint,
  type AssistantEndpointBody,
  type AssistantUsage,
  type LlmConnectionCheck,
} from '@tradewire/contract';
import { createParser } from 'eventsource-parser';
import { api } from './client';

/** The assistant's data is the caller's own and spans models: its own root key. */
export const assistantKeys = {
  endpoint: ['assistant', 'endpoint'] as const,
  usage: ['assistant', 'usage'] as const,
  conversations: (modelId: number, runId: number | null) => ['assistant', 'conversations', modelId, runId ?? 'model'] as const,
  conversation: (id: number) => ['assistant', 'conversation', id] as const,
};

export function useAssistantEndpoint() {
  return useQuery({ queryKey: assistantKeys.endpoint, queryFn: ({ signal }) => api.get<AssistantEndpoint>('/api/assistant/endpoint', { signal }) });
}

export function useSaveAssistantEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: AssistantEndpointBody) => api.put<AssistantEndpoint>('/api/assistant/endpoint', b),
    onSuccess: (e) => qc.setQueryData(assistantKeys.endpoint, e),
  });
}

export function useDeleteAssistantEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/api/assistant/endpoint'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: assistantKeys.endpoint }),
  });
}

export const testAssistantEndpoint = () => api.post<LlmConnectionCheck>('/api/assistant/endpoint/test');

export function useAssistantUsage() {
  return useQuery({ queryKey: assistantKeys.usage, queryFn: ({ signal }) => api.get<AssistantUsage>('/api/assistant/usage', { signal }) });
}

/** Conversations about one run, or (runId null) about the model as a whole. */
export function useConversations(modelId: number, runId: number | null) {
  return useQuery({
    queryKey: assistantKeys.conversations(modelId, runId),
    queryFn: async ({ signal }) => {
      const list = await api.get<{ items: AssistantConversation[] }>('/api/assistant/conversations', { signal, query: { model_id: modelId, run_id: runId } });
      return runId === null ? list.items.filter((c) => c.run_id === null) : list.items;
    },
  });
}

export function useConversation(id: number | null) {
  return useQuery({
    queryKey: assistantKeys.conversation(id ?? 0),
    queryFn: ({ signal }) => api.get<AssistantConversationDetail>(`/api/assistant/conversations/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useCreateConversation(modelId: number, runId: number | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<AssistantConversation>('/api/assistant/conversations', runId === null ? { model_id: modelId } : { model_id: modelId, run_id: runId }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: assistantKeys.conversations(modelId, runId) }),
  });
}

export function useDeleteConversation(modelId: number, runId: number | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/assistant/conversations/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: assistantKeys.conversations(modelId, runId) }),
  });
}

/**
 * Asks a question and hands each frame of the streamed answer to `onEvent` as it arrives.
 * Aborting `signal` stops the answer: the server stops its call to the model and stores what
 * was said. Rejects with the API's error when the question is refused (no endpoint, the cap).
 */
export async function streamAnswer(conversationId: number, content: string, opts: { signal: AbortSignal; onEvent: (e: AssistantStreamEvent) => void }) {
  const res = await api.stream(`/api/assistant/conversations/${conversationId}/messages`, { content }, { signal: opts.signal });
  const parser = createParser({
    onEvent: (msg) => {
      const parsed = AssistantStreamEvent.safeParse(JSON.parse(msg.data));
      if (parsed.success) opts.onEvent(parsed.data);
    },
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}
