import { useState, type FormEvent } from 'react';
import { Play } from 'lucide-react';
import { StartBody } from '@tradewire/contract';
import { useStartTrading } from '../api/trading';
import { fieldErrors, serverFieldErrors, type FieldErrors } from '../lib/zod-errors';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from './ui/dialog';
import { Field } from './ui/field';
import { Input } from './ui/input';

const START_FIELDS = new Set(['start_date', 'end_date', 'pace_ms']);

/** Start with a chosen date range and pace; blank fields take the server's defaults. */
export function StartTradingDialog({ modelId, open, onOpenChange }: { modelId: number; open: boolean; onOpenChange: (o: boolean) => void }) {
  const start = useStartTrading();
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const form = new FormData(ev.currentTarget);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const pace = text('pace_ms');
    const parsed = StartBody.safeParse({
      ...(text('start_date') ? { start_date: text('start_date') } : {}),
      ...(text('end_date') ? { end_date: text('end_date') } : {}),
      ...(pace ? { pace_ms: Number(pace) } : {}),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    start.mutate(
      { modelId, body: parsed.data },
      {
        onSuccess: () => onOpenChange(false),
        onError: (e) => setErrors(serverFieldErrors(e, (p) => (START_FIELDS.has(p) ? p : null))),
      },
    );
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogTitle>Start a run</DialogTitle>
        <DialogDescription>Replays market history day by day. Leave blank for the last year at 200 ms a day.</DialogDescription>
        <form className="grid grid-cols-1 gap-4" onSubmit={submit} noValidate data-testid="start-form">
          {start.error && Object.keys(errors).length === 0 && (
            <p role="alert" className="text-sm text-loss" data-testid="form-error">
              {start.error.message}
            </p>
          )}
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field label="From" name="start_date" error={errors.start_date}>
              <Input type="date" />
            </Field>
            <Field label="To" name="end_date" error={errors.end_date}>
              <Input type="date" />
            </Field>
          </div>
          <Field label="Pace (ms per trading day)" name="pace_ms" error={errors.pace_ms} hint="0 runs as fast as possible.">
            <Input type="number" inputMode="numeric" min={0} max={60000} placeholder="200" />
          </Field>
          <Button type="submit" variant="success" disabled={start.isPending}>
            <Play />
            {start.isPending ? 'Starting…' : 'Start'}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
