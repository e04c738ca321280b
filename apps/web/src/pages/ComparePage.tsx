import { useId, useMemo, useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ComparedRun, Metrics, Run } from '@tradewire/contract';
import { useModels } from '../api/models';
import { useRunComparison } from '../api/results';
import { runsQuery } from '../api/runs';
import { CompareChart } from '../components/CompareChart';
import { RunStatusBadge } from '../components/RunStatusBadge';
import { ErrorState, PageHeader } from '../components/states';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '../components/ui/table';
import { fmt, formatDateRange, formatPct, pnlClass } from '../lib/format';
import { alignCurves, bestIndex, COMPARE_COLORS, compareHref, MAX_COMPARED, parseRunRefs, sameRun, type RunRef } from './compare-runs';

/** A picked run once its model's run list has answered. */
type Resolved = { ref: RunRef; run: Run | null; loading: boolean };

/** 2 to 4 runs of any of the user's models: metrics side by side, equity curves normalised to 100 on one chart. */
export function ComparePage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const refs = useMemo(() => parseRunRefs(params.get('runs')), [params]);
  const setRefs = (next: RunRef[]) => void navigate(compareHref(next), { replace: true });
  const models = useModels();
  const modelIds = [...new Set(refs.map((r) => r.modelId))];
  const lists = useQueries({ queries: modelIds.map((id) => ({ ...runsQuery(id), retry: false })) });
  const resolved: Resolved[] = refs.map((ref) => {
    const list = lists[modelIds.indexOf(ref.modelId)];
    return { ref, run: list?.data?.find((r) => r.run_number === ref.runNumber) ?? null, loading: list?.isPending ?? true };
  });
  const found = resolved.filter((r): r is Resolved & { run: Run } => r.run !== null);
  const ids = found.map((r) => r.run.id);
  const comparison = useRunComparison(ids);
  const modelName = (id: number) => models.data?.find((m) => m.id === id)?.name ?? `Model ${id}`;
  const labelOf = (ref: RunRef) => `${modelName(ref.modelId)} · Run #${ref.runNumber}`;
  const colorOf = (ref: RunRef) => COMPARE_COLORS[refs.findIndex((r) => sameRun(r, ref))] ?? COMPARE_COLORS[0];

  // The comparison's runs in the order picked (its answer may still be for the previous pick).
  const compared = comparison.isPlaceholderData ? undefined : comparison.data?.runs;
  const shown = found.length >= 2 && compared ? found.map((f) => ({ ...f, data: compared.find((c) => c.run.id === f.run.id) })) : null;
  const complete = shown?.every((s) => s.data !== undefined) ? (shown as (Resolved & { run: Run; data: ComparedRun })[]) : null;

  return (
    <div className="mx-auto grid max-w-6xl grid-cols-1 gap-6" data-testid="compare-page" data-runs={ids.join(',')}>
      <PageHeader title="Compare runs" subtitle="Two to four runs of any of your models: their metrics side by side, their equity on one chart starting at 100." />
      <Card>
        <CardHeader>
          <CardTitle>Runs</CardTitle>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4">
          {refs.length > 0 && (
            <ul className="flex flex-wrap gap-2" data-testid="compare-picked">
              {resolved.map((r) => (
                <li
                  key={`${r.ref.modelId}:${r.ref.runNumber}`}
                  className="flex min-w-0 items-center gap-2 rounded-full border border-border py-0.5 pr-0.5 pl-3 text-sm"
                  data-testid="compare-picked-run"
                  data-run-id={r.run?.id ?? ''}
                >
                  <span aria-hidden className="size-2.5 shrink-0 rounded-full" style={{ background: colorOf(r.ref) }} />
                  <Link to={`/models/${r.ref.modelId}/runs/${r.ref.runNumber}`} className="tap inline-flex min-w-0 items-center truncate underline-offset-4 hover:underline">
                    {labelOf(r.ref)}
                  </Link>
                  {!r.loading && !r.run && <span className="text-xs text-loss">not found</span>}
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-7 rounded-full"
                    aria-label={`Remove ${labelOf(r.ref)} from the comparison`}
                    onClick={() => setRefs(refs.filter((x) => !sameRun(x, r.ref)))}
                  >
                    <X />
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {refs.length < MAX_COMPARED ? (
            <AddRun picked={refs} onAdd={(ref) => setRefs([...refs, ref])} defaultModel={refs.at(-1)?.modelId ?? models.data?.[0]?.id ?? null} />
          ) : (
            <p className="text-sm text-subtle">Four runs is the most one chart compares: remove one to add another.</p>
          )}
        </CardContent>
      </Card>

      {found.length < 2 ? (
        <p className="text-sm text-subtle" data-testid="compare-hint">
          {refs.length === 0 ? 'Pick two to four runs above, or tick runs in a model’s Runs tab and press Compare.' : 'Add at least one more run to compare.'}
        </p>
      ) : comparison.error ? (
        <ErrorState error={comparison.error} title="Could not compare the runs" />
      ) : !complete ? (
        <Skeleton className="h-96" />
      ) : (
        <Comparison runs={complete.map((c) => ({ data: c.data, label: labelOf(c.ref), color: colorOf(c.ref) }))} />
      )}
    </div>
  );
}

const pct = (v: number | null) => (v === null ? '—' : formatPct(v));
const ratio = (v: number | null) => (v === null ? '—' : fmt.decimal(v, 2));

/** Rows of the side-by-side table: how to read a metric and which way is better. */
const METRIC_ROWS: { label: string; value: (m: Metrics) => number | null; text: (v: number | null) => string; better?: 'higher' | 'lower'; tone?: boolean }[] = [
  { label: 'Total return', value: (m) => m.total_return_pct, text: pct, better: 'higher', tone: true },
  { label: 'Annualised return', value: (m) => m.annualized_return_pct, text: pct, better: 'higher', tone: true },
  { label: 'Volatility (ann.)', value: (m) => m.annualized_volatility_pct, text: (v) => (v === null ? '—' : fmt.unsignedPct(v)), better: 'lower' },
  { label: 'Sharpe', value: (m) => m.sharpe, text: ratio, better: 'higher' },
  { label: 'Sortino', value: (m) => m.sortino, text: ratio, better: 'higher' },
  { label: 'Max drawdown', value: (m) => m.max_drawdown_pct, text: (v) => (v === null ? '—' : formatPct(-Math.abs(v))), better: 'lower' },
  { label: 'Win rate', value: (m) => m.win_rate_pct, text: (v) => (v === null ? '—' : fmt.unsignedPct(v)), better: 'higher' },
  { label: 'Profit factor', value: (m) => m.profit_factor, text: ratio, better: 'higher' },
  { label: 'Trades', value: (m) => m.trade_count, text: (v) => (v === null ? '—' : fmt.count(v)) },
];

function Comparison({ runs }: { runs: { data: ComparedRun; label: string; color: string }[] }) {
  const { dates, series } = useMemo(() => alignCurves(runs.map((r) => r.data)), [runs]);
  const lines = useMemo(() => runs.map((r) => ({ label: r.label, color: r.color })), [runs]);
  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Metrics</CardTitle>
        </CardHeader>
        <CardContent>
          <Table aria-label="Metrics of the compared runs" data-testid="compare-metrics">
            <THead>
              <TR>
                <TH>Metric</TH>
                {runs.map((r) => (
                  <TH key={r.data.run.id} className="text-right" data-run-id={r.data.run.id}>
                    <span className="inline-flex items-center gap-1.5">
                      <span aria-hidden className="size-2 rounded-full" style={{ background: r.color }} />
                      {r.label}
                    </span>
                  </TH>
                ))}
              </TR>
            </THead>
            <TBody>
              <TR>
                <TD className="font-medium">Period</TD>
                {runs.map((r) => (
                  <TD key={r.data.run.id} label={r.label} className="text-right text-muted-foreground">
                    {formatDateRange(r.data.run.start_date, r.data.run.end_date)}
                  </TD>
                ))}
              </TR>
              <TR>
                <TD className="font-medium">Status</TD>
                {runs.map((r) => (
                  <TD key={r.data.run.id} label={r.label} className="text-right">
                    <RunStatusBadge status={r.data.run.status} />
                  </TD>
                ))}
              </TR>
              {METRIC_ROWS.map((row) => {
                const values = runs.map((r) => (r.data.metrics ? row.value(r.data.metrics) : null));
                const best = row.better ? bestIndex(values, row.better) : null;
                return (
                  <TR key={row.label} data-testid="compare-metric-row" data-metric={row.label}>
                    <TD className="font-medium">{row.label}</TD>
                    {values.map((v, i) => (
                      <TD
                        key={runs[i]!.data.run.id}
                        label={runs[i]!.label}
                        className={`text-right ${row.tone && v !== null ? pnlClass(v) : ''} ${best === i ? 'font-semibold' : ''}`}
                        data-value={v ?? ''}
                      >
                        {row.text(v)}
                        {best === i && <span className="sr-only"> (best)</span>}
                      </TD>
                    ))}
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Equity, normalised to 100</CardTitle>
        </CardHeader>
        <CardContent>
          <CompareChart dates={dates} series={series} lines={lines} />
        </CardContent>
      </Card>
    </>
  );
}

/** Picks one more run: a model, then one of its runs not already picked. */
function AddRun({ picked, onAdd, defaultModel }: { picked: RunRef[]; onAdd: (ref: RunRef) => void; defaultModel: number | null }) {
  const id = useId();
  const models = useModels();
  const [modelChoice, setModelChoice] = useState<number | null>(null);
  const modelId = modelChoice ?? defaultModel;
  const runs = useQuery({ ...runsQuery(modelId ?? 0), enabled: modelId !== null });
  const available = (modelId === null ? [] : (runs.data ?? [])).filter((r) => !picked.some((p) => p.modelId === modelId && p.runNumber === r.run_number));
  const [runChoice, setRunChoice] = useState<number | null>(null);
  const runNumber = runChoice !== null && available.some((r) => r.run_number === runChoice) ? runChoice : (available[0]?.run_number ?? null);
  const select = 'h-9 w-full min-w-0 rounded-md border border-border bg-background px-2 text-sm text-foreground sm:w-auto sm:max-w-72';
  if (models.error) return <ErrorState error={models.error} />;
  if (models.data?.length === 0) return <p className="text-sm text-subtle">No models yet: create one and run it first.</p>;
  return (
    <form
      className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-end"
      data-testid="compare-add"
      onSubmit={(e) => {
        e.preventDefault();
        if (modelId !== null && runNumber !== null) onAdd({ modelId, runNumber });
        setRunChoice(null);
      }}
    >
      <div className="grid min-w-0 gap-1 text-sm">
        <label htmlFor={`${id}-model`} className="text-muted-foreground">
          Model
        </label>
        <select id={`${id}-model`} className={select} value={modelId ?? ''} onChange={(e) => setModelChoice(Number(e.target.value))} data-testid="compare-add-model">
          {modelId === null && <option value="">Loading…</option>}
          {models.data?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <div className="grid min-w-0 gap-1 text-sm">
        <label htmlFor={`${id}-run`} className="text-muted-foreground">
          Run
        </label>
        <select
          id={`${id}-run`}
          className={select}
          value={runNumber ?? ''}
          onChange={(e) => setRunChoice(Number(e.target.value))}
          disabled={available.length === 0}
          data-testid="compare-add-run"
        >
          {available.length === 0 && <option value="">{runs.isPending && modelId !== null ? 'Loading…' : 'No other runs'}</option>}
          {available.map((r) => (
            <option key={r.id} value={r.run_number}>
              Run #{r.run_number} · {formatDateRange(r.start_date, r.end_date)}
              {r.metrics ? ` · ${formatPct(r.metrics.total_return_pct)}` : ''}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="outline" disabled={runNumber === null} data-testid="compare-add-button">
        <Plus />
        Add to comparison
      </Button>
    </form>
  );
}
