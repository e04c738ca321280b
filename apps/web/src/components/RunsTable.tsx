import { Trash2 } from 'lucide-react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import type { Run } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { useDeleteRun } from '../api/runs';
import { formatDateTime, formatPct, pnlClass } from '../lib/format';
import { Badge, LiveBadge } from './ui/badge';
import { Button } from './ui/button';
import { Table, TBody, TD, TH, THead, TR } from './ui/table';

export function RunStatusBadge({ status }: { status: Run['status'] }) {
  if (status === 'running') return <LiveBadge />;
  const variant = status === 'completed' ? 'info' : status === 'failed' ? 'danger' : status === 'interrupted' ? 'warn' : 'default';
  return <Badge variant={variant}>{status}</Badge>;
}

export function RunsTable({ modelId, runs }: { modelId: number; runs: Run[] }) {
  const del = useDeleteRun(modelId);
  if (runs.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="runs-empty">No runs yet.</p>;
  return (
    <Table data-testid="runs-table">
      <THead>
        <TR>
          <TH>Run</TH>
          <TH>Status</TH>
          <TH>Period</TH>
          <TH>Started</TH>
          <TH className="text-right">Return</TH>
          <TH className="text-right">Trades</TH>
          <TH />
        </TR>
      </THead>
      <TBody>
        {runs.map((r) => (
          <TR key={r.id} data-testid={`run-row-${r.id}`}>
            <TD>
              <Link to={`/models/${modelId}/runs/${r.id}`} className="font-medium text-info hover:underline">
                #{r.run_number}
              </Link>
            </TD>
            <TD>
              <RunStatusBadge status={r.status} />
            </TD>
            <TD className="text-muted-foreground">
              {r.start_date} → {r.end_date}
            </TD>
            <TD className="text-muted-foreground">{formatDateTime(r.started_at)}</TD>
            <TD className={`text-right ${r.metrics ? pnlClass(r.metrics.total_return_pct) : ''}`}>
              {r.metrics ? formatPct(r.metrics.total_return_pct) : '—'}
            </TD>
            <TD className="text-right">{r.metrics?.trade_count ?? '—'}</TD>
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
