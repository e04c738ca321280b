import { Fragment, useState, type FormEvent } from 'react';
import { ChevronDown, ChevronRight, Download, Upload } from 'lucide-react';
import { FetchBody, type Dataset, type FetchJob, type ImportResult, type MarketProvider } from '@tradewire/contract';
import { useSession } from '../api/auth-store';
import { errorMessage } from '../api/client';
import { useDatasets, useFetchJob, useImportFile, useStartFetch, useSymbols } from '../api/market';
import { AdminsOnly } from '../components/AdminsOnly';
import { ErrorState, PageHeader } from '../components/states';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Field } from '../components/ui/field';
import { Input } from '../components/ui/input';
import { Skeleton } from '../components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '../components/ui/table';
import { fmt, formatDateRange } from '../lib/format';
import { fieldErrors, serverFieldErrors, type FieldErrors } from '../lib/zod-errors';

const PROVIDERS: { id: MarketProvider; label: string }[] = [
  { id: 'yahoo', label: 'Yahoo Finance' },
  { id: 'alpaca', label: 'Alpaca' },
  { id: 'alphavantage', label: 'Alpha Vantage' },
];

const SOURCE_LABELS: Record<Dataset['source'], string> = { simulated: 'Simulated', import: 'Imported files', provider: 'Provider' };

const span = (first: string | null, last: string | null) => (first && last ? formatDateRange(first, last) : '—');

/** The admin's market data: what each data set holds, downloads from a provider, and file imports. */
export function MarketDataPage() {
  const session = useSession();
  if (session?.user.role !== 'admin') return <AdminsOnly />;
  return (
    <div className="mx-auto grid max-w-5xl grid-cols-1 gap-6" data-testid="market-data-page">
      <PageHeader title="Market data" subtitle="The data sets models trade on: download daily bars from a provider or import files." />
      <DatasetsCard />
      <FetchCard />
      <ImportCard />
    </div>
  );
}

function DatasetsCard() {
  const datasets = useDatasets();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Data sets</CardTitle>
      </CardHeader>
      <CardContent>
        {datasets.error && <ErrorState error={datasets.error} title="Could not load the data sets" />}
        {!datasets.data && !datasets.error && <Skeleton className="h-24" />}
        {datasets.data && (
          <Table data-testid="datasets-table" aria-label="Data sets">
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Source</TH>
                <TH>Adjusted</TH>
                <TH>Span</TH>
                <TH>Symbols</TH>
              </TR>
            </THead>
            <TBody>
              {datasets.data.map((d) => (
                <Fragment key={d.name}>
                  <TR data-testid={`dataset-row-${d.name}`}>
                    <TD label="Name" className="font-medium">
                      {d.name}
                    </TD>
                    <TD label="Source">
                      {SOURCE_LABELS[d.source]}
                      {d.provider && <span className="text-muted-foreground"> · {PROVIDERS.find((p) => p.id === d.provider)?.label ?? d.provider}</span>}
                    </TD>
                    <TD label="Adjusted">{d.adjusted ? <Badge variant="info">Adjusted</Badge> : <span className="text-muted-foreground">No</span>}</TD>
                    <TD label="Span" data-testid="dataset-span">
                      {span(d.first, d.last)}
                    </TD>
                    <TD label="Symbols">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-expanded={open === d.name}
                        onClick={() => setOpen((o) => (o === d.name ? null : d.name))}
                        data-testid={`dataset-symbols-${d.name}`}
                      >
                        {open === d.name ? <ChevronDown /> : <ChevronRight />}
                        {fmt.count(d.symbols)} symbol{d.symbols === 1 ? '' : 's'}
                      </Button>
                    </TD>
                  </TR>
                  {open === d.name && (
                    <TR>
                      <TD colSpan={5} className="whitespace-normal">
                        <SymbolList dataset={d.name} />
                      </TD>
                    </TR>
                  )}
                </Fragment>
              ))}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function SymbolList({ dataset }: { dataset: string }) {
  const symbols = useSymbols(dataset);
  if (symbols.error) return <ErrorState error={symbols.error} title="Could not load the symbols" />;
  if (!symbols.data) return <Skeleton className="h-8" />;
  return (
    <ul className="flex flex-wrap gap-1.5 text-left" aria-label={`Symbols of ${dataset}`} data-testid="dataset-symbol-list">
      {symbols.data.map((s) => (
        <li key={s.symbol} className="rounded-full border border-border px-2.5 py-1 text-xs" title={`${s.name} · ${s.sector}`}>
          {s.symbol}
        </li>
      ))}
    </ul>
  );
}

const FETCH_FIELDS = new Set(['provider', 'symbols', 'from', 'to', 'dataset']);

function FetchCard() {
  const start = useStartFetch();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useFetchJob(jobId);
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const form = new FormData(ev.currentTarget);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const parsed = FetchBody.safeParse({
      provider: text('provider'),
      symbols: text('symbols')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((s) => s.toUpperCase()),
      ...(text('from') ? { from: text('from') } : {}),
      ...(text('to') ? { to: text('to') } : {}),
      ...(text('dataset') ? { dataset: text('dataset') } : {}),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error, (p) => p.split('.')[0]!));
    setErrors({});
    start.mutate(parsed.data, {
      onSuccess: (j) => setJobId(j.job_id),
      onError: (e) => setErrors(serverFieldErrors(e, (p) => (FETCH_FIELDS.has(p.split('.')[0]!) ? p.split('.')[0]! : null))),
    });
  };
  const shownJob = job.data ?? (start.data?.job_id === jobId ? start.data : undefined);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Fetch from a provider</CardTitle>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-4">
        <form className="grid grid-cols-1 gap-4 sm:grid-cols-2" onSubmit={submit} noValidate data-testid="fetch-form">
          {start.error && Object.keys(errors).length === 0 && (
            <p role="alert" className="text-sm text-loss sm:col-span-2" data-testid="fetch-error">
              {errorMessage(start.error)}
            </p>
          )}
          <Field label="Provider" name="provider" error={errors.provider}>
            <select className="h-9 w-full rounded-md border border-input bg-background px-3 text-sm" defaultValue="yahoo" data-testid="fetch-provider">
              {PROVIDERS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Symbols" name="symbols" error={errors.symbols} hint="Tickers separated by spaces or commas, e.g. AAPL MSFT.">
            <Input autoComplete="off" data-testid="fetch-symbols" />
          </Field>
          <Field label="From" name="from" error={errors.from} hint="Blank: as far back as the provider goes.">
            <Input type="date" data-testid="fetch-from" />
          </Field>
          <Field label="To" name="to" error={errors.to} hint="Blank: the latest trading day.">
            <Input type="date" data-testid="fetch-to" />
          </Field>
          <Field label="Data set" name="dataset" error={errors.dataset} hint="Blank: named after the provider.">
            <Input autoComplete="off" data-testid="fetch-dataset" />
          </Field>
          <div className="flex items-end">
            <Button type="submit" variant="primary" disabled={start.isPending || (shownJob !== undefined && shownJob.finished_at === null)} data-testid="fetch-submit">
              <Download />
              Fetch
            </Button>
          </div>
        </form>
        {job.error && <ErrorState error={job.error} title="Could not follow the fetch" />}
        {shownJob && <FetchProgress job={shownJob} />}
      </CardContent>
    </Card>
  );
}

const RESULT_BADGE = { updated: 'live', up_to_date: 'default', failed: 'danger' } as const;
const RESULT_LABEL = { updated: 'Updated', up_to_date: 'Up to date', failed: 'Failed' } as const;

function FetchProgress({ job }: { job: FetchJob }) {
  const pct = job.progress.total === 0 ? 100 : Math.round((job.progress.done / job.progress.total) * 100);
  return (
    <div className="grid grid-cols-1 gap-3" data-testid="fetch-job" data-status={job.status}>
      <div className="grid grid-cols-1 gap-1">
        <div className="flex justify-between gap-2 text-sm">
          <span>
            {job.status === 'completed' ? 'Done' : job.status === 'failed' ? 'Failed' : 'Fetching'} into <span className="font-medium">{job.dataset}</span>
          </span>
          <span className="text-muted-foreground tabular" data-testid="fetch-progress-text">
            {fmt.count(job.progress.done)} of {fmt.count(job.progress.total)} symbols · {pct}%
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Fetch progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          className="h-2 overflow-hidden rounded-full bg-muted"
          data-testid="fetch-progress"
        >
          <div className="h-full bg-info transition-[width]" style={{ width: `${pct}%` }} />
        </div>
      </div>
      {job.errors.map((e) => (
        <p key={e} role="alert" className="text-sm text-loss">
          {e}
        </p>
      ))}
      {job.results.length > 0 && (
        <Table data-testid="fetch-results" aria-label="Fetch results">
          <THead>
            <TR>
              <TH>Symbol</TH>
              <TH>Result</TH>
              <TH className="text-right">New bars</TH>
              <TH>Span</TH>
              <TH>Note</TH>
            </TR>
          </THead>
          <TBody>
            {job.results.map((r) => (
              <TR key={r.symbol} data-testid={`fetch-result-${r.symbol}`} data-status={r.status}>
                <TD label="Symbol" className="font-medium">
                  {r.symbol}
                </TD>
                <TD label="Result">
                  <Badge variant={RESULT_BADGE[r.status]}>{RESULT_LABEL[r.status]}</Badge>
                </TD>
                <TD label="New bars" className="text-right">
                  {fmt.count(r.bars)}
                </TD>
                <TD label="Span">{span(r.first, r.last)}</TD>
                <TD label="Note" className="max-w-72 whitespace-normal text-muted-foreground">
                  {r.error ?? r.note ?? ''}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}

/** What to do when a file's prices jump like a split: refuse it (the server's default), back-adjust, or keep them. */
const SPLIT_CHOICES = ['refuse', 'adjust', 'keep'] as const;

type FileOutcome = { name: string } & ({ ok: true; result: ImportResult } | { ok: false; message: string });

function ImportCard() {
  const importFile = useImportFile();
  const [files, setFiles] = useState<File[]>([]);
  const [dataset, setDataset] = useState('');
  const [splits, setSplits] = useState<(typeof SPLIT_CHOICES)[number]>('refuse');
  const [outcomes, setOutcomes] = useState<FileOutcome[]>([]);
  const [busy, setBusy] = useState(false);
  // One request per file, one after another, so each file gets its own result or message.
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setOutcomes([]);
    for (const file of files) {
      try {
        const result = await importFile.mutateAsync({ file, dataset, adjustSplits: splits === 'refuse' ? undefined : splits === 'adjust' });
        setOutcomes((o) => [...o, { name: file.name, ok: true, result }]);
      } catch (e) {
        setOutcomes((o) => [...o, { name: file.name, ok: false, message: e instanceof Error ? e.message : errorMessage(e) }]);
      }
    }
    setBusy(false);
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Import files</CardTitle>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-4">
        <p className="text-sm text-muted-foreground">
          CSV files with a header row of date, open, high, low, close, volume (named after the symbol, like <code>AAPL.csv</code>, or with a symbol column), or
          Alpha Vantage daily JSON — the same files <code>npm run market:import</code> reads, checked the same way.
        </p>
        <form className="grid grid-cols-1 gap-4 sm:grid-cols-2" onSubmit={(e) => void submit(e)} data-testid="import-form">
          <Field label="Files" name="files">
            <Input
              type="file"
              accept=".csv,.json,text/csv,application/json"
              multiple
              className="h-auto file:mr-3 file:rounded file:border-0 file:bg-muted file:px-2 file:py-1 file:text-foreground"
              onChange={(e) => setFiles([...(e.target.files ?? [])])}
              data-testid="import-files"
            />
          </Field>
          <Field label="Data set" name="import_dataset" hint="Blank: import (laid over the simulated market).">
            <Input value={dataset} onChange={(e) => setDataset(e.target.value.trim())} autoComplete="off" data-testid="import-dataset" />
          </Field>
          <Field label="A split-sized jump in prices" name="adjust_splits" hint="As the command’s --adjust-splits / --no-adjust-splits.">
            <select
              className="h-9 w-full rounded-md border border-input bg-background px-3 text-sm"
              value={splits}
              onChange={(e) => setSplits(SPLIT_CHOICES.find((c) => c === e.target.value) ?? 'refuse')}
              data-testid="import-splits"
            >
              <option value="refuse">Refuse the file</option>
              <option value="adjust">Back-adjust the prices before it</option>
              <option value="keep">Keep prices as traded</option>
            </select>
          </Field>
          <div className="flex items-end">
            <Button type="submit" variant="primary" disabled={busy || files.length === 0} data-testid="import-submit">
              <Upload />
              {busy ? 'Importing…' : files.length > 1 ? `Import ${files.length} files` : 'Import'}
            </Button>
          </div>
        </form>
        {outcomes.length > 0 && (
          <ul className="grid grid-cols-1 gap-1 text-sm" aria-label="Import results" data-testid="import-results">
            {outcomes.map((o) => (
              <li key={o.name} data-testid="import-result" data-ok={o.ok} className={o.ok ? '' : 'text-loss'}>
                <span className="font-medium">{o.name}</span>
                {': '}
                {o.ok
                  ? o.result.imported.map((s) => `${s.symbol}, ${fmt.count(s.bars)} bars, ${formatDateRange(s.from, s.to)}`).join('; ')
                  : o.message}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
