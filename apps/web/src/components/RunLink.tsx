import { Link } from 'react-router';
import { useRunNumber } from '../api/runs';
import { cn } from '../lib/utils';

/** "Run #N", linking to that run's page, for places that know the run only by id. */
export function RunLink({ modelId, runId, className }: { modelId: number; runId: number; className?: string }) {
  const number = useRunNumber(modelId, runId);
  if (number === null) return null;
  return (
    <Link to={`/models/${modelId}/runs/${number}`} className={cn('tap inline-flex items-center underline underline-offset-4', className)} data-testid="run-link">
      Run #{number}
    </Link>
  );
}
