import { RefreshCw } from 'lucide-react';
import { cn } from '../lib/utils';
import { useStreamStatus } from '../stream/hooks';
import { useStreamClient } from '../stream/StreamProvider';
import { Button } from './ui/button';
import { LazyTooltip } from './ui/lazy-tooltip';

/** Live / Reconnecting (attempt n) / Offline, with a Reconnect button whenever not live. */
export function ConnectionIndicator({ className }: { className?: string }) {
  const client = useStreamClient();
  const { status, attempt, lastEventId } = useStreamStatus();
  const label =
    status === 'live'
      ? 'Live'
      : status === 'connecting'
        ? 'Connecting…'
        : status === 'reconnecting'
          ? `Reconnecting (attempt ${attempt})`
          : 'Offline';
  const dot = status === 'live' ? 'bg-profit animate-pulse-dot' : status === 'offline' ? 'bg-subtle' : 'bg-warn animate-pulse-dot-forever';
  return (
    <div className={cn('flex items-center gap-2', className)}>
      <LazyTooltip content={lastEventId === null ? 'No events yet' : `Live updates; resumes after event #${lastEventId}`}>
        <div
          role="status"
          aria-live="polite"
          tabIndex={0}
          data-testid="connection-status"
          data-status={status}
          className={cn(
            'flex items-center gap-2 rounded text-xs whitespace-nowrap focus-visible:ring-2 max-sm:min-h-11 max-sm:min-w-11 max-sm:justify-center focus-visible:ring-ring focus-visible:outline-none',
            status === 'live' ? 'text-profit' : status === 'offline' ? 'text-subtle' : 'text-warn',
          )}
        >
          <span aria-hidden className={cn('size-2 rounded-full', dot)} />
          {label}
        </div>
      </LazyTooltip>
      {(status === 'reconnecting' || status === 'offline') && (
        <Button size="sm" variant="outline" onClick={() => client.reconnect()} className="h-7 px-2">
          <RefreshCw />
          Reconnect
        </Button>
      )}
    </div>
  );
}
