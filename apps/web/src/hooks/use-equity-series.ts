import { useMemo } from 'react';
import type { TradingEvent } from '@tradewire/contract';
import { useLatestPositions, usePerformance } from '../api/trading';
import { useTradingStream } from '../stream/hooks';
import { equitySeries } from './equity-series';

export function useEquitySeries(modelId: number) {
  return useEquitySeriesFrom(modelId, useTradingStream(modelId).events);
}

/** The same from stream events the caller holds (a deferred copy, say), ascending by id. */
export function useEquitySeriesFrom(modelId: number, events: readonly TradingEvent[]) {
  const perf = usePerformance(modelId);
  const latest = useLatestPositions(modelId);
  const points = useMemo(() => equitySeries(perf.data, events, latest.data), [perf.data, events, latest.data]);
  return { points, metrics: perf.data?.metrics ?? null, isLoading: perf.isLoading };
}
