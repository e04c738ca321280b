import { Play, Square } from 'lucide-react';
import { toast } from 'sonner';
import { useStartTrading, useStopTrading } from '../api/trading';
import { errorMessage } from '../api/client';
import { Button } from './ui/button';

/**
 * Start with the server's defaults, or Stop; the stream then tells everyone what happened. One
 * button that flips its label, never disabled (a disabled button drops focus to <body>): while a
 * request is on its way it is aria-disabled and ignores presses, so keyboard focus stays on it.
 */
export function TradingControls({ modelId, running, size = 'sm' }: { modelId: number; running: boolean; size?: 'sm' | 'default' }) {
  const start = useStartTrading();
  const stop = useStopTrading();
  const busy = start.isPending || stop.isPending;
  return (
    <Button
      size={size}
      variant={running ? 'outline' : 'success'}
      className={running ? 'border-loss/40 text-loss hover:bg-loss/10' : undefined}
      aria-disabled={busy || undefined}
      data-testid={running ? `stop-${modelId}` : `start-${modelId}`}
      onClick={(e) => {
        e.preventDefault();
        if (busy) return;
        if (running) stop.mutate(modelId, { onError: (err) => toast.error('Could not stop trading', { description: errorMessage(err) }) });
        else start.mutate({ modelId }, { onError: (err) => toast.error('Could not start trading', { description: errorMessage(err) }) });
      }}
    >
      {running ? <Square /> : <Play />}
      {running ? 'Stop' : 'Start'}
    </Button>
  );
}
