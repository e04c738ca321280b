import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { EventSearchPage, TradingEvent } from '@tradewire/contract';
import { api } from '../api/client';
import { EventTimelineChart } from '../components/EventTimeline';
import { ErrorState, PageHeader } from '../components/states';
import { Card } from '../components/ui/card';
import { useModelNames } from '../hooks/use-model-names';
import { byEventId } from '../stream/event-order';
import { useAllEvents } from '../stream/hooks';

/** Windows the page loads from the recorded events; the stream's tail extends them. */
const WINDOWS = [
  { key: '1h', label: 'Last hour', ms: 3_600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;
type WindowKey = (typeof WINDOWS)[number]['key'];

/** Events worth a dot: not the per-day bookkeeping. */
const TIMELINE_TYPES = 'trade,decision,status,reasoning,session_complete,complete,error';
/** Most recorded events one window loads (the newest of them). */
const WINDOW_LIMIT = 500;

/** Every model's events of a chosen time window on one axis, a lane each: the recorded ones, then live. */
export function TimelinePage() {
  const [windowKey, setWindowKey] = useState<WindowKey>('24h');
  // The window's start is fixed when it is chosen, so the query key (and the cache) stay put.
  const from = useMemo(() => new Date(Date.now() - WINDOWS.find((w) => w.key === windowKey)!.ms).toISOString(), [windowKey]);
  const recorded = useQuery({
    queryKey: ['timeline', windowKey, from],
    queryFn: ({ signal }) => api.get<EventSearchPage>('/api/events/search', { signal, query: { type: TIMELINE_TYPES, from, limit: WINDOW_LIMIT } }),
  });
  const live = useAllEvents();
  const events = useMemo(() => mergeById(recorded.data?.items ?? [], live, from), [recorded.data, live, from]);
  const modelName = useModelNames();
  return (
    <div className="mx-auto grid grid-cols-1 max-w-6xl gap-6" data-testid="timeline-page">
      <PageHeader
        title="Timeline"
        subtitle="Your models' events on one time axis: the recorded ones of the chosen window, then live. Zoom with the buttons or the mouse wheel; click a dot for its detail."
        actions={
          <select
            aria-label="Time window"
            data-testid="timeline-window"
            value={windowKey}
            onChange={(e) => setWindowKey(e.target.value as WindowKey)}
            className="h-9 rounded-md border border-input bg-background px-2 text-sm max-sm:min-h-11"
          >
            {WINDOWS.map((w) => (
              <option key={w.key} value={w.key}>
                {w.label}
              </option>
            ))}
          </select>
        }
      />
      <Card className="p-4" data-testid="timeline-card" data-recorded={recorded.data?.items.length ?? 0}>
        {recorded.error && !recorded.data ? <ErrorState error={recorded.error} title="Could not load the recorded events" /> : null}
        <EventTimelineChart events={events} modelName={modelName} />
        {recorded.data?.next_cursor && (
          <p className="mt-2 text-xs text-subtle">Showing the newest {WINDOW_LIMIT} recorded events of this window; pick a shorter window for the rest.</p>
        )}
      </Card>
    </div>
  );
}

/** The recorded events (newest first) and the live ones (ascending) as one list by id, from `from` on. */
function mergeById(recorded: readonly TradingEvent[], live: readonly TradingEvent[], from: string): TradingEvent[] {
  const seen = new Map<string, TradingEvent>();
  for (const e of recorded) seen.set(e.id, e);
  for (const e of live) if (e.timestamp >= from && e.type !== 'progress' && e.type !== 'portfolio') seen.set(e.id, e);
  return [...seen.values()].sort(byEventId);
}
