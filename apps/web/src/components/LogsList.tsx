import { memo } from 'react';
import type { LogEntry } from '@tradewire/contract';
import { formatDateTime } from '../lib/format';
import { cn } from '../lib/utils';

const LEVEL_TONE: Record<LogEntry['level'], string> = { info: 'text-info', warn: 'text-warn', error: 'text-loss' };

export const LogsList = memo(function LogsList({ logs }: { logs: LogEntry[] }) {
  if (logs.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="logs-empty">No logs yet.</p>;
  return (
    <ol className="grid grid-cols-1 gap-1 font-mono text-xs" data-testid="logs-list">
      {logs.map((l) => (
        <li key={l.id} className="grid min-w-0 grid-cols-[auto_auto_1fr] gap-x-3 rounded px-2 py-1 hover:bg-muted/60">
          <time className="text-subtle">{formatDateTime(l.created_at)}</time>
          <span className={cn('uppercase', LEVEL_TONE[l.level])}>{l.level}</span>
          <span className="min-w-0 break-words whitespace-pre-wrap text-neutral-300">{l.message}</span>
        </li>
      ))}
    </ol>
  );
});
