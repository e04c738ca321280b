import { useState } from 'react';
import { ArrowLeft, Download, History } from 'lucide-react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { api, errorMessage } from '../api/client';
import { useModel } from '../api/models';
import { useRun, useRunEvents, useRunId } from '../api/runs';
import { useTrades } from '../api/trading';
import { EquityChart } from '../components/EquityChart';
import { EventTimeline, EventTimelineChart } from '../components/EventTimeline';
import { MetricsGrid } from '../components/MetricsGrid';
import { RunStatusBadge } from '../components/RunsTable';
import { ErrorState, PageHeader } from '../components/states';
import { TradesTable } from '../components/TradesTable';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../components/ui/tabs';
import { fmt, formatDateRange, formatDateTime } from '../lib/format';
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

function RunView({ modelId, runId }: { modelId: number; runId: number }) {
  const model = useModel(modelId);
  const run = useRun(modelId, runId);
  const [tab, setTab] = useState('trades');
  if (run.error) return <ErrorState error={run.error} title="Could not load the run" page />;
  if (!run.data) return <Skeleton className="h-40" />;
  const r = run.data;
  const base = `/api/models/${modelId}/runs/${runId}/events`;
  const file = `model-${modelId}-run-${r.run_number}-events`;
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
      <Card>
        <CardHeader>
          <CardTitle>Metrics</CardTitle>
        </CardHeader>
        <CardContent>
          <MetricsGrid metrics={r.metrics} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Equity curve</CardTitle>
        </CardHeader>
        <CardContent>
          <EquityChart points={r.equity_curve} />
        </CardContent>
      </Card>
      <Tabs value={tab} onValueChange={setTab}>
        <TabsList>
          <TabsTrigger value="trades">Trades</TabsTrigger>
          <TabsTrigger value="events">Event timeline</TabsTrigger>
          <TabsTrigger value="config">Config</TabsTrigger>
        </TabsList>
        <TabsContent value="trades">
          <RunTrades modelId={modelId} runId={runId} />
        </TabsContent>
        <TabsContent value="events">
          <RunEvents modelId={modelId} runId={runId} />
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

function RunTrades({ modelId, runId }: { modelId: number; runId: number }) {
  const trades = useTrades(modelId, { runId, limit: 1000 });
  if (trades.error) return <ErrorState error={trades.error} />;
  if (!trades.data) return <Skeleton className="h-40" />;
  return (
    <Card className="p-2">
      <TradesTable trades={trades.data.items} />
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
