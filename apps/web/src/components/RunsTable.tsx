import { useState } from 'react';
import { GitCompareArrows, Trash2 } from 'lucide-react';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import type { Run } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { useDeleteRun } from '../api/runs';
import { fmt, formatDate, formatDateRange, formatDateTime, formatPct, pnlClass } from '../lib/format';
import { compareHref, MAX_COMPARED } from '../pages/compare-runs';
import { RunStatusBadge } from './RunStatusBadge';
import { Button } from './ui/button';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

/** A model's runs, each with a box to tick for comparison: 2 to 4 ticked open them side by side. */
export function RunsTable({ modelId, runs }: { modelId: number; runs: Run[] }) {
  const del = useDeleteRun(modelId);
  const navigate = useNavigate();
  // Run numbers, in the order ticked; runs deleted since drop out.
  const [ticked, setTicked] = useState<number[]>([]);
  const picked = ticked.filter((n) => runs.some((r) => r.run_number === n));
  const toggle = (n: number, on: boolean) => setTicked(on ? [...picked, n] : picked.filter((x) => x !== n));
  if (runs.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="runs-empty">No runs yet.</p>;
  return (
    <div className="grid grid-cols-1 gap-2">
      {runs.length > 1 && (
        <div className="flex flex-wrap items-center justify-between gap-2 px-1 pt-1">
          <p className="text-xs text-muted-foreground" id={`runs-compare-hint-${modelId}`}>
            {picked.length === 0 ? 'Tick two to four runs to compare them.' : `${picked.length} of at most ${MAX_COMPARED} runs ticked.`}
          </p>
          <Button
            size="sm"
            variant="outline"
            disabled={picked.length < 2}
            onClick={() => navigate(compareHref(picked.map((runNumber) => ({ modelId, runNumber }))))}
            data-testid="compare-runs"
          >
            <GitCompareArrows />
            Compare{picked.length >= 2 ? ` ${picked.length} runs` : ''}
          </Button>
        </div>
      )}
    <Table data-testid="runs-table" aria-label="Runs">
      <THead>
        <TR>
          {runs.length > 1 && (
            <TH>
              <span className="sr-only">Compare</span>
            </TH>
          )}
          <TH>Run</TH>
          <TH>Status</TH>
          <TH>Period</TH>
          <TH>Started</TH>
          <TH className="text-right">Return</TH>
          <TH className="text-right">Trades</TH>
          <TH>
            <span className="sr-only">Delete</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {runs.map((r) => (
          <TR key={r.id} data-testid={`run-row-${r.id}`}>
            {runs.length > 1 && (
              <TD label="Compare">
                <label className="inline-flex items-center justify-center max-sm:min-h-11 max-sm:min-w-11">
                  <input
                    type="checkbox"
                    className="size-4 accent-blue-500"
                    checked={picked.includes(r.run_number)}
                    disabled={!picked.includes(r.run_number) && picked.length >= MAX_COMPARED}
                    onChange={(e) => toggle(r.run_number, e.target.checked)}
                    aria-describedby={`runs-compare-hint-${modelId}`}
                    data-testid={`compare-run-${r.run_number}`}
                  />
                  <span className="sr-only">Compare run #{r.run_number}</span>
                </label>
              </TD>
            )}
            <TD label="Run">
              <Link to={`/models/${modelId}/runs/${r.run_number}`} className="tap inline-flex items-center font-medium text-blue-400 underline-offset-4 hover:underline">
                Run #{r.run_number}
              </Link>
            </TD>
            <TD label="Status">
              <RunStatusBadge status={r.status} />
            </TD>
            <TD label="Period" className="text-muted-foreground">
              {r.mode === 'live' ? (
                <span data-testid={`run-mode-${r.run_number}`} data-mode="live">
                  Live · {r.timeframe ?? '1d'} bars from {formatDate(r.start_date)}
                </span>
              ) : (
                formatDateRange(r.start_date, r.end_date)
              )}
            </TD>
            <TD label="Started" className="text-muted-foreground">
              {formatDateTime(r.started_at)}
            </TD>
            <TD label="Return" className={`text-right ${r.metrics ? pnlClass(r.metrics.total_return_pct) : ''}`}>
              {r.metrics ? formatPct(r.metrics.total_return_pct) : '—'}
            </TD>
            <TD label="Trades" className="text-right">
              {r.metrics ? fmt.count(r.metrics.trade_count) : '—'}
            </TD>
            <TD className="text-right">
              <Button
                size="icon"
                variant="ghost"
                className="size-7 text-subtle hover:text-loss"
                aria-label={`Delete run ${r.run_number}`}
                disabled={r.status === 'running' || del.isPending}
                onClick={() => {
                  if (!window.confirm(`Delete run #${r.run_number} and its trades?`)) return;
                  del.mutate(r.id, { onError: (e) => toast.error('Could not delete the run', { description: errorMessage(e) }) });
                }}
              >
                <Trash2 />
              </Button>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
    </div>
  );
}
