import { useInfiniteQuery } from '@tanstack/react-query';
import type { EventSearchPage } from '@tradewire/contract';
import { api } from './client';

/** Only trades and decisions of this action; null: any. */
export type ActionFilter = 'buy' | 'sell' | 'hold' | null;

/** What the search page asks for; empty fields are left out of the query. */
export interface EventSearchParams {
  q: string;
  types: string[];
  modelId: number | null;
  /** Only buys and sells that filled. */
  fillsOnly: boolean;
  action: ActionFilter;
  symbol: string;
}

const SEARCH_PAGE = 50;

const queryOf = (p: EventSearchParams) => ({
  q: p.q.trim(),
  type: p.types.join(','),
  model_id: p.modelId,
  fills_only: p.fillsOnly ? 'true' : undefined,
  action: p.action ?? undefined,
  symbol: p.symbol.trim() || undefined,
});

/** Recorded events of the caller's models, newest first, a page at a time. */
export function useEventSearch(p: EventSearchParams) {
  return useInfiniteQuery({
    queryKey: ['event-search', p.q.trim(), [...p.types].sort(), p.modelId, p.fillsOnly, p.action, p.symbol.trim().toUpperCase()],
    queryFn: ({ signal, pageParam }) =>
      api.get<EventSearchPage>('/api/events/search', { signal, query: { ...queryOf(p), limit: SEARCH_PAGE, cursor: pageParam } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
}

/** The whole search as a file download (the API needs the bearer token, so not a plain link). */
export async function downloadEventSearch(p: EventSearchParams, format: 'json' | 'csv') {
  const blob = await api.blob('/api/events/search', { query: { ...queryOf(p), format } });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `events-search.${format}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
