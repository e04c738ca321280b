import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Run, type RunDetail, type TradingEvent, TradingEventMini } from '@tradewire/contract';
import { ApiError, api } from './client';
import { keys } from './keys';
import type { Page } from './types';

/** A model's runs, newest first. */
export const runsQuery = (modelId: number) =>
  queryOptions({
    queryKey: keys.runs(modelId),
    queryFn: ({ signal }) => api.get<Page<Run>>(`/api/models/${modelId}/runs`, { signal }).then((p) => p.items),
  });

export function useRuns(modelId: number) {
  return useQuery(runsQuery(modelId));
}

/**
 * The id of a model's run #`runNumber` (pages address runs by the number people see), from the
 * model's run list; a 404 when the model has no such run.
 */
export function useRunId(modelId: number, runNumber: number): { runId: number | null; error: unknown } {
  const runs = useRuns(modelId);
  const run = runs.data?.find((r) => r.run_number === runNumber);
  const missing = runs.data && !run ? new ApiError(404, 'not_found', `run #${runNumber} of model ${modelId} not found`) : null;
  return { runId: run?.id ?? null, error: runs.error ?? missing };
}

/** A run's number from its id (events and leaderboards carry ids), once the model's runs are loaded. */
export function useRunNumber(modelId: number | null, runId: number | null): number | null {
  const runs = useQuery({
    queryKey: keys.runs(modelId ?? 0),
    queryFn: ({ signal }) => api.get<Page<Run>>(`/api/models/${modelId}/runs`, { signal }).then((p) => p.items),
    enabled: modelId !== null && runId !== null,
  });
  return runs.data?.find((r) => r.id === runId)?.run_number ?? null;
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
        const parsed = TradingEventMini.safeParse(item);
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
