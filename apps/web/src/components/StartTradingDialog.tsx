import { useState, type FormEvent } from 'react';
import { Play } from 'lucide-react';
import { StartBody } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { useDatasets } from '../api/market';
import { useStartTrading } from '../api/trading';
import { datasetLabel } from '../lib/datasets';
import { formatDateRange } from '../lib/format';
import { fieldErrors, serverFieldErrors, type FieldErrors } from '../lib/zod-errors';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from './ui/dialog';
import { Field } from './ui/field';
import { Input } from './ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from './ui/select';

const START_FIELDS = new Set(['start_date', 'end_date', 'pace_ms', 'dataset', 'timeframe']);

/** Radix select that takes the id and aria props a Field hands its control. */
function DatasetPicker({ value, onChange, ...aria }: { value: string; onChange: (d: string) => void } & Record<string, unknown>) {
  const datasets = useDatasets();
  const known = datasets.data?.some((d) => d.name === value) ?? false;
  return (
    <Select value={value} onValueChange={onChange}>
      <SelectTrigger {...aria} data-testid="start-dataset">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {!known && <SelectItem value={value}>{value}</SelectItem>}
        {datasets.data?.map((d) => (
          <SelectItem key={d.name} value={d.name} data-testid={`start-dataset-${d.name}`}>
            {datasetLabel(d)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/**
 * Start with a chosen data set, date range and pace; blank fields take the server's defaults. The
 * chosen data set's span is shown (and bounds the date pickers) before anything is sent.
 */
export function StartTradingDialog({
  modelId,
  modelDataset,
  open,
  onOpenChange,
}: {
  modelId: number;
  /** The model's own data set: the default choice. */
  modelDataset: string;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const start = useStartTrading();
  const datasets = useDatasets();
  const [dataset, setDataset] = useState(modelDataset);
  const [bars, setBars] = useState<'1d' | '1m' | '5m' | '15m' | '1h'>('1d');
  const [errors, setErrors] = useState<FieldErrors>({});
  const chosen = datasets.data?.find((d) => d.name === dataset);
  const span = chosen?.first && chosen.last ? { first: chosen.first, last: chosen.last } : null;
  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const form = new FormData(ev.currentTarget);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const pace = text('pace_ms');
    const parsed = StartBody.safeParse({
      ...(text('start_date') ? { start_date: text('start_date') } : {}),
      ...(text('end_date') ? { end_date: text('end_date') } : {}),
      ...(pace ? { pace_ms: Number(pace) } : {}),
      ...(dataset !== modelDataset ? { dataset } : {}),
      ...(bars !== '1d' ? { timeframe: bars } : {}),
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
        <DialogDescription>Replays market history day by day. Leave the dates blank for the data set’s last year at 200 ms a day.</DialogDescription>
        <form className="grid grid-cols-1 gap-4" onSubmit={submit} noValidate data-testid="start-form">
          {start.error && Object.keys(errors).length === 0 && (
            <p role="alert" className="text-sm text-loss" data-testid="form-error">
              {errorMessage(start.error)}
            </p>
          )}
          <Field
            label="Market data set"
            name="dataset"
            error={errors.dataset}
            hint={
              <span data-testid="start-dataset-span">
                {span ? `Has bars from ${formatDateRange(span.first, span.last)}.` : chosen ? 'Holds no bars yet.' : 'Loading its dates…'}
              </span>
            }
          >
            <DatasetPicker value={dataset} onChange={setDataset} />
          </Field>
          <Field label="Bars" name="timeframe" error={errors.timeframe} hint="Intraday bars replay what the data set holds at that resolution (or finer, resampled).">
            <select
              value={bars}
              onChange={(e) => setBars(e.target.value as typeof bars)}
              className="h-11 w-full rounded-md border border-border bg-transparent px-3 text-sm"
              data-testid="start-timeframe"
            >
              <option value="1d">Daily</option>
              <option value="1h">Hourly</option>
              <option value="15m">15 minutes</option>
              <option value="5m">5 minutes</option>
              <option value="1m">1 minute</option>
            </select>
          </Field>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field label="From" name="start_date" error={errors.start_date}>
              <Input type="date" min={span?.first} max={span?.last} />
            </Field>
            <Field label="To" name="end_date" error={errors.end_date}>
              <Input type="date" min={span?.first} max={span?.last} />
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
