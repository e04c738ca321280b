import { useLatestPositions } from '../api/trading';
import { useModelLive } from '../stream/hooks';
import { freshestPortfolio } from './freshest-portfolio';

/** The model's current portfolio from whichever source is fresher: the stream or the API. */
export function useModelPortfolio(modelId: number) {
  const live = useModelLive(modelId);
  const rest = useLatestPositions(modelId);
  return { portfolio: freshestPortfolio(live, rest.data), live, isLoading: rest.isLoading && !live?.portfolio };
}
