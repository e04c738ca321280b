import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import * as ToggleGroup from '@radix-ui/react-toggle-group';
import { Download, FlaskConical, Play, Save, Upload } from 'lucide-react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { BACKTEST_LIMITS, RULE_TEMPLATES, RuleDocument, readStrategyFile, strategyFile, type BacktestResult, type Model, type StrategyFileProblem } from '@tradewire/contract';
import { useBacktest } from '../api/backtests';
import { errorMessage } from '../api/client';
import { useDatasets, useSymbols } from '../api/market';
import { useCreateModel, useModel, useUpdateModel } from '../api/models';
import { useStartTrading } from '../api/trading';
import { ErrorState, PageHeader } from '../components/states';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Field } from '../components/ui/field';
import { Input, Textarea } from '../components/ui/input';
import { Skeleton } from '../components/ui/skeleton';
import { datasetLabel } from '../lib/datasets';
import { fmt, formatPct } from '../lib/format';
import { cn } from '../lib/utils';
import { serverFieldErrors, type FieldErrors } from '../lib/zod-errors';
import { BacktestResults } from './builder/BacktestResults';
import { BuilderContext } from './builder/builder-context';
import { backtestBody, modelBody, newSettings, settingsFromModel, type BuilderSettings, type DateRange } from './builder/builder-settings';
import { blankDocument, checkDraft, previewDraft, toDraft, type Draft } from './builder/builder-state';
import { useRuleEditing } from './builder/use-rule-editing';
import { RuleSetsEditor } from './builder/RuleEditor';
import { RISK_FIELDS, knownField } from './model-form';

/** `/models/new/rules` (optionally `?template=rsi_dip`) and `/models/{id}/rules`: the strategy builder. */
export function StrategyBuilderPage() {
  const raw = useParams().id;
  const id = raw === 'new' ? null : Number(raw);
  const valid = id === null || (Number.isInteger(id) && id > 0);
  const model = useModel(valid ? id : null);
  const [search] = useSearchParams();
  if (!valid) return <ErrorState error={new Error('No such model')} title="Not found" page />;
  if (id !== null && model.error) return <ErrorState error={model.error} title="Could not load the model" page />;
  if (id !== null && !model.data) return <Skeleton className="h-96" />;
  return <Builder key={id ?? 'new'} model={id === null ? null : model.data!} template={search.get('template')} />;
}

function initialDocument(model: Model | null, template: string | null): { draft: Draft; note: string | null } {
  if (model) {
    if (model.agent.kind !== 'rules') return { draft: toDraft(RULE_TEMPLATES[0]!.document), note: `${model.name} trades as another kind of agent: saving here turns it into a rule-based strategy.` };
    const parsed = RuleDocument.safeParse(model.agent.params);
    return { draft: parsed.success ? toDraft(parsed.data) : (model.agent.params as Draft), note: null };
  }
  const chosen = RULE_TEMPLATES.find((t) => t.id === template);
  return { draft: chosen ? toDraft(chosen.document) : blankDocument(), note: null };
}

const focusFirstProblem = () =>
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid=strategy-builder] [aria-invalid="true"]')?.focus());

function Section({ title, description, children, testId, className }: { title: string; description?: ReactNode; children: ReactNode; testId?: string; className?: string }) {
  const id = useId();
  return (
    <Card className={cn('grid min-w-0 grid-cols-1 gap-4 p-4 sm:p-6', className)} data-testid={testId} role="region" aria-labelledby={id}>
      <div className="grid gap-1">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {children}
    </Card>
  );
}

function Builder({ model, template }: { model: Model | null; template: string | null }) {
  const navigate = useNavigate();
  const initial = useMemo(() => initialDocument(model, template), [model, template]);
  const [loaded, setLoaded] = useState<Draft>(initial.draft);
  const [settings, setSettings] = useState<BuilderSettings>(() =>
    model ? settingsFromModel(model) : newSettings(RULE_TEMPLATES.find((t) => t.id === template)?.name ?? ''),
  );
  const [range, setRange] = useState<DateRange>({ start_date: '', end_date: '' });
  const [savedId, setSavedId] = useState<number | null>(model?.id ?? null);
  // A rules model opened here is saved as it stands: nothing to save until something changes.
  const [savedBody, setSavedBody] = useState<string | null>(() => {
    if (model?.agent.kind !== 'rules') return null;
    const body = modelBody(settingsFromModel(model), checkDraft(initial.draft).document);
    return body.ok ? JSON.stringify(body.body) : null;
  });
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(initial.note);
  const [importProblems, setImportProblems] = useState<StrategyFileProblem[] | null>(null);
  const [result, setResult] = useState<{ data: BacktestResult; body: string } | null>(null);
  const [pace, setPace] = useState('0');
  const backtestAbort = useRef<AbortController | null>(null);

  const symbols = useSymbols(settings.dataset);
  const ruleSymbols = useMemo(
    () => (settings.allowed_symbols.length > 0 ? settings.allowed_symbols : (symbols.data ?? []).map((s) => s.symbol)),
    [settings.allowed_symbols, symbols.data],
  );
  const { draft, setDraft, check, editing } = useRuleEditing(initial.draft, ruleSymbols);
  const preview = useMemo(() => previewDraft(draft), [draft]);
  const datasets = useDatasets();
  const backtest = useBacktest();
  const create = useCreateModel();
  const update = useUpdateModel(savedId ?? 0);
  const start = useStartTrading();

  const saveCheck = modelBody(settings, check.document);
  const backtestCheck = backtestBody(settings, check.document, range);
  const settingsErrors: FieldErrors = attempted ? { ...(saveCheck.ok ? {} : saveCheck.errors), ...(backtestCheck.ok ? {} : backtestCheck.errors), ...serverErrors } : serverErrors;
  const currentBody = saveCheck.ok ? JSON.stringify(saveCheck.body) : null;
  const unsaved = savedId === null || savedBody === null ? true : currentBody !== savedBody;
  const backtestKey = backtestCheck.ok ? JSON.stringify(backtestCheck.body) : null;

  useEffect(() => () => backtestAbort.current?.abort(), []);

  const setSetting = <K extends keyof BuilderSettings>(key: K, value: BuilderSettings[K]) => {
    setServerErrors((e) => (e[key as string] ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== key)) : e));
    setSettings((s) => ({ ...s, [key]: value }));
  };

  const loadDocument = (doc: RuleDocument, what: string) => {
    if (draft !== loaded && !window.confirm(`Replace the rules you have with ${what}?`)) return false;
    const next = toDraft(doc);
    setDraft(next);
    setLoaded(next);
    setNotice(null);
    return true;
  };

  /** Rules or settings that cannot be sent: say so at the fields and go to the first. */
  const blocked = () => {
    setAttempted(true);
    focusFirstProblem();
  };

  const runBacktest = () => {
    if (!check.document || !backtestCheck.ok) return blocked();
    backtestAbort.current?.abort();
    const abort = new AbortController();
    backtestAbort.current = abort;
    const key = JSON.stringify(backtestCheck.body);
    backtest.mutate(
      { body: backtestCheck.body, signal: abort.signal },
      {
        onSuccess: (data) => {
          setServerErrors({});
          setResult({ data, body: key });
        },
        onError: (e) => setServerErrors(serverFieldErrors(e, knownField(settings))),
      },
    );
  };

  const save = (then?: (id: number) => void) => {
    if (!check.document || !saveCheck.ok) return blocked();
    const body = saveCheck.body;
    const done = (m: Model) => {
      setSavedId(m.id);
      setSavedBody(JSON.stringify(body));
      setServerErrors({});
      if (then) then(m.id);
      else toast.success(`Saved ${m.name}`, { description: 'Start it when you are ready.' });
    };
    const failed = (e: unknown) => {
      const fields = serverFieldErrors(e, knownField(settings));
      setServerErrors(fields);
      setAttempted(true);
      if (Object.keys(fields).length > 0) focusFirstProblem();
    };
    if (savedId === null) create.mutate(body, { onSuccess: done, onError: failed });
    else update.mutate(body, { onSuccess: done, onError: failed });
  };

  const startRun = (id: number) =>
    start.mutate(
      {
        modelId: id,
        body: { ...(range.start_date ? { start_date: range.start_date } : {}), ...(range.end_date ? { end_date: range.end_date } : {}), pace_ms: Number(pace) },
      },
      {
        onSuccess: () => navigate(`/models/${id}`),
        onError: (e) => toast.error('Could not start the model', { description: errorMessage(e) }),
      },
    );

  const exportFile = () => {
    if (!check.document) return blocked();
    const file = strategyFile(settings.name, settings.description, check.document);
    const blob = new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${(settings.name.trim() || 'strategy').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'strategy'}.strategy.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };

  const importText = (text: string, from: string) => {
    const read = readStrategyFile(text);
    if (!read.ok) {
      setImportProblems(read.problems);
      return false;
    }
    if (!loadDocument(read.file.rules, `the strategy in ${from}`)) return false;
    setImportProblems(null);
    setSettings((s) => ({ ...s, name: s.name.trim() ? s.name : read.file.name, description: s.description || read.file.description }));
    toast.success(`Loaded ${read.file.name}`);
    return true;
  };

  const chosenDataset = datasets.data?.find((d) => d.name === settings.dataset);
  const pending = create.isPending || update.isPending;
  const title = model ? `Rules of ${model.name}` : 'Strategy builder';
  const savedName = savedId !== null ? (model?.id === savedId ? model.name : settings.name) : null;
  const problemCount = Object.keys(check.errors).length;

  return (
    <BuilderContext.Provider value={editing}>
      <div className="mx-auto grid max-w-6xl grid-cols-1 gap-4" data-testid="strategy-builder" data-saved-id={savedId ?? undefined}>
        <PageHeader
          title={title}
          subtitle="Rules from dropdowns and numbers, read back in plain words. Backtest them at once, then save and start."
          actions={
            <>
              <Button variant="outline" onClick={exportFile} data-testid="export-strategy">
                <Download />
                Export
              </Button>
              {savedId !== null && (
                <Button asChild variant="ghost">
                  <Link to={`/models/${savedId}`}>Model page</Link>
                </Button>
              )}
            </>
          }
        />
        {notice && (
          <p className="rounded-md border border-warn/30 bg-warn/10 px-3 py-2 text-sm" role="status">
            {notice}
          </p>
        )}

        <div className="grid min-w-0 grid-cols-1 gap-4 2xl:grid-cols-[minmax(0,1fr)_22rem]">
          <div className="grid min-w-0 grid-cols-1 gap-4">
            <Section title="Start from" description="A template fills in the rules below; change anything after." testId="templates">
              <ul className="grid grid-cols-2 gap-2">
                {RULE_TEMPLATES.map((t) => (
                  <li key={t.id}>
                    <button
                      type="button"
                      className="grid h-full w-full gap-1 rounded-lg border border-border p-3 text-left hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                      data-testid={`template-${t.id}`}
                      onClick={() => {
                        if (loadDocument(t.document, `the ${t.name} template`) && !settings.name.trim()) setSetting('name', t.name);
                      }}
                    >
                      <span className="text-sm font-medium">{t.name}</span>
                      <span className="text-xs text-muted-foreground max-sm:sr-only">{t.summary}</span>
                    </button>
                  </li>
                ))}
              </ul>
              <ImportStrategy onText={importText} problems={importProblems} />
            </Section>

            <Section
              title="Rules"
              description={
                <>
                  Each trading day, with the last complete bar and today’s open.{' '}
                  {problemCount > 0 && (
                    <span className="text-loss" data-testid="rule-problem-count">
                      {problemCount === 1 ? '1 field needs' : `${problemCount} fields need`} attention.
                    </span>
                  )}
                </>
              }
              testId="rules"
            >
              <RuleSetsEditor />
            </Section>
          </div>

          <Section title="In plain words" testId="preview" className="h-fit 2xl:sticky 2xl:top-20">
            <div className="grid gap-3 text-sm" data-testid="rules-preview">
              {preview.map((set, i) => (
                <div key={i} className="grid gap-1">
                  <p className="font-medium">{set.title}</p>
                  <ul className="grid list-disc gap-1 pl-5">
                    {set.lines.map((line, j) => (
                      <li key={j} className={line.complete ? undefined : 'text-warn'} data-testid="preview-line">
                        {line.text}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          </Section>
        </div>

        <Section title="Money and market" description="What the strategy trades with, as a model would." testId="settings">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <Field label="Initial cash ($)" name="initial_cash" error={settingsErrors.initial_cash}>
              <Input inputMode="decimal" autoComplete="off" value={settings.initial_cash} onChange={(e) => setSetting('initial_cash', e.target.value)} />
            </Field>
            <Field label="Commission (bps)" name="commission_bps" error={settingsErrors.commission_bps}>
              <Input inputMode="decimal" autoComplete="off" value={settings.commission_bps} onChange={(e) => setSetting('commission_bps', e.target.value)} />
            </Field>
            <Field label="Slippage (bps)" name="slippage_bps" error={settingsErrors.slippage_bps}>
              <Input inputMode="decimal" autoComplete="off" value={settings.slippage_bps} onChange={(e) => setSetting('slippage_bps', e.target.value)} />
            </Field>
          </div>
          <Field label="Market data set" name="dataset" error={settingsErrors.dataset}>
            <select
              className="h-9 w-full rounded-md border border-input bg-background px-3 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              value={settings.dataset}
              onChange={(e) => setSettings((s) => ({ ...s, dataset: e.target.value, allowed_symbols: [] }))}
              data-testid="builder-dataset"
            >
              {!datasets.data?.some((d) => d.name === settings.dataset) && <option value={settings.dataset}>{settings.dataset}</option>}
              {datasets.data?.map((d) => (
                <option key={d.name} value={d.name}>
                  {datasetLabel(d)}
                </option>
              ))}
            </select>
          </Field>
          <SymbolPicker
            chosen={settings.allowed_symbols}
            onChange={(v) => setSetting('allowed_symbols', v)}
            symbols={symbols.data?.map((s) => s.symbol) ?? []}
            loading={symbols.isLoading}
            error={settingsErrors.allowed_symbols}
          />
          <details className="grid gap-3" data-testid="risk-settings">
            <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-md text-sm text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
              Risk rules the broker applies to every order
            </summary>
            <div className="grid grid-cols-1 gap-4 pt-3 sm:grid-cols-3">
              {RISK_FIELDS.map((f) => (
                <Field key={f.key} label={f.label} name={`risk.${f.key}`} error={settingsErrors[`risk.${f.key}`]} hint={f.hint}>
                  <Input inputMode="decimal" autoComplete="off" value={settings.risk[f.key]} onChange={(e) => setSettings((s) => ({ ...s, risk: { ...s.risk, [f.key]: e.target.value } }))} />
                </Field>
              ))}
            </div>
          </details>
        </Section>

        <Section
          title="Backtest now"
          description={`Plays the rules over the range at once; nothing is saved. At most ${fmt.count(BACKTEST_LIMITS.maxSymbols)} symbols and ${fmt.count(BACKTEST_LIMITS.maxTradingDays)} trading days (about five years).`}
          testId="backtest"
        >
          <div className="grid grid-cols-1 items-end gap-4 sm:grid-cols-[1fr_1fr_auto]">
            <Field label="From" name="start_date" error={settingsErrors.start_date} hint="Blank: a year before the end.">
              <Input type="date" min={chosenDataset?.first ?? undefined} max={chosenDataset?.last ?? undefined} value={range.start_date} onChange={(e) => setRange((r) => ({ ...r, start_date: e.target.value }))} data-testid="backtest-from" />
            </Field>
            <Field label="To" name="end_date" error={settingsErrors.end_date} hint="Blank: the last day of data.">
              <Input type="date" min={chosenDataset?.first ?? undefined} max={chosenDataset?.last ?? undefined} value={range.end_date} onChange={(e) => setRange((r) => ({ ...r, end_date: e.target.value }))} data-testid="backtest-to" />
            </Field>
            <Button variant="primary" className="sm:mb-5" aria-disabled={backtest.isPending || undefined} onClick={() => !backtest.isPending && runBacktest()} data-testid="backtest-now">
              <FlaskConical />
              {backtest.isPending ? 'Backtesting…' : 'Backtest now'}
            </Button>
          </div>
          <p role="status" className="text-sm text-muted-foreground" data-testid="backtest-status">
            {backtest.isPending
              ? 'Backtesting…'
              : backtest.error
                ? ''
                : result
                  ? `Backtest finished: ${formatPct(result.data.metrics.total_return_pct)} over ${fmt.count(result.data.trading_days)} trading days, ${fmt.count(result.data.round_trips.length)} round trips.`
                  : ''}
          </p>
          {backtest.error && Object.keys(serverErrors).length === 0 && (
            <p role="alert" className="rounded-md border border-loss/30 bg-loss/10 px-3 py-2 text-sm text-loss" data-testid="backtest-error">
              {errorMessage(backtest.error)}
            </p>
          )}
          {result && <BacktestResults result={result.data} stale={result.body !== backtestKey} />}
        </Section>

        <Section
          title={savedId === null ? 'Save as a model' : 'Save and start'}
          description={savedId === null ? 'A model keeps the rules and settings; start it to trade day by day and watch it live.' : undefined}
          testId="save"
        >
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field label="Name" name="name" error={settingsErrors.name}>
              <Input value={settings.name} onChange={(e) => setSetting('name', e.target.value)} autoComplete="off" data-testid="builder-name" />
            </Field>
            <Field label="Description" name="description" error={settingsErrors.description}>
              <Input value={settings.description} onChange={(e) => setSetting('description', e.target.value)} autoComplete="off" />
            </Field>
          </div>
          <div className="flex flex-wrap items-end gap-3">
            <Button variant={savedId === null ? 'primary' : 'outline'} aria-disabled={pending || (!unsaved && savedId !== null) || undefined} onClick={() => !pending && (unsaved || savedId === null) && save()} data-testid="save-strategy">
              <Save />
              {pending ? 'Saving…' : savedId === null ? 'Save as model' : unsaved ? 'Save changes' : 'Saved'}
            </Button>
            <Field label="Pace" name="pace_ms" hint="Time between trading days.">
              <select className="h-9 rounded-md border border-input bg-background px-3 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none" value={pace} onChange={(e) => setPace(e.target.value)} data-testid="start-pace">
                <option value="0">As fast as possible</option>
                <option value="50">50 ms a day</option>
                <option value="200">200 ms a day</option>
                <option value="1000">1 s a day</option>
              </select>
            </Field>
            <Button
              variant="success"
              aria-disabled={pending || start.isPending || undefined}
              onClick={() => {
                if (pending || start.isPending) return;
                if (savedId === null || unsaved) save(startRun);
                else startRun(savedId);
              }}
              data-testid="start-strategy"
            >
              <Play />
              {start.isPending ? 'Starting…' : savedId === null || unsaved ? 'Save and start' : 'Start'}
            </Button>
          </div>
          <p className="text-sm text-muted-foreground" role="status" data-testid="save-status">
            {savedId !== null && savedName && (
              <>
                {unsaved ? 'Unsaved changes to ' : 'Saved as '}
                <Link className="text-info underline-offset-4 hover:underline" to={`/models/${savedId}`}>
                  {savedName}
                </Link>
                . Start runs it over the range above{range.start_date || range.end_date ? '' : ' (blank: the last year)'}.
              </>
            )}
          </p>
        </Section>
      </div>
    </BuilderContext.Provider>
  );
}

function SymbolPicker({ chosen, onChange, symbols, loading, error }: { chosen: string[]; onChange: (v: string[]) => void; symbols: string[]; loading: boolean; error?: string }) {
  const labelId = useId();
  const errorId = useId();
  return (
    <div className="grid grid-cols-1 gap-2" data-field="allowed_symbols">
      <p className="text-sm font-medium text-neutral-200" id={labelId}>
        Symbols <span className="font-normal text-subtle">{chosen.length === 0 ? '(none chosen: every symbol of the data set)' : `(${chosen.length} chosen)`}</span>
      </p>
      {loading && <Skeleton className="h-16" />}
      <ToggleGroup.Root
        type="multiple"
        value={chosen}
        onValueChange={onChange}
        loop
        className="flex flex-wrap gap-1.5"
        aria-labelledby={labelId}
        aria-describedby={error ? errorId : undefined}
        data-testid="builder-symbols"
      >
        {symbols.map((s) => (
          <ToggleGroup.Item
            key={s}
            value={s}
            data-testid={`builder-symbol-${s}`}
            className="rounded-full border border-border px-2.5 py-1 text-xs text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none data-[state=on]:border-info data-[state=on]:bg-info/15 data-[state=on]:text-blue-300 max-sm:min-h-11 max-sm:px-3.5"
          >
            {s}
          </ToggleGroup.Item>
        ))}
      </ToggleGroup.Root>
      {error && (
        <p id={errorId} className="text-xs text-loss" data-testid="field-error-allowed_symbols">
          {error}
        </p>
      )}
    </div>
  );
}

/** A strategy file from disk or pasted; problems are listed with the path they are at. */
function ImportStrategy({ onText, problems }: { onText: (text: string, from: string) => boolean; problems: StrategyFileProblem[] | null }) {
  const [pasting, setPasting] = useState(false);
  const [text, setText] = useState('');
  const fileId = useId();
  const pasteId = useId();
  return (
    <div className="grid gap-2" data-testid="import-strategy">
      <div className="flex flex-wrap gap-2">
        <label
          htmlFor={fileId}
          className="inline-flex h-9 cursor-pointer items-center gap-2 rounded-md border border-border px-4 text-sm font-medium hover:bg-muted focus-within:ring-2 focus-within:ring-ring max-sm:min-h-11 [&_svg]:size-4"
        >
          <Upload />
          Import a file
          <input
            id={fileId}
            type="file"
            accept=".json,application/json"
            className="sr-only"
            data-testid="import-file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) onText(await file.text(), file.name);
            }}
          />
        </label>
        <Button variant="ghost" aria-expanded={pasting} aria-controls={pasteId} onClick={() => setPasting((p) => !p)} data-testid="paste-toggle">
          Paste JSON
        </Button>
      </div>
      {pasting && (
        <div id={pasteId} className="grid gap-2">
          <Field label="Strategy JSON" name="strategy_json" hint="An exported strategy file, or a rule document.">
            <Textarea value={text} onChange={(e) => setText(e.target.value)} rows={6} className="font-mono text-xs" data-testid="paste-text" />
          </Field>
          <div>
            <Button
              variant="outline"
              onClick={() => {
                if (onText(text, 'the pasted text')) {
                  setText('');
                  setPasting(false);
                }
              }}
              data-testid="paste-load"
            >
              Load
            </Button>
          </div>
        </div>
      )}
      {problems && (
        <div role="alert" className="rounded-md border border-loss/30 bg-loss/10 px-3 py-2 text-sm" data-testid="import-problems">
          <p className="font-medium text-loss">That strategy can’t be loaded:</p>
          <ul className="mt-1 grid list-disc gap-0.5 pl-5 text-xs">
            {problems.slice(0, 10).map((p, i) => (
              <li key={i}>
                <code>{p.path}</code>: {p.message}
              </li>
            ))}
          </ul>
          {problems.length > 10 && <p className="mt-1 text-xs">…and {problems.length - 10} more.</p>}
        </div>
      )}
    </div>
  );
}
