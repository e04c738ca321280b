import { errorMessage } from '../api/client';
import { RunProgress } from './RunProgress';
import { memo, useDeferredValue } from 'react';
import { Plus } from 'lucide-react';
import { Link } from 'react-router';
import type { Model, TradingEvent } from '@tradewire/contract';
import { useModels } from '../api/models';
import { agentLabel } from '../lib/agents';
import { fmt, formatMoney, formatPct, pnlClass } from '../lib/format';
import { useEquitySeriesFrom } from '../hooks/use-equity-series';
import { usePortfolioFrom } from '../hooks/use-model-portfolio';
import { useStale } from '../hooks/use-stale';
import { useModelLive, useTradingStream } from '../stream/hooks';
import type { ModelLive } from '../stream/live-state';
import { cn } from '../lib/utils';
import { Sparkline } from './Sparkline';
import { StaleNote } from './states';
import { TradingControls } from './TradingControls';
import { modelOutcome, ModelStatusBadge } from './ModelStatusBadge';
import { Button } from './ui/button';
import { Card } from './ui/card';
import { Skeleton } from './ui/skeleton';

export function ModelCardsGrid() {
  const query = useModels();
  const { data: models, isLoading, error } = query;
  const stale = useStale(query);
  if (error && !models) return <p className="text-sm text-loss">Could not load models: {errorMessage(error)}</p>;
  if (isLoading) {
    return (
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 2xl:grid-cols-3">
        {[0, 1].map((i) => (
          <Skeleton key={i} className="h-48 rounded-xl" />
        ))}
      </div>
    );
  }
  if (!models || models.length === 0) {
    return (
      <Card className="grid place-items-center gap-3 p-10 text-center" data-testid="models-empty">
        <p className="text-muted-foreground">No models yet. Create one and press Start to watch it trade.</p>
        <div className="flex flex-wrap justify-center gap-2">
          <Button asChild variant="primary">
            <Link to="/models/new">
              <Plus />
              Create your first model
            </Link>
          </Button>
          <Button asChild variant="outline">
            <Link to="/models/new/rules" data-testid="empty-new-rules">
              Build a rule-based strategy
            </Link>
          </Button>
        </div>
      </Card>
    );
  }
  return (
    <div
      className={cn('grid grid-cols-1 gap-3 sm:grid-cols-2 2xl:grid-cols-3', stale && 'opacity-60')}
      data-testid="model-cards"
      data-stale={stale || undefined}
    >
      {stale && <StaleNote className="col-span-full" />}
      {models.map((m) => (
        <ModelCard key={m.id} model={m} />
      ))}
    </div>
  );
}

/**
 * A delivery can move every card at once (50 models at 4 events/s each): the cards redraw from
 * deferred copies of their model's stream state, so React renders them in slices between frames
 * (an urgent render only finds nothing changed) rather than in one long task.
 */
const ModelCard = memo(function ModelCard({ model }: { model: Model }) {
  const live = useDeferredValue(useModelLive(model.id));
  const events = useDeferredValue(useTradingStream(model.id).events);
  return <ModelCardView model={model} live={live} events={events} />;
});

const ModelCardView = memo(function ModelCardView({ model, live, events }: { model: Model; live: ModelLive | undefined; events: readonly TradingEvent[] }) {
  const { portfolio } = usePortfolioFrom(model.id, live);
  const { points } = useEquitySeriesFrom(model.id, events);
  const running = (live?.status ?? model.status) === 'running';
  const outcome = modelOutcome(model, live);
  const equity = portfolio?.equity ?? model.initial_cash;
  const returnPct = portfolio?.return_pct ?? 0;
  const trades = portfolio?.trade_count ?? 0;
  const progress = running ? live?.progress : null;
  return (
    <Card
      // Off screen, a card is neither laid out nor painted: with 50 of them, a delivery that moves
      // every card repaints only the few in view.
      className="flex min-w-0 flex-col gap-3 p-4 [contain-intrinsic-size:auto_240px] [content-visibility:auto]"
      data-testid={`model-card-${model.id}`}
      data-status={running ? 'running' : 'idle'}
      data-outcome={outcome?.status ?? 'none'}
    >
      <div className="flex items-start justify-between gap-2">
        <CardTitle id={model.id} name={model.name} kind={model.agent.kind} mode={running ? (live?.mode ?? undefined) : undefined} />
        <ModelStatusBadge outcome={outcome} />
      </div>
      {outcome?.detail && (
        <p className={`-mt-1 line-clamp-2 text-xs ${outcome.status === 'failed' ? 'text-loss' : 'text-warn'}`} data-testid="card-outcome">
          Last run {outcome.status === 'failed' ? 'failed' : 'interrupted'}: {outcome.detail}
        </p>
      )}
      <div className="grid grid-cols-3 gap-2 text-sm">
        <div className="min-w-0">
          <p className="text-xs text-subtle">Equity</p>
          <p className="truncate font-medium tabular" data-testid="card-equity">
            {formatMoney(equity)}
          </p>
        </div>
        <div className="min-w-0">
          <p className="text-xs text-subtle">Return</p>
          <p className={`truncate font-medium tabular ${pnlClass(returnPct)}`} data-testid="card-return">
            {formatPct(returnPct)}
          </p>
        </div>
        <div className="min-w-0">
          <p className="text-xs text-subtle">Trades</p>
          <p className="truncate font-medium tabular" data-testid="card-trades">
            {fmt.count(trades)}
          </p>
        </div>
      </div>
      <Sparkline points={points} />
      {progress && <RunProgress progress={progress} testId="card-progress" live={live?.mode === 'live'} />}
      <CardActions id={model.id} running={running} />
    </Card>
  );
});

// The parts of a card that do not move with the stream render only when they change: links are
// not cheap (router hooks), and every delivery re-renders the cards whose figures moved.
/** `mode`: how the running model trades (live or backtest); undefined while it is not running. */
const CardTitle = memo(function CardTitle({ id, name, kind, mode }: { id: number; name: string; kind: Model['agent']['kind']; mode?: string }) {
  return (
    <div className="min-w-0">
      <Link to={`/models/${id}`} className="tap block truncate font-medium underline-offset-4 hover:underline max-sm:leading-[2.75rem]">
        {name}
      </Link>
      <p className="truncate text-xs text-subtle">
        {agentLabel(kind)}
        {mode && (
          <span data-testid="card-mode" data-mode={mode}>
            {' '}
            · {mode === 'live' ? 'live trading' : 'backtest'}
          </span>
        )}
      </p>
    </div>
  );
});

const CardActions = memo(function CardActions({ id, running }: { id: number; running: boolean }) {
  return (
    <div className="mt-auto flex items-center justify-between gap-2">
      <Button asChild size="sm" variant="ghost">
        <Link to={`/models/${id}`}>Details</Link>
      </Button>
      <TradingControls modelId={id} running={running} />
    </div>
  );
});
