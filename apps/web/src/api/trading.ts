import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LogEntry, MarketClock, Run, StartBody, Trade, TradingStatus } from '@tradewire/contract';
import { api } from './client';
import { keys } from './keys';
import type { LatestPositions, Page, Performance, TradingStatusList } from './types';

export function useTradingStatuses() {
  return useQuery({
    queryKey: keys.tradingStatus,
    queryFn: ({ signal }) => api.get<TradingStatusList>('/api/trading/status', { signal }).then((r) => r.items),
  });
}

function useInvalidateTrading() {
  const qc = useQueryClient();
  return (modelId: number) => {
    void qc.invalidateQueries({ queryKey: keys.models });
    void qc.invalidateQueries({ queryKey: keys.tradingStatus });
    void qc.invalidateQueries({ queryKey: keys.stats });
    void qc.invalidateQueries({ queryKey: keys.model(modelId) });
  };
}

export function useStartTrading() {
  const refresh = useInvalidateTrading();
  return useMutation({
    mutationFn: ({ modelId, body = {} }: { modelId: number; body?: StartBody }) =>
      api.post<Run>(`/api/trading/start/${modelId}`, body),
    onSettled: (_r, _e, { modelId }) => refresh(modelId),
  });
}

export function useStopTrading() {
  const refresh = useInvalidateTrading();
  return useMutation({
    mutationFn: (modelId: number) => api.post<TradingStatus>(`/api/trading/stop/${modelId}`),
    onSettled: (_r, _e, modelId) => refresh(modelId),
  });
}

/** The model's latest portfolio, marked to market (its initial cash before the first run). */
export const latestPositionsQuery = (modelId: number) =>
  queryOptions({
    queryKey: keys.positions(modelId),
    queryFn: ({ signal }) => api.get<LatestPositions>(`/api/models/${modelId}/positions/latest`, { signal }),
  });

export const useLatestPositions = (modelId: number) => useQuery(latestPositionsQuery(modelId));

export function useTrades(modelId: number, opts: { runId?: number; limit?: number } = {}) {
  const limit = opts.limit ?? 50;
  return useQuery({
    queryKey: [...keys.trades(modelId, opts.runId), limit],
    queryFn: ({ signal }) =>
      api.get<Page<Trade>>(`/api/models/${modelId}/trades`, { signal, query: { run_id: opts.runId, limit } }),
  });
}

export function useLogs(modelId: number) {
  return useQuery({
    queryKey: keys.logs(modelId),
    queryFn: ({ signal }) => api.get<Page<LogEntry>>(`/api/models/${modelId}/logs`, { signal }).then((p) => p.items),
  });
}

export const performanceQuery = (modelId: number) =>
  queryOptions({
    queryKey: keys.performance(modelId),
    queryFn: ({ signal }) => api.get<Performance>(`/api/models/${modelId}/performance`, { signal }),
  });

export const usePerformance = (modelId: number) => useQuery(performanceQuery(modelId));

/**
 * One model's trading status with its live schedule (`live.message`: `next decision at 15:31 ET`),
 * while a live run plays: refreshed by each of its steps, and every few seconds for the clock.
 */
export function useLiveStatus(modelId: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.liveStatus(modelId),
    queryFn: ({ signal }) => api.get<TradingStatus>(`/api/trading/status/${modelId}`, { signal }),
    enabled,
    refetchInterval: enabled ? 10_000 : false,
  });
}

/** The exchange now (open or closed, next open or close), by the calendar live runs follow. */
export function useMarketClock() {
  return useQuery({
    queryKey: keys.marketClock,
    queryFn: ({ signal }) => api.get<MarketClock>('/api/market/clock', { signal }),
    refetchInterval: 60_000,
    retry: false,
  });
}
