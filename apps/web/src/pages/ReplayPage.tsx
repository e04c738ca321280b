import { RunProgress } from '../components/RunProgress';
import { useEffect, useMemo, useState } from 'react';
import { ArrowLeft, Pause, Play } from 'lucide-react';
import { Link } from 'react-router';
import type { Model, TradingEvent } from '@tradewire/contract';
import { useModel } from '../api/models';
import { useRun, useRunEvents, useRunId } from '../api/runs';
import { ActivityFeed } from '../components/ActivityFeed';
import { EquityChart } from '../components/EquityChart';
import { EventTimelineChart } from '../components/EventTimeline';
import { RunStatusBadge } from '../components/RunStatusBadge';
import { Sparkline } from '../components/Sparkline';
import { ErrorState, PageHeader } from '../components/states';
import { Badge, LiveBadge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { equitySeries } from '../hooks/equity-series';
import { agentLabel } from '../lib/agents';
import { fmt, formatDateRange, formatMoney, formatPct, pnlClass } from '../lib/format';
import { cn } from '../lib/utils';
import { useReplayEvents, useReplayLive, useReplayState } from '../replay/hooks';
import { REPLAY_SPEEDS, ReplaySource } from '../replay/replay';
import { browserScheduler } from '../stream/browser';
import { useIdParam } from './ModelPage';

export function ReplayPage() {
  const modelId = useIdParam('id');
  const runNumber = useIdParam('runNumber');
  if (modelId === null || runNumber === null) return <ErrorState error={new Error('No such run')} title="Not found" page />;
  return <ReplayByNumber key={`${modelId}-${runNumber}`} modelId={modelId} runNumber={runNumber} />;
}

function ReplayByNumber({ modelId, runNumber }: { modelId: number; runNumber: number }) {
  const { runId, error } = useRunId(modelId, runNumber);
  if (error) return <ErrorState error={error} title="Could not load the run" page />;
  if (runId === null) return <Skeleton className="h-40" />;
  return <ReplayLoader modelId={modelId} runId={runId} />;
}

function ReplayLoader({ modelId, runId }: { modelId: number; runId: number }) {
  const model = useModel(modelId);
  const run = useRun(modelId, runId);
  const events = useRunEvents(modelId, runId);
  const error = model.error ?? run.error ?? events.error;
  if (error) return <ErrorState error={error} title="Could not load the run" page />;
  if (!model.data || !run.data || !events.data) return <Skeleton className="h-40" />;
  const r = run.data;
  return (
    <div className="mx-auto grid grid-cols-1 max-w-6xl gap-6" data-testid="replay-page" data-run-id={r.id}>
      <div>
        <Link to={`/models/${modelId}/runs/${r.run_number}`} className="tap inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft className="size-4" />
          Run #{r.run_number}
        </Link>
      </div>
      <PageHeader
        documentTitle={`Replay of run #${r.run_number} · ${model.data.name}`}
        title={
          <span className="flex items-center gap-3">
            Replay of run #{r.run_number}
            <RunStatusBadge status={r.status} />
          </span>
        }
        subtitle={
          <>
            {model.data.name} · {formatDateRange(r.start_date, r.end_date)} · played back from its {fmt.count(events.data.length)} recorded events
          </>
        }
      />
      <ReplayView model={model.data} events={events.data} />
    </div>
  );
}

/** One ReplaySource for the page's life: its own store, so the live dashboard is untouched. */
function ReplayView({ model, events }: { model: Model; events: TradingEvent[] }) {
  const [source] = useState(() => new ReplaySource(events, { scheduler: browserScheduler() }));
  useEffect(() => () => source.close(), [source]);
  const played = useReplayEvents(source, model.id);
  const points = useMemo(() => equitySeries(null, played), [played]);
  const modelName = useMemo(() => () => model.name, [model.name]);
  return (
    <>
      <ReplayControls source={source} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,20rem)_minmax(0,1fr)]">
        <ReplayCard source={source} model={model} />
        <Card>
          <CardHeader>
            <CardTitle>Equity</CardTitle>
          </CardHeader>
          <CardContent>
            <EquityChart points={points} />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Timeline</CardTitle>
        </CardHeader>
        <CardContent>
          <EventTimelineChart events={played} modelName={modelName} />
        </CardContent>
      </Card>
      <Card data-testid="replay-feed">
        <CardHeader>
          <CardTitle>Activity</CardTitle>
        </CardHeader>
        <CardContent>
          <ActivityFeed events={played} limit={200} emptyText="Nothing played yet: press play or drag the scrubber." className="max-h-[28rem] overflow-y-auto" />
        </CardContent>
      </Card>
    </>
  );
}

function ReplayControls({ source }: { source: ReplaySource }) {
  const { position, total, playing, speed } = useReplayState(source);
  return (
    <Card className="flex flex-wrap items-center gap-3 p-3" data-testid="replay-controls" data-playing={playing}>
      <Button
        variant={playing ? 'outline' : 'success'}
        size="sm"
        onClick={() => (playing ? source.pause() : source.play())}
        disabled={total === 0}
        data-testid="replay-play"
        aria-label={playing ? 'Pause' : 'Play'}
      >
        {playing ? <Pause /> : <Play />}
        {playing ? 'Pause' : 'Play'}
      </Button>
      <div className="flex gap-1" role="group" aria-label="Replay speed">
        {REPLAY_SPEEDS.map((s) => (
          <Button
            key={s}
            size="sm"
            variant={s === speed ? 'default' : 'outline'}
            aria-pressed={s === speed}
            onClick={() => source.setSpeed(s)}
            data-testid={`replay-speed-${s}`}
          >
            {s}x
          </Button>
        ))}
      </div>
      <input
        type="range"
        min={0}
        max={total}
        step={1}
        value={position}
        onChange={(e) => source.seek(Number(e.target.value))}
        aria-label="Replay position"
        data-testid="replay-scrubber"
        className="min-w-40 flex-1 accent-info"
      />
      <span className="text-sm text-muted-foreground tabular" data-testid="replay-position">
        {position}/{total}
      </span>
    </Card>
  );
}

/** The dashboard card's figures, as of the replay's position. */
function ReplayCard({ source, model }: { source: ReplaySource; model: Model }) {
  const live = useReplayLive(source, model.id);
  const played = useReplayEvents(source, model.id);
  const points = useMemo(() => equitySeries(null, played), [played]);
  const portfolio = live?.portfolio ?? null;
  const running = live?.status === 'running';
  const returnPct = portfolio?.return_pct ?? 0;
  const progress = live?.progress ?? null;
  return (
    <Card className="flex min-w-0 flex-col gap-3 p-4" data-testid="replay-card" data-status={running ? 'running' : 'idle'}>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium">{model.name}</p>
          <p className="truncate text-xs text-subtle">{agentLabel(model.agent.kind)}</p>
        </div>
        {running ? <LiveBadge /> : <Badge>Idle</Badge>}
      </div>
      <div className="grid grid-cols-3 gap-2 text-sm">
        <Figure label="Equity" testId="card-equity" value={formatMoney(portfolio?.equity ?? model.initial_cash)} />
        <Figure label="Return" testId="card-return" value={formatPct(returnPct)} tone={pnlClass(returnPct)} />
        <Figure label="Trades" testId="card-trades" value={String(portfolio?.trade_count ?? 0)} />
      </div>
      <Sparkline points={points} />
      {progress && <RunProgress progress={progress} testId="card-progress" />}
    </Card>
  );
}

function Figure({ label, value, tone, testId }: { label: string; value: string; tone?: string; testId: string }) {
  return (
    <div className="min-w-0">
      <p className="text-xs text-subtle">{label}</p>
      <p className={cn('truncate font-medium tabular', tone)} data-testid={testId}>
        {value}
      </p>
    </div>
  );
}
