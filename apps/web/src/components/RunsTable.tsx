import { Trash2 } from 'lucide-react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import type { Run } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { useDeleteRun } from '../api/runs';
import { fmt, formatDateRange, formatDateTime, formatPct, pnlClass } from '../lib/format';
import { Badge, LiveBadge } from './ui/badge';
import { Button } from './ui/button';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

const STATUS_LABEL: Record<Run['status'], string> = {
  running: 'Running',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export function RunStatusBadge({ status }: { status: Run['status'] }) {
  if (status === 'running') return <LiveBadge />;
  const variant = status === 'completed' ? 'success' : status === 'failed' ? 'danger' : status === 'interrupted' ? 'warn' : 'default';
  return <Badge variant={variant}>{STATUS_LABEL[status]}</Badge>;
}

export function RunsTable({ modelId, runs }: { modelId: number; runs: Run[] }) {
  const del = useDeleteRun(modelId);
  if (runs.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="runs-empty">No runs yet.</p>;
  return (
    <Table data-testid="runs-table" aria-label="Runs">
      <THead>
        <TR>
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
            <TD label="Run">
              <Link to={`/models/${modelId}/runs/${r.run_number}`} className="tap inline-flex items-center font-medium text-blue-400 underline-offset-4 hover:underline">
                Run #{r.run_number}
              </Link>
            </TD>
            <TD label="Status">
              <RunStatusBadge status={r.status} />
            </TD>
            <TD label="Period" className="text-muted-foreground">
              {formatDateRange(r.start_date, r.end_date)}
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
  );
}
