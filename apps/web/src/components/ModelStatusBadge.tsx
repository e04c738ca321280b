import type { LastRun, Model, RunStatus } from '@tradewire/contract';
import type { ModelLive } from '../stream/live-state';
import { RunStatusBadge } from './RunStatusBadge';
import { Badge } from './ui/badge';

export interface ModelOutcome {
  status: RunStatus;
  /** Why the run failed, or what interrupted it. */
  detail: string | null;
}

/**
 * The latest word on a model: running, or how its latest run ended — from the stream when it
 * knows that run (a run that ended while the page was open), else from the model as loaded.
 */
export function modelOutcome(model: Pick<Model, 'status' | 'last_run'>, live: ModelLive | undefined): ModelOutcome | null {
  if ((live?.status ?? model.status) === 'running') return { status: 'running', detail: null };
  const rest: LastRun | null = model.last_run;
  const streamed = live?.run;
  if (streamed && streamed.status !== 'running' && (!rest || streamed.id >= rest.id)) {
    return { status: streamed.status, detail: detailOf(streamed.status, streamed.error ?? live?.lastError ?? null) };
  }
  if (!rest || rest.status === 'running') return null;
  return { status: rest.status, detail: detailOf(rest.status, rest.error) };
}

const detailOf = (status: RunStatus, error: string | null) =>
  status === 'failed' ? (error ?? 'no reason recorded') : status === 'interrupted' ? 'the server stopped during the run' : null;

/** Live, or the latest run's outcome in its colour (failed red, interrupted amber), or Idle. */
export function ModelStatusBadge({ outcome }: { outcome: ModelOutcome | null }) {
  if (!outcome) return <Badge data-testid="status-badge">Idle</Badge>;
  return (
    <span data-testid="status-badge" data-outcome={outcome.status} title={outcome.detail ?? undefined} className="inline-flex">
      <RunStatusBadge status={outcome.status} />
    </span>
  );
}
