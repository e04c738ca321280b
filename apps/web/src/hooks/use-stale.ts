import { useConnection } from '../stream/hooks';

/**
 * Whether figures on screen may be out of date: the stream is down (reconnecting, or offline
 * after having failed), or their last refetch failed while an older copy is still shown. Views
 * keep last-known values and mark them, never swapping them for an error text.
 */
export function useStale(query?: { isError: boolean; data: unknown }): boolean {
  const { status, attempt } = useConnection();
  const streamDown = status === 'reconnecting' || (status === 'offline' && attempt > 0);
  return streamDown || Boolean(query?.isError && query.data !== undefined);
}
