import { memo, useMemo, useState } from 'react';
import type { AgentKind, TradingEvent } from '@tradewire/contract';
import { useModels } from '../api/models';
import { useAgentKinds } from '../hooks/use-agent-kinds';
import { formatTime } from '../lib/format';
import { cn } from '../lib/utils';
import { eventStyle, eventText } from './event-style';

/** Per-step bookkeeping that would drown the feed; cards and progress bars show it instead. */
const QUIET = new Set<TradingEvent['type']>(['progress', 'portfolio', 'connected']);

export const FEED_LIMIT = 50;

/** The types the feed shows, each a filter chip. */
export const FEED_TYPES = ['trade', 'status', 'reasoning', 'error', 'session_complete', 'complete'] as const satisfies readonly TradingEvent['type'][];
type FeedType = (typeof FEED_TYPES)[number];
const TYPE_LABELS: Record<FeedType, string> = {
  trade: 'Trades',
  status: 'Status',
  reasoning: 'Reasoning',
  error: 'Errors',
  session_complete: 'Session end',
  complete: 'Complete',
};

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
  // No chip selected shows every type; the model filter exists where the feed spans models.
  const [types, setTypes] = useState<ReadonlySet<string>>(new Set());
  const [modelId, setModelId] = useState<number | null>(null);
  const kindOf = useAgentKinds();
  const rows = useMemo(() => {
    const out: TradingEvent[] = [];
    for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = events[i]!;
      if (QUIET.has(e.type) || (types.size > 0 && !types.has(e.type)) || (modelId !== null && e.model_id !== modelId)) continue;
      out.push(e);
    }
    return out;
  }, [events, limit, types, modelId]);
  const filtered = types.size > 0 || modelId !== null;
  const toggle = (type: string) =>
    setTypes((prev) => {
      const next = new Set(prev);
      if (!next.delete(type)) next.add(type);
      return next;
    });

  return (
    <div className="grid min-w-0 grid-cols-1 gap-2">
      <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Filter activity">
        {FEED_TYPES.map((type) => (
          <button
            key={type}
            type="button"
            aria-pressed={types.has(type)}
            onClick={() => toggle(type)}
            data-testid={`feed-filter-type-${type}`}
            className={cn(
              'rounded-full border px-2 py-0.5 text-xs transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
              types.has(type) ? 'border-foreground/40 bg-muted text-foreground' : 'border-border text-muted-foreground hover:text-foreground',
            )}
          >
            {TYPE_LABELS[type]}
          </button>
        ))}
        {modelName && <ModelFilter value={modelId} onChange={setModelId} />}
      </div>
      {rows.length === 0 ? (
        <p className="px-1 py-6 text-center text-sm text-subtle" data-testid="activity-empty">
          {filtered ? 'No activity matches these filters.' : emptyText}
        </p>
      ) : (
        <ol className={cn('grid grid-cols-1 gap-1', className)} data-testid="activity-feed" aria-label="Recent activity">
          {rows.map((e) => (
            <ActivityRow key={e.id} event={e} model={modelName?.(e.model_id)} kind={kindOf(e.model_id)} />
          ))}
        </ol>
      )}
    </div>
  );
}

function ModelFilter({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { data: models } = useModels();
  return (
    <select
      aria-label="Filter by model"
      data-testid="feed-filter-model"
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      className="ml-auto h-7 max-w-40 rounded-md border border-input bg-background px-2 text-xs text-muted-foreground"
    >
      <option value="">All models</option>
      {models?.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </select>
  );
}

const ActivityRow = memo(function ActivityRow({ event, model, kind }: { event: TradingEvent; model?: string; kind: AgentKind | null }) {
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
        <p className="line-clamp-2 text-sm break-words text-muted-foreground">{eventText(event, kind)}</p>
      </div>
    </li>
  );
});
