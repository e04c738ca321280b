import { memo, useMemo } from 'react';
import type { TradingEvent } from '@tradewire/contract';
import { formatTime } from '../lib/format';
import { cn } from '../lib/utils';
import { eventStyle, eventText } from './event-style';

/** Per-step bookkeeping that would drown the feed; cards and progress bars show it instead. */
const QUIET = new Set<TradingEvent['type']>(['progress', 'portfolio', 'connected']);

export const FEED_LIMIT = 50;

/** Newest first, at most `limit` rows; each row renders once (events never change). */
export function ActivityFeed({
  events,
  modelName,
  limit = FEED_LIMIT,
  emptyText = 'No activity yet. Start a model to see its trades here.',
  className,
}: {
  /** Ascending by id, as the stream keeps them. */
  events: readonly TradingEvent[];
  /** Shown per row when given (the dashboard's feed of every model). */
  modelName?: (id: number | null) => string;
  limit?: number;
  emptyText?: string;
  className?: string;
}) {
  const rows = useMemo(() => {
    const out: TradingEvent[] = [];
    for (let i = events.length - 1; i >= 0 && out.length < limit; i--) if (!QUIET.has(events[i]!.type)) out.push(events[i]!);
    return out;
  }, [events, limit]);

  if (rows.length === 0) {
    return (
      <p className="px-1 py-6 text-center text-sm text-subtle" data-testid="activity-empty">
        {emptyText}
      </p>
    );
  }
  return (
    <ol className={cn('grid grid-cols-1 gap-1', className)} data-testid="activity-feed" aria-label="Recent activity">
      {rows.map((e) => (
        <ActivityRow key={e.id} event={e} model={modelName?.(e.model_id)} />
      ))}
    </ol>
  );
}

const ActivityRow = memo(function ActivityRow({ event, model }: { event: TradingEvent; model?: string }) {
  const { Icon, tone, label } = eventStyle(event);
  return (
    <li
      className="flex min-w-0 gap-3 rounded-lg px-2 py-2 hover:bg-muted/60"
      data-testid="activity-item"
      data-event-id={event.id}
      data-event-type={event.type}
    >
      <Icon className={cn('mt-0.5 size-4 shrink-0', tone)} aria-label={label} />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-2">
          {model !== undefined ? (
            <span className="truncate text-sm font-medium" data-testid="activity-model">
              {model}
            </span>
          ) : (
            <span className={cn('text-xs font-medium', tone)}>{label}</span>
          )}
          <time className="shrink-0 text-xs text-subtle tabular" dateTime={event.timestamp}>
            {formatTime(event.timestamp)}
          </time>
        </div>
        <p className="line-clamp-2 text-sm break-words text-muted-foreground">{eventText(event)}</p>
      </div>
    </li>
  );
});
