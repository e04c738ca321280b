import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Benchmark, Breakdown, Indicators, RoundTrips, RunComparison } from '@tradewire/contract';
import { api } from './client';
import { keys } from './keys';

/** What a run's numbers mean: its closed trades, breakdown, benchmark and indicator lines (GET …/runs/{run_id}/…). */
const runPath = (modelId: number, runId: number, what: string) => `/api/models/${modelId}/runs/${runId}/${what}`;

export function useRoundTrips(modelId: number, runId: number) {
  return useQuery({
    queryKey: keys.roundTrips(modelId, runId),
    queryFn: ({ signal }) => api.get<RoundTrips>(runPath(modelId, runId, 'round-trips'), { signal }),
  });
}

export function useBreakdown(modelId: number, runId: number) {
  return useQuery({
    queryKey: keys.breakdown(modelId, runId),
    queryFn: ({ signal }) => api.get<Breakdown>(runPath(modelId, runId, 'breakdown'), { signal }),
  });
}

/** `benchmark`: a symbol of the run's data set or `universe`; the previous answer stays on screen while another loads. */
export function useBenchmark(modelId: number, runId: number, benchmark: string | null) {
  return useQuery({
    queryKey: keys.benchmark(modelId, runId, benchmark ?? ''),
    queryFn: ({ signal }) => api.get<Benchmark>(runPath(modelId, runId, 'benchmark'), { signal, query: { benchmark } }),
    enabled: benchmark !== null,
    placeholderData: keepPreviousData,
  });
}

/** The strategy's own indicators on one symbol of the run (none for agents without fixed indicators). */
export function useIndicators(modelId: number, runId: number | undefined, symbol: string | null) {
  return useQuery({
    queryKey: keys.indicators(modelId, runId ?? 0, symbol ?? ''),
    queryFn: ({ signal }) => api.get<Indicators>(runPath(modelId, runId!, 'indicators'), { signal, query: { symbol } }),
    enabled: runId !== undefined && symbol !== null,
    // Indicators come from market data over the run's range, not from the run's progress.
    staleTime: Infinity,
  });
}

/** 2 to 4 runs of any of the caller's models: metrics and equity normalised to 100. */
export function useRunComparison(runIds: readonly number[]) {
  return useQuery({
    queryKey: keys.comparison(runIds),
    queryFn: ({ signal }) => api.get<RunComparison>('/api/runs/compare', { signal, query: { ids: runIds.join(',') } }),
    enabled: runIds.length >= 2,
    placeholderData: keepPreviousData,
  });
}
