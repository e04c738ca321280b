import { useLatestPositions } from '../api/trading';
import type { ModelLive } from '../stream/live-state';
import { useModelLive } from '../stream/hooks';
import { freshestPortfolio } from './freshest-portfolio';

/** The model's current portfolio from whichever source is fresher: the stream or the API. */
export function useModelPortfolio(modelId: number) {
  return usePortfolioFrom(modelId, useModelLive(modelId));
}

/** The same from a live state the caller holds (a deferred copy of the stream's, say). */
export function usePortfolioFrom(modelId: number, live: ModelLive | undefined) {
  const rest = useLatestPositions(modelId);
  return { portfolio: freshestPortfolio(live, rest.data), live, isLoading: rest.isLoading && !live?.portfolio };
}
