import { useState, type FormEvent } from 'react';
import { Radio } from 'lucide-react';
import type { Timeframe } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { useStartTrading } from '../api/trading';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from './ui/dialog';
import { Field } from './ui/field';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from './ui/select';

export const TIMEFRAME_LABEL: Record<Timeframe, string> = {
  '1m': '1-minute bars',
  '5m': '5-minute bars',
  '15m': '15-minute bars',
  '1h': 'Hourly bars',
  '1d': 'Daily bars (decides after the close)',
};

/** Radix select that takes the id and aria props a Field hands its control. */
function TimeframePicker({ value, onChange, ...aria }: { value: Timeframe; onChange: (t: Timeframe) => void } & Record<string, unknown>) {
  return (
    <Select value={value} onValueChange={(v) => onChange(v as Timeframe)}>
      <SelectTrigger {...aria} data-testid="live-timeframe">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {(Object.keys(TIMEFRAME_LABEL) as Timeframe[]).map((t) => (
          <SelectItem key={t} value={t} data-testid={`live-timeframe-${t}`}>
            {TIMEFRAME_LABEL[t]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/**
 * Starts forward paper trading: the model decides on the market as it unfolds, at the end of
 * each bar, with the built-in paper broker, until stopped.
 */
export function StartLiveDialog({ modelId, open, onOpenChange }: { modelId: number; open: boolean; onOpenChange: (o: boolean) => void }) {
  const start = useStartTrading();
  const [timeframe, setTimeframe] = useState<Timeframe>('5m');
  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    start.mutate({ modelId, body: { mode: 'live', timeframe } }, { onSuccess: () => onOpenChange(false) });
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogTitle>Start live paper trading</DialogTitle>
        <DialogDescription>
          Trades the model’s symbols on today’s market as it happens, with paper money: at the end of each bar it decides, and its orders fill at
          the next bar’s open. It follows the exchange’s hours and keeps going until you stop it, across restarts.
        </DialogDescription>
        <form className="grid grid-cols-1 gap-4" onSubmit={submit} noValidate data-testid="live-form">
          {start.error && (
            <p role="alert" className="text-sm text-loss" data-testid="form-error">
              {errorMessage(start.error)}
            </p>
          )}
          <Field label="Bars" name="timeframe">
            <TimeframePicker value={timeframe} onChange={setTimeframe} />
          </Field>
          <Button type="submit" variant="success" disabled={start.isPending} data-testid="live-submit">
            <Radio />
            {start.isPending ? 'Starting…' : 'Start live'}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
