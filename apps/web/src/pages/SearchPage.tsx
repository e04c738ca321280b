import { useState, type FormEvent, type ReactNode } from 'react';
import { Download, Search } from 'lucide-react';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import type { TradingEvent } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { useModels } from '../api/models';
import { downloadEventSearch, useEventSearch, type EventSearchParams } from '../api/search';
import { FEED_TYPES } from '../components/ActivityFeed';
import { EVENT_TYPE_LABELS, eventStyle, eventText } from '../components/event-style';
import { ActionSelect, actionOf, FilterChip } from '../components/FilterChip';
import { RunLink } from '../components/RunLink';
import { useAgentKinds } from '../hooks/use-agent-kinds';
import { ErrorState, PageHeader } from '../components/states';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { Skeleton } from '../components/ui/skeleton';
import { useModelNames } from '../hooks/use-model-names';
import { formatDateTime } from '../lib/format';
import { cn } from '../lib/utils';

/** The search lives in the URL (`?q=&type=trade,error&model=3&fills=1&action=buy&symbol=ZNTH`), so it can be shared and reloaded. */
function useSearchState(): [EventSearchParams, (next: Partial<EventSearchParams>) => void] {
  const [params, setParams] = useSearchParams();
  const model = Number(params.get('model'));
  const current: EventSearchParams = {
    q: params.get('q') ?? '',
    types: (params.get('type') ?? '').split(',').filter(Boolean),
    modelId: Number.isSafeInteger(model) && model > 0 ? model : null,
    fillsOnly: params.get('fills') === '1',
    action: actionOf(params.get('action')),
    symbol: params.get('symbol') ?? '',
  };
  const update = (next: Partial<EventSearchParams>) => {
    const merged = { ...current, ...next };
    const out = new URLSearchParams();
    if (merged.q.trim()) out.set('q', merged.q.trim());
    if (merged.types.length > 0) out.set('type', merged.types.join(','));
    if (merged.modelId !== null) out.set('model', String(merged.modelId));
    if (merged.fillsOnly) out.set('fills', '1');
    if (merged.action) out.set('action', merged.action);
    if (merged.symbol.trim()) out.set('symbol', merged.symbol.trim().toUpperCase());
    setParams(out, { replace: true });
  };
  return [current, update];
}

export function SearchPage() {
  const [search, setSearch] = useSearchState();
  const [text, setText] = useState(search.q);
  const [exporting, setExporting] = useState<'json' | 'csv' | null>(null);
  const models = useModels();
  const modelName = useModelNames();
  const results = useEventSearch(search);
  const events = results.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ q: text });
  };
  const toggleType = (type: string) =>
    setSearch({ types: search.types.includes(type) ? search.types.filter((t) => t !== type) : [...search.types, type] });
  const exportAs = async (format: 'json' | 'csv') => {
    setExporting(format);
    try {
      await downloadEventSearch(search, format);
    } catch (e) {
      toast.error('Export failed', { description: errorMessage(e) });
    } finally {
      setExporting(null);
    }
  };

  return (
    <div className="mx-auto grid max-w-5xl grid-cols-1 gap-4" data-testid="search-page">
      <PageHeader
        title="Search events"
        subtitle="Every recorded event of your models' runs, newest first."
        actions={
          <>
            <Button variant="outline" size="sm" disabled={exporting !== null} onClick={() => void exportAs('csv')} data-testid="export-csv">
              <Download />
              Export CSV
            </Button>
            <Button variant="outline" size="sm" disabled={exporting !== null} onClick={() => void exportAs('json')} data-testid="export-json">
              <Download />
              Export JSON
            </Button>
          </>
        }
      />
      <form onSubmit={submit} className="flex gap-2" role="search">
        <Input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Symbol, message or reason…"
          aria-label="Search text"
          data-testid="search-input"
          maxLength={200}
        />
        <Button type="submit" data-testid="search-submit">
          <Search />
          Search
        </Button>
      </form>
      <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Filter results">
        {FEED_TYPES.map((type) => (
          <FilterChip key={type} pressed={search.types.includes(type)} onToggle={() => toggleType(type)} testId={`search-filter-type-${type}`}>
            {EVENT_TYPE_LABELS[type] ?? type}
          </FilterChip>
        ))}
        <FilterChip pressed={search.fillsOnly} onToggle={() => setSearch({ fillsOnly: !search.fillsOnly })} testId="search-filter-fills" strong>
          Fills only
        </FilterChip>
        <ActionSelect value={search.action} onChange={(action) => setSearch({ action })} testId="search-filter-action" className="h-8 text-sm" />
        <Input
          aria-label="Filter by symbol"
          data-testid="search-filter-symbol"
          placeholder="Symbol"
          defaultValue={search.symbol}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setSearch({ symbol: e.currentTarget.value });
          }}
          onBlur={(e) => setSearch({ symbol: e.currentTarget.value })}
          className="h-8 w-24 uppercase"
        />
        <select
          aria-label="Filter by model"
          data-testid="search-filter-model"
          value={search.modelId ?? ''}
          onChange={(e) => setSearch({ modelId: e.target.value === '' ? null : Number(e.target.value) })}
          className="ml-auto h-8 rounded-md border border-input bg-background px-2 text-sm text-muted-foreground"
        >
          <option value="">All models</option>
          {models.data?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      {results.error ? (
        <ErrorState error={results.error} title="Search failed" />
      ) : results.isPending ? (
        <Skeleton className="h-40" />
      ) : events.length === 0 ? (
        <p className="py-10 text-center text-sm text-subtle" data-testid="search-empty">
          No recorded events match.
        </p>
      ) : (
        <Card className="p-2">
          <ol className="grid grid-cols-1 gap-1" data-testid="search-results" aria-label="Search results">
            {events.map((e) => (
              <SearchResult key={e.id} event={e} model={modelName(e.model_id)} highlight={search.q} />
            ))}
          </ol>
          {results.hasNextPage && (
            <div className="flex justify-center p-2">
              <Button variant="outline" size="sm" disabled={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()} data-testid="search-more">
                {results.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}

/** `text` with every case-insensitive occurrence of `term` marked. */
function Highlighted({ text, term }: { text: string; term: string }) {
  const needle = term.trim().toLowerCase();
  if (!needle) return <>{text}</>;
  const parts: ReactNode[] = [];
  const lower = text.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    if (i > at) parts.push(text.slice(at, i));
    parts.push(
      <mark key={i} className="rounded-sm bg-warn/25 px-0.5 text-foreground" data-testid="search-match">
        {text.slice(i, i + needle.length)}
      </mark>,
    );
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function SearchResult({ event, model, highlight }: { event: TradingEvent; model: string; highlight: string }) {
  const { Icon, tone, label } = eventStyle(event);
  const kindOf = useAgentKinds();
  return (
    <li className="flex min-w-0 gap-3 rounded-lg px-2 py-2 hover:bg-muted/60" data-testid="search-result" data-event-id={event.id} data-event-type={event.type}>
      <Icon className={cn('mt-0.5 size-4 shrink-0', tone)} aria-label={label} />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-2">
          <span className="flex min-w-0 flex-wrap items-baseline gap-x-2 text-sm font-medium">
            <span className="truncate">{model}</span>
            {event.run_id !== null && event.model_id !== null && (
              <RunLink modelId={event.model_id} runId={event.run_id} className="text-xs font-normal text-blue-400" />
            )}
          </span>
          <time className="shrink-0 text-xs text-subtle tabular" dateTime={event.timestamp}>
            {formatDateTime(event.timestamp)}
          </time>
        </div>
        <p className="text-sm break-words text-muted-foreground">
          <Highlighted text={eventText(event, kindOf(event.model_id))} term={highlight} />
        </p>
      </div>
    </li>
  );
}
