import type { Portfolio } from '@tradewire/contract';
import type { LatestPositions } from '../api/types';
import type { ModelLive } from '../stream/live-state';

/**
 * The newer of the stream's last portfolio and the REST one: a newer run wins, then a later
 * trading day; on a tie the stream's (it arrived last). The engine sends portfolio events only
 * with fills, so between fills the REST refetch is the fresher of the two.
 */
export function freshestPortfolio(live: ModelLive | undefined, rest: LatestPositions | null | undefined): Portfolio | null {
  const fromStream = live?.portfolio ?? null;
  if (!rest) return fromStream;
  if (!fromStream) return rest;
  const liveRun = live?.runId ?? null;
  if (rest.run_id !== liveRun) return (rest.run_id ?? -1) > (liveRun ?? -1) ? rest : fromStream;
  return (rest.date ?? '') > (fromStream.date ?? '') ? rest : fromStream;
}
