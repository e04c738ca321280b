import { useDeferredValue, useMemo } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useModels } from '../api/models';
import { useStats } from '../api/stats';
import { latestPositionsQuery } from '../api/trading';
import type { Stats } from '../api/types';
import { useAllModelsLive } from '../stream/hooks';
import { freshestPortfolio } from './freshest-portfolio';
import { liveStats, type ModelFigures } from './live-stats';

export function useLiveStats(): { stats: Stats | undefined; isLoading: boolean; error: Error | null } {
  const query = useStats();
  const models = useModels();
  // Drawn with the cards a delivery moves (deferred, in slices), not in a render of its own.
  const live = useDeferredValue(useAllModelsLive());
  // The same queries the cards use: no extra requests, one cache.
  const positions = useQueries({
    queries: (models.data ?? []).map((m) => latestPositionsQuery(m.id)),
    combine: (results) => results.map((r) => r.data),
  });
  const stats = useMemo(() => {
    if (!query.data) return undefined;
    const list = models.data;
    const known = list && (live.size > 0 || positions.every((p) => p !== undefined));
    const figures: ModelFigures[] | null = known
      ? list.map((m, i) => {
          const l = live.get(m.id);
          return { running: (l?.status ?? m.status) === 'running', portfolio: freshestPortfolio(l, positions[i]) };
        })
      : null;
    return liveStats(query.data, figures);
  }, [query.data, models.data, live, positions]);
  return { stats, isLoading: query.isLoading, error: query.error };
}
