import { RunProgress } from '../components/RunProgress';
import { useState } from 'react';
import { Pencil, Play, Radio, Settings2, Trash2 } from 'lucide-react';
import { Link, useNavigate, useParams } from 'react-router';
import { toast } from 'sonner';
import { errorMessage } from '../api/client';
import { useDeleteModel, useModel } from '../api/models';
import { useRuns } from '../api/runs';
import { useLogs, useTrades } from '../api/trading';
import { EquityChart } from '../components/EquityChart';
import { LogsList } from '../components/LogsList';
import { MetricsGrid } from '../components/MetricsGrid';
import { PositionsTable } from '../components/PositionsTable';
import { PriceChart } from '../components/PriceChart';
import { RunsTable } from '../components/RunsTable';
import { StartTradingDialog } from '../components/StartTradingDialog';
import { StartLiveDialog } from '../components/StartLiveDialog';
import { LiveRunPanel } from '../components/LiveRunPanel';
import { ErrorState, PageHeader } from '../components/states';
import { TradesTable } from '../components/TradesTable';
import { TradingControls } from '../components/TradingControls';
import { modelOutcome, ModelStatusBadge } from '../components/ModelStatusBadge';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../components/ui/tabs';
import { LazyAssistantPanel } from '../components/assistant/LazyAssistantPanel';
import { useEquitySeries } from '../hooks/use-equity-series';
import { useModelPortfolio } from '../hooks/use-model-portfolio';
import { agentLabel } from '../lib/agents';
import { formatMoney, formatPct, pnlClass } from '../lib/format';
import { useModelLive } from '../stream/hooks';

export function useIdParam(name: string): number | null {
  const raw = useParams()[name];
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function ModelPage() {
  const id = useIdParam('id');
  if (id === null) return <ErrorState error={new Error('No such model')} title="Not found" page />;
  return <ModelView key={id} modelId={id} />;
}

function ModelView({ modelId }: { modelId: number }) {
  const navigate = useNavigate();
  const model = useModel(modelId);
  const live = useModelLive(modelId);
  const del = useDeleteModel();
  const [startOpen, setStartOpen] = useState(false);
  const [liveOpen, setLiveOpen] = useState(false);

  if (model.error && !model.data) return <ErrorState error={model.error} title="Could not load the model" page />;
  if (!model.data) return <Skeleton className="h-40" />;
  const m = model.data;
  const running = (live?.status ?? m.status) === 'running';
  const progress = running ? live?.progress : null;

  return (
    <div className="mx-auto grid grid-cols-1 max-w-6xl gap-6" data-testid="model-page" data-model-id={m.id} data-status={running ? 'running' : 'idle'}>
      <PageHeader
        documentTitle={m.name}
        title={
          <span className="flex items-center gap-3">
            <span className="truncate" data-testid="model-name">
              {m.name}
            </span>
            <ModelStatusBadge outcome={modelOutcome(m, live)} />
          </span>
        }
        subtitle={
          <>
            {agentLabel(m.agent.kind)} · starting cash {formatMoney(m.initial_cash)}
            {m.description && <span className="block">{m.description}</span>}
          </>
        }
        actions={
          <>
            <TradingControls modelId={m.id} running={running} size="default" />
            {!running && (
              <Button variant="outline" onClick={() => setStartOpen(true)} data-testid="start-options">
                <Settings2 />
                Start with options
              </Button>
            )}
            {!running && (
              <Button variant="outline" onClick={() => setLiveOpen(true)} data-testid={`start-live-${m.id}`}>
                <Radio />
                Start live
              </Button>
            )}
            <Button asChild variant="outline">
              <Link to={`/models/${m.id}/edit`} data-testid="edit-model">
                <Pencil />
                Edit
              </Link>
            </Button>
            <Button
              variant="ghost"
              className="text-loss hover:bg-loss/10"
              disabled={running || del.isPending}
              data-testid="delete-model"
              onClick={() => {
                if (!window.confirm(`Delete ${m.name} with all its runs?`)) return;
                del.mutate(m.id, {
                  onSuccess: () => navigate('/'),
                  onError: (e) => toast.error('Could not delete the model', { description: errorMessage(e) }),
                });
              }}
            >
              <Trash2 />
              Delete
            </Button>
          </>
        }
      />
      <StartTradingDialog modelId={m.id} modelDataset={m.dataset} open={startOpen} onOpenChange={setStartOpen} />

      <StartLiveDialog modelId={m.id} open={liveOpen} onOpenChange={setLiveOpen} />

      {running && live?.mode === 'live' && <LiveRunPanel modelId={m.id} symbols={m.allowed_symbols} />}
      {progress && <RunProgress progress={progress} testId="run-progress" size="md" live={live?.mode === 'live'} />}

      <Tabs defaultValue="overview">
        <TabsList>
          <TabsTrigger value="overview">Overview</TabsTrigger>
          <TabsTrigger value="trades">Trades</TabsTrigger>
          <TabsTrigger value="runs">Runs</TabsTrigger>
          <TabsTrigger value="logs">Logs</TabsTrigger>
          <TabsTrigger value="ask">Ask</TabsTrigger>
        </TabsList>
        <TabsContent value="overview" className="grid grid-cols-1 gap-4">
          <Overview modelId={m.id} />
          <Card>
            <CardHeader>
              <CardTitle>Price and trades</CardTitle>
            </CardHeader>
            <CardContent>
              <PriceChart modelId={m.id} allowedSymbols={m.allowed_symbols} dataset={m.dataset} />
            </CardContent>
          </Card>
        </TabsContent>
        <TabsContent value="trades">
          <TradesTab modelId={m.id} />
        </TabsContent>
        <TabsContent value="runs">
          <RunsTab modelId={m.id} onStart={() => setStartOpen(true)} running={running} />
        </TabsContent>
        <TabsContent value="logs">
          <LogsTab modelId={m.id} />
        </TabsContent>
        <TabsContent value="ask">
          <LazyAssistantPanel modelId={m.id} runId={null} runNumber={null} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

function Overview({ modelId }: { modelId: number }) {
  const { portfolio } = useModelPortfolio(modelId);
  const { points, metrics } = useEquitySeries(modelId);
  return (
    <>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="portfolio-summary">
        <Figure label="Equity" testId="model-equity" value={portfolio ? formatMoney(portfolio.equity) : '—'} />
        <Figure label="Cash" value={portfolio ? formatMoney(portfolio.cash) : '—'} />
        <Figure
          label="Return"
          testId="model-return"
          value={portfolio ? formatPct(portfolio.return_pct) : '—'}
          tone={portfolio ? pnlClass(portfolio.return_pct) : undefined}
        />
        <Figure label="Trades" testId="model-trade-count" value={portfolio ? String(portfolio.trade_count) : '—'} />
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Equity</CardTitle>
        </CardHeader>
        <CardContent>
          <EquityChart points={points} />
        </CardContent>
      </Card>
      <div className="grid grid-cols-1 gap-4 2xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Positions</CardTitle>
          </CardHeader>
          <CardContent>{portfolio ? <PositionsTable positions={portfolio.positions} /> : <Skeleton className="h-20" />}</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Latest run metrics</CardTitle>
          </CardHeader>
          <CardContent>
            <MetricsGrid metrics={metrics} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function Figure({ label, value, tone, testId }: { label: string; value: string; tone?: string; testId?: string }) {
  return (
    <Card className="min-w-0 p-3">
      <p className="text-xs text-subtle">{label}</p>
      <p className={`truncate text-lg font-semibold tabular ${tone ?? ''}`} data-testid={testId}>
        {value}
      </p>
    </Card>
  );
}

const TRADE_PAGE = 50;

function TradesTab({ modelId }: { modelId: number }) {
  const [limit, setLimit] = useState(TRADE_PAGE);
  const trades = useTrades(modelId, { limit });
  if (trades.error && !trades.data) return <ErrorState error={trades.error} />;
  if (!trades.data) return <Skeleton className="h-40" />;
  return (
    <Card className="p-2">
      <TradesTable trades={trades.data.items} />
      {trades.data.next_cursor && limit < 1000 && (
        <div className="p-2 text-center">
          <Button variant="outline" size="sm" onClick={() => setLimit((l) => Math.min(1000, l + TRADE_PAGE))} disabled={trades.isFetching}>
            Show more
          </Button>
        </div>
      )}
    </Card>
  );
}

function RunsTab({ modelId, onStart, running }: { modelId: number; onStart: () => void; running: boolean }) {
  const runs = useRuns(modelId);
  if (runs.error && !runs.data) return <ErrorState error={runs.error} />;
  if (!runs.data) return <Skeleton className="h-40" />;
  return (
    <Card className="p-2">
      <RunsTable modelId={modelId} runs={runs.data} />
      {runs.data.length === 0 && !running && (
        <div className="p-2">
          <Button variant="success" size="sm" onClick={onStart}>
            <Play />
            Start the first run
          </Button>
        </div>
      )}
    </Card>
  );
}

function LogsTab({ modelId }: { modelId: number }) {
  const logs = useLogs(modelId);
  if (logs.error && !logs.data) return <ErrorState error={logs.error} />;
  if (!logs.data) return <Skeleton className="h-40" />;
  return (
    <Card className="p-2">
      <LogsList logs={logs.data} />
    </Card>
  );
}
