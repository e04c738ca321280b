import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Trophy } from 'lucide-react';
import type { ArenaStartBody, ArenaStarted, RunStatus } from '@tradewire/contract';
import { api, errorMessage } from '../api/client';
import { keys } from '../api/keys';
import { useModels } from '../api/models';
import { useEquityTracks } from '../components/chart-use-equity-tracks';
import { LiveEquityChart } from '../components/LiveEquityChart';
import { ErrorState, PageHeader } from '../components/states';
import { Badge, LiveBadge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Input, Label } from '../components/ui/input';
import { Skeleton } from '../components/ui/skeleton';
import { useModelNames } from '../hooks/use-model-names';
import { fmt, formatMoney, formatPct, pnlClass } from '../lib/format';
import { useAllModelsLive, useStreamBatches, useWatch } from '../stream/hooks';
import { rankLeaderboard, type ArenaEntry, type RankBy } from './arena-leaderboard';

/** Several models started together on the same dates, ranked live as their portfolios move. */
export function ArenaPage() {
  useWatch('all');
  const models = useModels();
  const qc = useQueryClient();
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [pace, setPace] = useState('100');
  /** Model id -> the run the arena started for it. */
  const [arena, setArena] = useState<ReadonlyMap<number, number>>(new Map());
  const start = useMutation({
    mutationFn: (body: ArenaStartBody) => api.post<ArenaStarted>('/api/arena', body),
    onSuccess: ({ runs }) => setArena(new Map(runs.map((r) => [r.model_id, r.id]))),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: keys.models });
      void qc.invalidateQueries({ queryKey: keys.tradingStatus });
      void qc.invalidateQueries({ queryKey: keys.stats });
    },
  });

  const toggle = (id: number) =>
    setPicked((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const submit = () =>
    start.mutate({
      model_ids: [...picked],
      start_date: startDate || undefined,
      end_date: endDate || undefined,
      pace_ms: pace === '' ? undefined : Number(pace),
    });

  return (
    <div className="mx-auto grid max-w-6xl grid-cols-1 gap-6" data-testid="arena-page">
      <PageHeader title="Arena" subtitle="Start several models on the same dates and watch them race." />
      <Card>
        <CardHeader>
          <CardTitle>Line-up</CardTitle>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4">
          {models.error && <ErrorState error={models.error} />}
          {!models.data && !models.error && <Skeleton className="h-16" />}
          {models.data?.length === 0 && <p className="text-sm text-subtle">Create at least two models first.</p>}
          <ul className="grid grid-cols-1 gap-1 sm:grid-cols-2 lg:grid-cols-3" data-testid="arena-models">
            {models.data?.map((m) => (
              <li key={m.id}>
                <label className="flex min-h-11 min-w-0 cursor-pointer items-center gap-3 rounded-md px-2 py-1.5 text-sm hover:bg-muted/60">
                  <input type="checkbox" className="size-4 accent-blue-500" checked={picked.has(m.id)} onChange={() => toggle(m.id)} data-testid={`arena-model-${m.id}`} />
                  <span className="truncate">{m.name}</span>
                  {m.status === 'running' && <Badge>Running</Badge>}
                </label>
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap items-end gap-3">
            <Label className="grid gap-1">
              Start date
              <Input type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} data-testid="arena-start-date" />
            </Label>
            <Label className="grid gap-1">
              End date
              <Input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} data-testid="arena-end-date" />
            </Label>
            <Label className="grid gap-1">
              Pace (ms a day)
              <Input type="number" min={0} max={60000} value={pace} onChange={(e) => setPace(e.target.value)} className="w-32" data-testid="arena-pace" />
            </Label>
            <Button variant="success" disabled={picked.size < 2 || start.isPending} onClick={submit} data-testid="arena-start">
              <Trophy />
              Start arena
            </Button>
          </div>
          {start.error && (
            <p className="text-sm text-loss" role="alert" data-testid="arena-error">
              {errorMessage(start.error)}
            </p>
          )}
        </CardContent>
      </Card>
      <Leaderboard key={[...arena.values()].join(',')} arena={arena} />
    </div>
  );
}

function Leaderboard({ arena }: { arena: ReadonlyMap<number, number> }) {
  const live = useAllModelsLive();
  const tracks = useEquityTracks();
  const nameOf = useModelNames();
  const [rankBy, setRankBy] = useState<RankBy>('return');
  // The live state forgets a run's outcome when the run began after the snapshot: keep it here.
  const [finished, setFinished] = useState<ReadonlyMap<number, { status: RunStatus; sharpe: number | null }>>(new Map());
  useStreamBatches((batch) => {
    const done = batch.events.filter((e) => e.type === 'complete' && e.model_id !== null && arena.get(e.model_id) === e.run_id);
    if (done.length === 0) return;
    setFinished((f) => {
      const next = new Map(f);
      for (const e of done) if (e.type === 'complete') next.set(e.model_id!, { status: e.data.status, sharpe: e.data.metrics?.sharpe ?? null });
      return next;
    });
  });
  const ids = useMemo(() => [...arena.keys()], [arena]);
  // Recomputed only when a delivery changed the live state or the curves: at most once per delivery.
  const ranked = useMemo(() => {
    const entries: ArenaEntry[] = ids.map((id) => {
      const runId = arena.get(id)!;
      const state = live.get(id);
      const sameRun = state?.runId === runId;
      // The run's own events, not the live portfolio, which may still show the model's previous run.
      const track = tracks.get(id);
      return {
        modelId: id,
        returnPct: track?.runId === runId ? track.returnPct : null,
        equity: track?.runId === runId ? track.points.map((p) => p.equity) : [],
        finalSharpe: finished.get(id)?.sharpe ?? (sameRun && state.run?.metrics ? state.run.metrics.sharpe : undefined),
      };
    });
    return rankLeaderboard(entries, rankBy);
  }, [ids, arena, live, tracks, finished, rankBy]);

  if (ids.length === 0) {
    return (
      <p className="text-sm text-subtle" data-testid="leaderboard-empty">
        Pick two or more models and start an arena to see the leaderboard.
      </p>
    );
  }
  return (
    <>
      <Card>
        <CardHeader className="flex flex-row items-center justify-between gap-2">
          <CardTitle>Leaderboard</CardTitle>
          <label className="flex items-center gap-2 text-sm text-muted-foreground">
            Rank by
            <select
              className="h-8 rounded-md border border-border bg-background px-2 text-sm text-foreground"
              value={rankBy}
              onChange={(e) => setRankBy(e.target.value as RankBy)}
              data-testid="leaderboard-rank-by"
            >
              <option value="return">Return</option>
              <option value="sharpe">Sharpe</option>
            </select>
          </label>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          <table className="stack-table w-full text-sm tabular" data-testid="leaderboard" data-rank-by={rankBy} aria-label="Arena leaderboard">
            <thead className="text-left text-xs text-subtle">
              <tr>
                <th className="py-1 pr-2">#</th>
                <th className="py-1 pr-2">Model</th>
                <th className="py-1 pr-2 text-right">Equity</th>
                <th className="py-1 pr-2 text-right">Return</th>
                <th className="py-1 pr-2 text-right">Sharpe</th>
                <th className="py-1 pr-2">Day</th>
                <th className="py-1">Status</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((e) => {
                const state = live.get(e.modelId);
                const current = state?.runId === arena.get(e.modelId);
                const outcome = finished.get(e.modelId)?.status ?? (current && state?.status === 'idle' ? state.run?.status : undefined);
                const running = !outcome && current && state?.status === 'running';
                const status = outcome ?? (running ? 'running' : 'waiting');
                return (
                  <tr key={e.modelId} className="border-t border-border" data-testid="leaderboard-row" data-model-id={e.modelId} data-rank={e.rank} data-return={e.returnPct ?? ''} data-status={status}>
                    <td className="py-1.5 pr-2" data-label="Rank">
                      {e.rank}
                    </td>
                    <td className="max-w-48 truncate py-1.5 pr-2" data-label="Model">
                      {nameOf(e.modelId)}
                    </td>
                    <td className="py-1.5 pr-2 text-right" data-label="Equity">
                      {e.equity.length > 0 ? formatMoney(e.equity.at(-1)!) : '—'}
                    </td>
                    <td className={`py-1.5 pr-2 text-right ${e.returnPct === null ? '' : pnlClass(e.returnPct)}`} data-testid="leaderboard-return" data-label="Return">
                      {e.returnPct === null ? '—' : formatPct(e.returnPct)}
                    </td>
                    <td className="py-1.5 pr-2 text-right" data-testid="leaderboard-sharpe" data-label="Sharpe">
                      {e.sharpe === null ? '—' : fmt.decimal(e.sharpe)}
                    </td>
                    <td className="py-1.5 pr-2 text-xs text-subtle" data-label="Day">
                      {current && state?.progress ? `${fmt.count(state.progress.step)}/${fmt.count(state.progress.total_steps)}` : ''}
                    </td>
                    <td className="py-1.5" data-label="Status">
                      {running ? <LiveBadge /> : <Badge>{status}</Badge>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Equity</CardTitle>
        </CardHeader>
        <CardContent>
          <LiveEquityChart modelIds={ids} />
        </CardContent>
      </Card>
    </>
  );
}
