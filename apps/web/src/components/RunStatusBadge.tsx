import type { Run } from '@tradewire/contract';
import { Badge, LiveBadge } from './ui/badge';

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
