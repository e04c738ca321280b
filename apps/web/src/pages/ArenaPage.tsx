import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Radio, Trophy } from 'lucide-react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Arena, ArenaStartBody, ArenaStarted, RunStatus, Timeframe } from '@tradewire/contract';
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
import { RunStatusBadge } from '../components/RunStatusBadge';
import { fmt, formatDateRange, formatMoney, formatPct, pnlClass } from '../lib/format';
import { useAllModelsLive, useStreamBatches, useWatch } from '../stream/hooks';
import { rankLeaderboard, type ArenaEntry, type RankBy } from './arena-leaderboard';

const arenaKey = (id: number) => ['arena', id] as const;
const arenasKey = ['arenas'] as const;

/**
 * Several models started together on the same dates, ranked live as their portfolios move. Every
 * arena is stored: `/arena/{id}` reopens one with its leaderboard and race chart (live while it runs).
 */
export function ArenaPage() {
  useWatch('all');
  const models = useModels();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const arenaId = Number(useParams().arenaId ?? NaN);
  const stored = useQuery({
    queryKey: arenaKey(arenaId),
    queryFn: ({ signal }) => api.get<Arena>(`/api/arenas/${arenaId}`, { signal }),
    enabled: Number.isSafeInteger(arenaId) && arenaId > 0,
  });
  const past = useQuery({ queryKey: arenasKey, queryFn: ({ signal }) => api.get<{ items: Arena[] }>('/api/arenas', { signal }) });
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [pace, setPace] = useState('100');
  const [liveBars, setLiveBars] = useState<Timeframe>('5m');
  /** Model id -> the run the arena started for it. */
  const [arena, setArena] = useState<ReadonlyMap<number, number>>(new Map());
  // A stored arena opened by its URL brings its line-up.
  useEffect(() => {
    if (stored.data) setArena(new Map(stored.data.entries.map((e) => [e.model_id, e.run_id])));
  }, [stored.data]);
  const start = useMutation({
    mutationFn: (body: ArenaStartBody) => api.post<ArenaStarted>('/api/arena', body),
    onSuccess: ({ arena: started, runs }) => {
      setArena(new Map(runs.map((r) => [r.model_id, r.id])));
      qc.setQueryData(arenaKey(started.id), started);
      void navigate(`/arena/${started.id}`);
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: arenasKey });
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
  const submitLive = () => start.mutate({ model_ids: [...picked], mode: 'live', timeframe: liveBars });

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
          <div className="flex flex-wrap items-end gap-3 border-t border-border pt-4">
            <Label className="grid gap-1">
              Live bars
              <select
                value={liveBars}
                onChange={(e) => setLiveBars(e.target.value as Timeframe)}
                className="h-11 rounded-md border border-border bg-transparent px-3 text-sm"
                data-testid="arena-live-timeframe"
              >
                <option value="1m">1 minute</option>
                <option value="5m">5 minutes</option>
                <option value="15m">15 minutes</option>
                <option value="1h">1 hour</option>
                <option value="1d">1 day</option>
              </select>
            </Label>
            <Button variant="outline" disabled={picked.size < 2 || start.isPending} onClick={submitLive} data-testid="arena-start-live">
              <Radio />
              Start live arena
            </Button>
            <p className="text-xs text-subtle">Trades the market as it happens, from now until stopped.</p>
          </div>
          {start.error && (
            <p className="text-sm text-loss" role="alert" data-testid="arena-error">
              {errorMessage(start.error)}
            </p>
          )}
        </CardContent>
      </Card>
      {stored.error && !stored.data && <ErrorState error={stored.error} title="Could not load this arena" />}
      {stored.data && (
        <p className="text-sm text-muted-foreground" data-testid="arena-title">
          <span className="font-medium text-foreground">{stored.data.name}</span> ·{' '}
          {stored.data.mode === 'live' ? <span data-testid="arena-live">live since {fmt.date(stored.data.start_date)}</span> : formatDateRange(stored.data.start_date, stored.data.end_date)}
        </p>
      )}
      <Leaderboard key={[...arena.values()].join(',')} arena={arena} stored={stored.data} />
      <PastArenas arenas={past.data?.items} current={stored.data?.id ?? null} />
    </div>
  );
}

/** Every stored arena of the user, newest first, each a link that reopens it. */
function PastArenas({ arenas, current }: { arenas: Arena[] | undefined; current: number | null }) {
  if (!arenas || arenas.length === 0) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Past arenas</CardTitle>
      </CardHeader>
      <CardContent>
        <ul className="grid grid-cols-1 gap-1" data-testid="arena-list">
          {arenas.map((a) => {
            const best = [...a.entries].filter((e) => e.return_pct !== null).sort((x, y) => y.return_pct! - x.return_pct!)[0];
            return (
              <li key={a.id} data-testid="arena-list-item" data-arena-id={a.id} data-status={a.status}>
                <Link
                  to={`/arena/${a.id}`}
                  aria-current={a.id === current ? 'page' : undefined}
                  className="flex min-h-11 flex-wrap items-center gap-x-3 gap-y-1 rounded-md px-2 py-1.5 text-sm hover:bg-muted/60 aria-[current=page]:bg-muted"
                >
                  <span className="min-w-0 flex-1 truncate font-medium">{a.name}</span>
                  <span className="text-xs text-subtle">{a.mode === 'live' ? `live since ${fmt.date(a.start_date)}` : formatDateRange(a.start_date, a.end_date)}</span>
                  {best && a.status === 'finished' && (
                    <span className="text-xs text-muted-foreground">
                      Best: {best.model_name} <span className={pnlClass(best.return_pct!)}>{formatPct(best.return_pct!)}</span>
                    </span>
                  )}
                  {a.status === 'running' ? <LiveBadge /> : <Badge>Finished</Badge>}
                </Link>
              </li>
            );
          })}
        </ul>
      </CardContent>
    </Card>
  );
}

function Leaderboard({ arena, stored }: { arena: ReadonlyMap<number, number>; stored?: Arena }) {
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
      const followed = track?.runId === runId ? track : null;
      // The stored run (when the arena was opened by its URL) under the days the stream added since.
      const kept = stored?.entries.find((e) => e.run_id === runId);
      const keptCurve = kept?.equity_curve ?? [];
      const lastKept = keptCurve.at(-1)?.date ?? '';
      const equity = [...keptCurve.map((p) => p.equity), ...(followed?.points ?? []).filter((p) => p.date > lastKept).map((p) => p.equity)];
      const keptEnd = kept && kept.status !== 'running' ? kept.sharpe : undefined;
      return {
        modelId: id,
        returnPct: followed?.returnPct ?? kept?.return_pct ?? null,
        equity,
        finalSharpe: finished.get(id)?.sharpe ?? (sameRun && state.run?.metrics ? state.run.metrics.sharpe : keptEnd),
      };
    });
    return rankLeaderboard(entries, rankBy);
  }, [ids, arena, live, tracks, finished, rankBy, stored]);

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
                const kept = stored?.entries.find((k) => k.run_id === arena.get(e.modelId));
                const outcome =
                  finished.get(e.modelId)?.status ??
                  (current && state?.status === 'idle' ? state.run?.status : undefined) ??
                  (kept && kept.status !== 'running' ? kept.status : undefined);
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
                      {status === 'waiting' ? <Badge>waiting</Badge> : <RunStatusBadge status={status} />}
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
