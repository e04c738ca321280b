import { Play, Square } from 'lucide-react';
import { toast } from 'sonner';
import { useStartTrading, useStopTrading } from '../api/trading';
import { errorMessage } from '../api/client';
import { Button } from './ui/button';

/** Start with the server's defaults, or Stop; the stream then tells everyone what happened. */
export function TradingControls({ modelId, running, size = 'sm' }: { modelId: number; running: boolean; size?: 'sm' | 'default' }) {
  const start = useStartTrading();
  const stop = useStopTrading();
  const busy = start.isPending || stop.isPending;
  if (running) {
    return (
      <Button
        size={size}
        variant="outline"
        className="border-loss/40 text-loss hover:bg-loss/10"
        disabled={busy}
        data-testid={`stop-${modelId}`}
        onClick={(e) => {
          e.preventDefault();
          stop.mutate(modelId, { onError: (err) => toast.error('Could not stop trading', { description: errorMessage(err) }) });
        }}
      >
        <Square />
        Stop
      </Button>
    );
  }
  return (
    <Button
      size={size}
      variant="success"
      disabled={busy}
      data-testid={`start-${modelId}`}
      onClick={(e) => {
        e.preventDefault();
        start.mutate({ modelId }, { onError: (err) => toast.error('Could not start trading', { description: errorMessage(err) }) });
      }}
    >
      <Play />
      Start
    </Button>
  );
}
