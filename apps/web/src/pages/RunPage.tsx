import { useState } from 'react';
import { ArrowLeft, Download, GitCompareArrows, History } from 'lucide-react';
import { Link, useSearchParams } from 'react-router';
import type { RunDetail } from '@tradewire/contract';
import { toast } from 'sonner';
import { api, errorMessage } from '../api/client';
import { useSymbols } from '../api/market';
import { useModel } from '../api/models';
import { useBenchmark, useRoundTrips } from '../api/results';
import { useRun, useRunEvents, useRunId } from '../api/runs';
import { useTrades } from '../api/trading';
import { benchmarkLabel, benchmarkOptions, defaultBenchmark, pickBenchmark } from '../components/benchmark';
import { BenchmarkFigures, BenchmarkSelect } from '../components/BenchmarkPanel';
import { EquityChart } from '../components/EquityChart';
import { EventTimeline, EventTimelineChart } from '../components/EventTimeline';
import { MetricsGrid } from '../components/MetricsGrid';
import { PriceChart } from '../components/PriceChart';
import { RoundTripsTable } from '../components/RoundTripsTable';
import { RunBreakdown } from '../components/RunBreakdown';
import { RunStatusBadge } from '../components/RunStatusBadge';
import { LazyAssistantPanel } from '../components/assistant/LazyAssistantPanel';
import { ErrorState, PageHeader } from '../components/states';
import { TradesTable } from '../components/TradesTable';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../components/ui/tabs';
import { fmt, formatDateRange, formatDateTime } from '../lib/format';
import { compareHref } from './compare-runs';
import { useIdParam } from './ModelPage';

/** Saves a file the API serves behind auth (a plain link cannot send the bearer token). */
async function download(path: string, filename: string) {
  try {
    const blob = await api.blob(path);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  } catch (e) {
    toast.error('Download failed', { description: errorMessage(e) });
  }
}

export function RunPage() {
  const modelId = useIdParam('id');
  const runNumber = useIdParam('runNumber');
  if (modelId === null || runNumber === null) return <ErrorState error={new Error('No such run')} title="Not found" page />;
  return <RunByNumber key={`${modelId}-${runNumber}`} modelId={modelId} runNumber={runNumber} />;
}

function RunByNumber({ modelId, runNumber }: { modelId: number; runNumber: number }) {
  const { runId, error } = useRunId(modelId, runNumber);
  if (error) return <ErrorState error={error} title="Could not load the run" page />;
  if (runId === null) return <Skeleton className="h-40" />;
  return <RunView modelId={modelId} runId={runId} />;
}

/** The run page's tabs, in order; `?tab=` names the open one so a link can point at it. */
const TABS = [
  { value: 'round-trips', label: 'Closed trades' },
  { value: 'fills', label: 'Fills' },
  { value: 'breakdown', label: 'Breakdown' },
  { value: 'chart', label: 'Price chart' },
  { value: 'events', label: 'Event timeline' },
  { value: 'config', label: 'Config' },
  { value: 'ask', label: 'Ask' },
] as const;
type Tab = (typeof TABS)[number]['value'];

/** The data set and symbols a run traded, from its config snapshot. */
function runUniverse(r: RunDetail, fallbackDataset: string | undefined) {
  const dataset = typeof r.config.dataset === 'string' ? r.config.dataset : (fallbackDataset ?? 'simulated');
  const symbols = Array.isArray(r.config.symbols) ? r.config.symbols.filter((s): s is string => typeof s === 'string') : [];
  return { dataset, symbols };
}

function RunView({ modelId, runId }: { modelId: number; runId: number }) {
  const model = useModel(modelId);
  const run = useRun(modelId, runId);
  const [params, setParams] = useSearchParams();
  const wanted = params.get('tab');
  const tab: Tab = TABS.some((t) => t.value === wanted) ? (wanted as Tab) : 'round-trips';
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );
  if (run.error) return <ErrorState error={run.error} title="Could not load the run" page />;
  if (!run.data) return <Skeleton className="h-40" />;
  const r = run.data;
  const base = `/api/models/${modelId}/runs/${runId}/events`;
  const file = `model-${modelId}-run-${r.run_number}-events`;
  const universe = runUniverse(r, model.data?.dataset);
  return (
    <div className="mx-auto grid grid-cols-1 max-w-6xl gap-6" data-testid="run-page" data-run-id={r.id}>
      <div>
        <Link to={`/models/${modelId}`} className="tap inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft className="size-4" />
          {model.data?.name ?? 'Model'}
        </Link>
      </div>
      <PageHeader
        documentTitle={`Run #${r.run_number}${model.data ? ` · ${model.data.name}` : ''}`}
        title={
          <span className="flex items-center gap-3">
            Run #{r.run_number}
            <RunStatusBadge status={r.status} />
          </span>
        }
        subtitle={
          <>
            {formatDateRange(r.start_date, r.end_date)} · {fmt.count(r.pace_ms)} ms a day · started {formatDateTime(r.started_at)}
            {r.ended_at && <> · ended {formatDateTime(r.ended_at)}</>}
            {r.error && <span className="block text-loss">{r.error}</span>}
            {r.usage && (
              <span className="block" data-testid="run-usage">
                LLM: {fmt.count(r.usage.calls)} calls · {fmt.count(r.usage.prompt_tokens)} prompt + {fmt.count(r.usage.completion_tokens)} completion
                tokens
              </span>
            )}
          </>
        }
        actions={
          <>
            {r.status !== 'running' && (
              <Button asChild variant="outline" size="sm">
                <Link to={`/models/${modelId}/runs/${r.run_number}/replay`} data-testid="replay-link">
                  <History />
                  Replay
                </Link>
              </Button>
            )}
            <Button asChild variant="outline" size="sm">
              <Link to={compareHref([{ modelId, runNumber: r.run_number }])} data-testid="compare-link">
                <GitCompareArrows />
                Compare
              </Link>
            </Button>
            <Button variant="outline" size="sm" onClick={() => void download(`${base}?format=csv`, `${file}.csv`)} data-testid="download-csv">
              <Download />
              CSV
            </Button>
            <Button variant="outline" size="sm" onClick={() => void download(`${base}?format=json`, `${file}.json`)} data-testid="download-json">
              <Download />
              JSON
            </Button>
          </>
        }
      />
      <RunPerformance
        modelId={modelId}
        run={r}
        dataset={universe.dataset}
        symbols={universe.symbols}
        wanted={params.get('benchmark')}
        onBenchmark={(b) => setParam('benchmark', b)}
      />
      <Tabs value={tab} onValueChange={(v) => setParam('tab', v)}>
        <TabsList>
          {TABS.map((t) => (
            <TabsTrigger key={t.value} value={t.value}>
              {t.label}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="round-trips">
          <RunRoundTrips modelId={modelId} runId={runId} />
        </TabsContent>
        <TabsContent value="fills">
          <RunTrades modelId={modelId} runId={runId} selected={selectionOf(params)} />
        </TabsContent>
        <TabsContent value="breakdown">
          <RunBreakdown modelId={modelId} runId={runId} />
        </TabsContent>
        <TabsContent value="chart">
          <Card className="p-4">
            <PriceChart modelId={modelId} run={r} allowedSymbols={universe.symbols} dataset={universe.dataset} />
          </Card>
        </TabsContent>
        <TabsContent value="events">
          <RunEvents modelId={modelId} runId={runId} />
        </TabsContent>
        <TabsContent value="ask">
          <LazyAssistantPanel modelId={modelId} runId={runId} runNumber={r.run_number} />
        </TabsContent>
        <TabsContent value="config">
          <Card className="p-4">
            <pre className="overflow-x-auto text-xs text-muted-foreground" data-testid="run-config">
              {JSON.stringify(r.config, null, 2)}
            </pre>
          </Card>
        </TabsContent>
      </Tabs>
    </div>
  );
}

/** Metrics beside the benchmark's figures, then the equity curve with the benchmark drawn on it. */
function RunPerformance({
  modelId,
  run: r,
  dataset,
  symbols,
  wanted,
  onBenchmark,
}: {
  modelId: number;
  run: RunDetail;
  dataset: string;
  symbols: string[];
  wanted: string | null;
  onBenchmark: (b: string) => void;
}) {
  const datasetSymbols = useSymbols(dataset);
  const known = datasetSymbols.data?.map((s) => s.symbol);
  const options = benchmarkOptions(known, symbols);
  const chosen = pickBenchmark(wanted, options, defaultBenchmark(known, datasetSymbols.isError));
  const benchmark = useBenchmark(modelId, r.id, chosen);
  const label = chosen === null ? null : benchmarkLabel(chosen, symbols.length);
  // The curve shown is the one for the chosen benchmark (not the previous one while it loads).
  const shown = benchmark.data && !benchmark.isPlaceholderData ? benchmark.data : undefined;
  return (
    <>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card>
          <CardHeader>
            <CardTitle>Metrics</CardTitle>
          </CardHeader>
          <CardContent>
            <MetricsGrid metrics={r.metrics} />
          </CardContent>
        </Card>
        <Card data-testid="benchmark-card">
          <CardHeader>
            <CardTitle>Against a benchmark</CardTitle>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-3">
            <BenchmarkSelect value={chosen} options={options} onChange={onBenchmark} />
            <BenchmarkFigures benchmark={shown} error={benchmark.error} label={label} />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Equity curve</CardTitle>
        </CardHeader>
        <CardContent>
          <EquityChart points={r.equity_curve} benchmark={shown && label ? { label, points: shown.equity_curve } : null} />
        </CardContent>
      </Card>
    </>
  );
}

function RunRoundTrips({ modelId, runId }: { modelId: number; runId: number }) {
  const trips = useRoundTrips(modelId, runId);
  if (trips.error) return <ErrorState error={trips.error} />;
  if (!trips.data) return <Skeleton className="h-40" />;
  return (
    <Card className="p-4">
      <RoundTripsTable trips={trips.data.round_trips} open={trips.data.open_positions} />
    </Card>
  );
}

/** `?trade=ID` or `?day=YYYY-MM-DD` (an assistant's citation): the fills to highlight. */
function selectionOf(params: URLSearchParams): { tradeId?: number; day?: string } | undefined {
  const trade = Number(params.get('trade'));
  const day = params.get('day');
  if (Number.isInteger(trade) && trade > 0) return { tradeId: trade };
  if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) return { day };
  return undefined;
}

function RunTrades({ modelId, runId, selected }: { modelId: number; runId: number; selected?: { tradeId?: number; day?: string } }) {
  const trades = useTrades(modelId, { runId, limit: 1000 });
  if (trades.error) return <ErrorState error={trades.error} />;
  if (!trades.data) return <Skeleton className="h-40" />;
  return (
    <Card className="p-2">
      <TradesTable trades={trades.data.items} selected={selected} />
    </Card>
  );
}

/** A long run records thousands of events; the timeline shows a window of them at a time. */
const TIMELINE_PAGE = 200;

function RunEvents({ modelId, runId }: { modelId: number; runId: number }) {
  const events = useRunEvents(modelId, runId);
  const [shown, setShown] = useState(TIMELINE_PAGE);
  if (events.error) return <ErrorState error={events.error} />;
  if (!events.data) return <Skeleton className="h-40" />;
  return (
    <Card className="grid grid-cols-1 gap-4 p-4">
      <EventTimelineChart events={events.data} />
      <EventTimeline events={events.data.slice(0, shown)} />
      {events.data.length > shown && (
        <div className="pt-4 text-center">
          <Button variant="outline" size="sm" onClick={() => setShown((n) => n + TIMELINE_PAGE)}>
            Show more ({events.data.length - shown} left)
          </Button>
        </div>
      )}
    </Card>
  );
}
