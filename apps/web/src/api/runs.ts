import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TradingEvent, type Run, type RunDetail } from '@tradewire/contract';
import { api } from './client';
import { keys } from './keys';
import type { Page } from './types';

export function useRuns(modelId: number) {
  return useQuery({
    queryKey: keys.runs(modelId),
    queryFn: ({ signal }) => api.get<Page<Run>>(`/api/models/${modelId}/runs`, { signal }).then((p) => p.items),
  });
}

export function useRun(modelId: number, runId: number) {
  return useQuery({
    queryKey: keys.run(modelId, runId),
    queryFn: ({ signal }) => api.get<RunDetail>(`/api/models/${modelId}/runs/${runId}`, { signal }),
  });
}

/** The run's recorded events, parsed at the edge; anything the contract does not know is skipped. */
export function useRunEvents(modelId: number, runId: number) {
  return useQuery({
    queryKey: keys.runEvents(modelId, runId),
    queryFn: async ({ signal }) => {
      const body = await api.get<Page<unknown>>(`/api/models/${modelId}/runs/${runId}/events`, {
        signal,
        query: { format: 'json' },
      });
      const events: TradingEvent[] = [];
      for (const item of body.items) {
        const parsed = TradingEvent.safeParse(item);
        if (parsed.success) events.push(parsed.data);
      }
      return events;
    },
  });
}

export function useDeleteRun(modelId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (runId: number) => api.delete(`/api/models/${modelId}/runs/${runId}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.model(modelId) }),
  });
}
