import { memo, useMemo, useState } from 'react';
import type { AgentKind, TradingEvent } from '@tradewire/contract';
import { useModels } from '../api/models';
import { useAgentKinds } from '../hooks/use-agent-kinds';
import { formatTime } from '../lib/format';
import { cn } from '../lib/utils';
import { eventStyle, eventText } from './event-style';
import type { ActionFilter } from '../api/search';
import { ActionSelect, FilterChip } from './FilterChip';

/** Per-step bookkeeping that would drown the feed; cards and progress bars show it instead. */
const QUIET = new Set<TradingEvent['type']>(['progress', 'portfolio', 'connected']);

export const FEED_LIMIT = 50;

/** The types the feed shows, each a filter chip. */
export const FEED_TYPES = ['trade', 'decision', 'status', 'reasoning', 'error', 'session_complete', 'complete'] as const satisfies readonly TradingEvent['type'][];
type FeedType = (typeof FEED_TYPES)[number];
const TYPE_LABELS: Record<FeedType, string> = {
  trade: 'Trades',
  decision: 'Holds',
  status: 'Status',
  reasoning: 'Reasoning',
  error: 'Errors',
  session_complete: 'Session end',
  complete: 'Complete',
};

/** What the feed's filters ask for beyond types and model. */
export interface DecisionFilter {
  /** Only buys and sells that filled. */
  fillsOnly: boolean;
  action: ActionFilter;
  symbol: string | null;
}

/** Whether an event passes the fills-only, action and symbol filters (the same rules as the server's). */
export function passesDecisionFilter(e: TradingEvent, f: DecisionFilter): boolean {
  if (f.fillsOnly && !(e.type === 'trade' && e.data.status === 'filled' && e.data.action !== 'hold')) return false;
  if (f.action !== null && !((e.type === 'trade' || e.type === 'decision') && e.data.action === f.action)) return false;
  if (f.symbol !== null && !(e.type === 'trade' && e.data.symbol === f.symbol)) return false;
  return true;
}

const NO_FILTER: DecisionFilter = { fillsOnly: false, action: null, symbol: null };

/**
 * Newest first, at most `limit` rows, each rendered once (events never change). Rows out of view
 * skip layout and paint (`content-visibility`), so a new row on top costs about one row's work.
 */
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
  const kindOf = useAgentKinds();
  // No chip selected shows every type; the model filter exists where the feed spans models.
  const [types, setTypes] = useState<ReadonlySet<string>>(new Set());
  const [modelId, setModelId] = useState<number | null>(null);
  const [decisions, setDecisions] = useState<DecisionFilter>(NO_FILTER);
  const rows = useMemo(() => {
    const out: TradingEvent[] = [];
    for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = events[i]!;
      if (QUIET.has(e.type) || (types.size > 0 && !types.has(e.type)) || (modelId !== null && e.model_id !== modelId)) continue;
      if (!passesDecisionFilter(e, decisions)) continue;
      out.push(e);
    }
    return out;
  }, [events, limit, types, modelId, decisions]);
  // Symbols traded in what the feed holds, for the symbol filter.
  const symbols = useMemo(() => {
    const seen = new Set<string>();
    for (const e of events) if (e.type === 'trade' && e.data.symbol) seen.add(e.data.symbol);
    return [...seen].sort();
  }, [events]);
  const filtered = types.size > 0 || modelId !== null || decisions !== NO_FILTER;
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
          <FilterChip key={type} pressed={types.has(type)} onToggle={() => toggle(type)} testId={`feed-filter-type-${type}`}>
            {TYPE_LABELS[type]}
          </FilterChip>
        ))}
        <FilterChip pressed={decisions.fillsOnly} onToggle={() => setDecisions((d) => ({ ...d, fillsOnly: !d.fillsOnly }))} testId="feed-filter-fills" strong>
          Fills only
        </FilterChip>
        <ActionSelect
          value={decisions.action}
          onChange={(action) => setDecisions((d) => ({ ...d, action }))}
          testId="feed-filter-action"
          className="h-7 text-xs"
        />
        <select
          aria-label="Filter by symbol"
          data-testid="feed-filter-symbol"
          value={decisions.symbol ?? ''}
          onChange={(e) => setDecisions((d) => ({ ...d, symbol: e.target.value === '' ? null : e.target.value }))}
          className="h-7 max-w-28 rounded-md border border-input bg-background px-2 text-xs text-muted-foreground"
        >
          <option value="">Any symbol</option>
          {symbols.map((sym) => (
            <option key={sym} value={sym}>
              {sym}
            </option>
          ))}
        </select>
        {modelName && <ModelFilter value={modelId} onChange={setModelId} />}
      </div>
      {rows.length === 0 ? (
        <p className="px-1 py-6 text-center text-sm text-subtle" data-testid="activity-empty">
          {filtered ? 'No activity matches these filters.' : emptyText}
        </p>
      ) : (
        <FeedRows rows={rows} modelName={modelName} kindOf={kindOf} className={className} />
      )}
    </div>
  );
}

function FeedRows({
  rows,
  modelName,
  kindOf,
  className,
}: {
  rows: TradingEvent[];
  modelName?: (id: number | null) => string;
  kindOf: (id: number | null) => AgentKind | null;
  className?: string;
}) {
  return (
    <div className={className}>
      <ol className="grid" data-testid="activity-feed" aria-label="Recent activity">
        {rows.map((e) => (
          <ActivityRow key={e.id} event={e} model={modelName?.(e.model_id)} kind={kindOf(e.model_id)} />
        ))}
      </ol>
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

/**
 * A row; off screen it is laid out at its last size (or the estimate, about two lines of text)
 * without its content.
 */
const ActivityRow = memo(function ActivityRow({ event, model, kind }: { event: TradingEvent; model?: string; kind: AgentKind | null }) {
  return (
    <li
      className="flex min-w-0 gap-3 rounded-lg px-2 pt-2 pb-3 [contain-intrinsic-size:auto_76px] [content-visibility:auto] hover:bg-muted/60"
      data-testid="activity-item"
      data-event-id={event.id}
      data-event-type={event.type}
    >
      <RowContent event={event} model={model} kind={kind} />
    </li>
  );
});

function RowContent({ event, model, kind }: { event: TradingEvent; model?: string; kind: AgentKind | null }) {
  const { Icon, tone, label } = eventStyle(event);
  return (
    <>
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
        {event.type === 'decision' && event.data.reasoning.includes('\n') ? (
          // One line per model-day (on phones a 44 px tap target, as every control); the day's reasons open under it.
          <details className="text-sm text-muted-foreground" data-testid="activity-decision">
            <summary className="line-clamp-2 cursor-pointer break-words max-sm:min-h-11">{eventText(event, kind)}</summary>
            <p className="mt-1 max-h-48 overflow-auto text-xs break-words whitespace-pre-line">{event.data.reasoning}</p>
          </details>
        ) : (
          <p className="line-clamp-2 text-sm break-words text-muted-foreground">{eventText(event, kind)}</p>
        )}
      </div>
    </>
  );
}
