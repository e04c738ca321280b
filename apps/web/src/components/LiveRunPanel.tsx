import { CircleAlert, Radio } from 'lucide-react';
import { useLiveStatus } from '../api/trading';
import { fmt } from '../lib/format';
import { LiveCandles } from './LiveCandles';
import { TIMEFRAME_LABEL } from './StartLiveDialog';
import { Card, CardContent } from './ui/card';

/**
 * A live run's schedule on its model's page: which bars it trades, from where, and when it
 * decides next (`next decision at 15:31 ET`, `market closed until Mon 09:30 ET`), or why bars
 * are late.
 */
export function LiveRunPanel({ modelId, symbols }: { modelId: number; symbols: readonly string[] }) {
  const status = useLiveStatus(modelId, true);
  const live = status.data?.live;
  const run = status.data?.run;
  if (!live || !run) return null;
  const healthy = live.healthy;
  return (
    <Card data-testid="live-panel" data-healthy={healthy}>
      <CardContent className="flex flex-wrap items-center gap-x-6 gap-y-2 py-3 text-sm">
        <span className="flex items-center gap-2 font-medium">
          <Radio className="size-4 text-profit" aria-hidden />
          Live paper trading · {TIMEFRAME_LABEL[run.timeframe ?? '1d']}
        </span>
        <span className={healthy ? 'text-foreground' : 'text-warn'} data-testid="live-next-decision" role="status">
          {!healthy && <CircleAlert className="mr-1 inline size-4" aria-hidden />}
          {capitalise(live.message)}
        </span>
        <span className="text-xs text-subtle">
          Bars from {live.source} · {live.broker === 'builtin' ? 'built-in paper broker' : `${live.broker} paper account`}
          {status.data?.progress && <> · {fmt.count(status.data.progress.step)} bars traded</>}
        </span>
      </CardContent>
      <CardContent className="pt-0">
        <LiveCandles modelId={modelId} runId={run.id} symbols={symbols} />
      </CardContent>
    </Card>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
