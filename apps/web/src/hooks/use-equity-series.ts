import { useMemo } from 'react';
import { useLatestPositions, usePerformance } from '../api/trading';
import { useTradingStream } from '../stream/hooks';
import { equitySeries } from './equity-series';

export function useEquitySeries(modelId: number) {
  const perf = usePerformance(modelId);
  const latest = useLatestPositions(modelId);
  const { events } = useTradingStream(modelId);
  const points = useMemo(() => equitySeries(perf.data, events, latest.data), [perf.data, events, latest.data]);
  return { points, metrics: perf.data?.metrics ?? null, isLoading: perf.isLoading };
}
