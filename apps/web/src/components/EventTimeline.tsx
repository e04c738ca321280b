import { memo } from 'react';
import type { TradingEvent } from '@tradewire/contract';
import { formatTime } from '../lib/format';
import { cn } from '../lib/utils';
import { eventStyle, eventText } from './event-style';

/** A run's recorded events, oldest first, as a vertical timeline. */
export const EventTimeline = memo(function EventTimeline({ events }: { events: TradingEvent[] }) {
  if (events.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="timeline-empty">No recorded events.</p>;
  return (
    <ol className="relative ml-2 grid grid-cols-1 gap-3 border-l border-border pl-5" data-testid="event-timeline">
      {events.map((e) => {
        const { Icon, tone, label } = eventStyle(e);
        return (
          <li key={e.id} className="relative min-w-0" data-testid="timeline-item" data-event-type={e.type}>
            <span className="absolute top-0.5 -left-[29px] grid size-4 place-items-center rounded-full bg-background">
              <Icon className={cn('size-4', tone)} aria-label={label} />
            </span>
            <div className="flex flex-wrap items-baseline gap-x-2 text-xs">
              <span className={cn('font-medium', tone)}>{label}</span>
              {'date' in e.data && typeof e.data.date === 'string' && <span className="text-subtle">{e.data.date}</span>}
              <time className="text-subtle tabular" dateTime={e.timestamp}>
                {formatTime(e.timestamp)}
              </time>
            </div>
            <p className="text-sm break-words whitespace-pre-wrap text-muted-foreground">{eventText(e)}</p>
          </li>
        );
      })}
    </ol>
  );
});
