import type { QueryKey } from '@tanstack/react-query';
import type { TradingEvent } from '@tradewire/contract';
import { keys } from '../api/keys';

/**
 * Which cached REST data an event makes stale. Cards, badges and positions follow the stream
 * directly; this is for lists and totals that only the server can recompute.
 */
export function staleKeysFor(e: TradingEvent): QueryKey[] | 'all' {
  const id = e.model_id;
  if (e.type === 'reset') return 'all';
  if (id === null) return [];
  switch (e.type) {
    case 'trade':
      // Not the latest positions: every fill comes with a `portfolio` event that the cards, stats
      // and positions take from the stream (refetching them per fill cost 50 requests every 3 s
      // with 50 models trading, and a render for each answer).
      return [keys.stats, keys.tradesAll(id), keys.logs(id)];
    case 'status':
      return [keys.models, keys.tradingStatus, keys.runs(id), keys.logs(id), keys.performance(id), keys.liveStatus(id)];
    case 'reasoning':
      return [keys.logs(id)];
    case 'progress':
      // Only a live run's step moves its schedule (an unmounted query costs nothing to mark).
      return e.data.mode === 'live' ? [keys.liveStatus(id)] : [];
    case 'complete':
    case 'session_complete':
    case 'error':
      return [keys.models, keys.tradingStatus, keys.stats, keys.model(id)];
    default:
      return [];
  }
}
