import { useState, type ComponentProps, type FormEvent, type ReactNode } from 'react';
import * as ToggleGroup from '@radix-ui/react-toggle-group';
import { Navigate, useNavigate } from 'react-router';
import type { AgentKind, Model, Dataset } from '@tradewire/contract';
import { useDatasets, useSymbols } from '../api/market';
import { useCreateModel, useModel, useUpdateModel } from '../api/models';
import { ErrorState, PageHeader } from '../components/states';
import { Badge } from '../components/ui/badge';
import { LlmConnectionTest } from '../components/LlmConnectionTest';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Field } from '../components/ui/field';
import { Input, Textarea } from '../components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../components/ui/select';
import { Skeleton } from '../components/ui/skeleton';
import { AGENT_KINDS } from '../lib/agents';
import { errorMessage } from '../api/client';
import { datasetLabel } from '../lib/datasets';
import { cn } from '../lib/utils';
import { serverFieldErrors, type FieldErrors } from '../lib/zod-errors';
import { useIdParam } from './ModelPage';
import {
  allocationText,
  defaultParams,
  defaultValues,
  knownField,
  PARAM_FIELDS,
  RISK_FIELDS,
  validateModelForm,
  valuesFromModel,
  type ModelFormValues,
} from './model-form';

export function NewModelPage() {
  return <ModelForm />;
}

export function EditModelPage() {
  const id = useIdParam('id');
  const model = useModel(id);
  if (id === null) return <ErrorState error={new Error('No such model')} title="Not found" page />;
  if (model.error && !model.data) return <ErrorState error={model.error} title="Could not load the model" page />;
  if (!model.data) return <Skeleton className="h-96" />;
  // A rule-based model's rules, money and market are all edited in the strategy builder.
  if (model.data.agent.kind === 'rules') return <Navigate to={`/models/${model.data.id}/rules`} replace />;
  return <ModelForm key={model.data.id} model={model.data} />;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card className="grid grid-cols-1 gap-4 p-4 sm:p-6">
      <h2 className="text-sm font-medium text-muted-foreground">{title}</h2>
      {children}
    </Card>
  );
}

function NumberInput(props: ComponentProps<typeof Input>) {
  return <Input type="text" inputMode="decimal" autoComplete="off" {...props} />;
}

/** The data sets a model can trade on; changing it clears the chosen symbols. */
function DatasetSelect({
  value,
  datasets,
  onChange,
  ...aria
}: { value: string; datasets: readonly Dataset[]; onChange: (d: string) => void } & Record<string, unknown>) {
  const known = datasets.some((d) => d.name === value);
  return (
    <Select value={value} onValueChange={onChange}>
      <SelectTrigger {...aria} data-testid="dataset">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {!known && <SelectItem value={value}>{value}</SelectItem>}
        {datasets.map((d) => (
          <SelectItem key={d.name} value={d.name} data-testid={`dataset-${d.name}`}>
              {datasetLabel(d)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/** Radix select that takes the id and aria props a Field hands its control. */
function KindSelect({ value, onChange, ...aria }: { value: AgentKind; onChange: (k: AgentKind) => void } & Record<string, unknown>) {
  return (
    <Select value={value} onValueChange={(v) => onChange(v as AgentKind)}>
      <SelectTrigger {...aria} data-testid="agent-kind">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {AGENT_KINDS.map((k) => (
          <SelectItem key={k.kind} value={k.kind} data-testid={`agent-kind-${k.kind}`}>
            {k.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/** How the money is split, as the form stands (the strategy's sizing within the risk rules). */
function Allocation({ text }: { text: string | null }) {
  if (text === null) return null;
  return (
    <p className="rounded-md border border-info/30 bg-info/10 px-3 py-2 text-sm text-blue-200" data-testid="effective-allocation">
      <span className="font-medium">Effective allocation.</span>{' '}
      {text}.
    </p>
  );
}

function ModelForm({ model }: { model?: Model }) {
  const navigate = useNavigate();
  const create = useCreateModel();
  const update = useUpdateModel(model?.id ?? 0);
  const [values, setValues] = useState<ModelFormValues>(() => (model ? valuesFromModel(model) : defaultValues()));
  const symbols = useSymbols(values.dataset);
  const datasets = useDatasets();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = model ? update : create;
  const apiKeySet = model?.agent.kind === 'llm' && model.agent.api_key_set === true && values.kind === 'llm';

  const set = <K extends keyof ModelFormValues>(key: K, value: ModelFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setParam = (key: string, value: string) => setValues((v) => ({ ...v, params: { ...v.params, [key]: value } }));
  const setRisk = (key: keyof ModelFormValues['risk'], value: string) => setValues((v) => ({ ...v, risk: { ...v.risk, [key]: value } }));
  const setKind = (kind: AgentKind) =>
    kind === 'rules'
      ? navigate(model ? `/models/${model.id}/rules` : '/models/new/rules')
      : setValues((v) => ({ ...v, kind, params: model?.agent.kind === kind ? valuesFromModel(model).params : defaultParams(kind) }));
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const result = validateModelForm(values);
    setFormError(null);
    if (!result.ok) {
      setErrors(result.errors);
      // Take the user to the first problem.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    mutation.mutate(result.body, {
      onSuccess: (m) => navigate(`/models/${m.id}`),
      onError: (e) => {
        const fields = serverFieldErrors(e, knownField(values));
        setErrors(fields);
        if (Object.keys(fields).length === 0) setFormError(errorMessage(e));
      },
    });
  };

  const kindInfo = AGENT_KINDS.find((k) => k.kind === values.kind)!;
  return (
    <div className="mx-auto max-w-3xl" data-testid="model-form-page">
      <PageHeader title={model ? `Edit ${model.name}` : 'New model'} subtitle="An agent, its money and its rules. Enter in a one-line field saves." />
      <form className="grid grid-cols-1 gap-4" onSubmit={submit} noValidate data-testid="model-form">
        {formError && (
          <p role="alert" className="rounded-md border border-loss/30 bg-loss/10 px-3 py-2 text-sm text-loss" data-testid="form-error">
            {formError}
          </p>
        )}
        <Section title="Model">
          <Field label="Name" name="name" error={errors.name}>
            <Input value={values.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Description" name="description" error={errors.description}>
            <Textarea value={values.description} onChange={(e) => set('description', e.target.value)} rows={2} />
          </Field>
        </Section>

        <Section title="Agent">
          <Field label="Kind" name="agent.kind" error={errors['agent.kind']} hint={kindInfo.description}>
            <KindSelect value={values.kind} onChange={setKind} />
          </Field>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {PARAM_FIELDS[values.kind].map((f) => {
              const name = `agent.params.${f.key}`;
              const value = values.params[f.key] ?? '';
              const onChange = (e: { target: { value: string } }) => setParam(f.key, e.target.value);
              if (f.input === 'textarea') {
                return (
                  <Field key={f.key} label={f.label} name={name} error={errors[name]} hint={f.hint} className="sm:col-span-2">
                    <Textarea value={value} onChange={onChange} rows={4} />
                  </Field>
                );
              }
              if (f.input === 'secret') {
                return (
                  <Field
                    key={f.key}
                    label={
                      <span className="flex items-center gap-2">
                        {f.label}
                        {apiKeySet && (
                          <Badge variant="live" data-testid="api-key-set">
                            set
                          </Badge>
                        )}
                      </span>
                    }
                    name={name}
                    error={errors[name]}
                    hint={apiKeySet ? 'Leave blank to keep the stored key (a new base URL clears it).' : f.hint}
                  >
                    <Input type="password" value={value} onChange={onChange} autoComplete="new-password" placeholder={apiKeySet ? '••••••••' : ''} />
                  </Field>
                );
              }
              return (
                <Field key={f.key} label={f.label} name={name} error={errors[name]} hint={f.hint} className={f.input === 'url' ? 'sm:col-span-2' : undefined}>
                  {f.input === 'url' || f.input === 'text' ? (
                    <Input value={value} onChange={onChange} autoComplete="off" placeholder={f.input === 'url' ? 'https://api.openai.com/v1' : ''} />
                  ) : (
                    <NumberInput value={value} onChange={onChange} />
                  )}
                </Field>
              );
            })}
            {model && model.agent.kind === 'llm' && values.kind === 'llm' && (
              <LlmConnectionTest modelId={model.id} dirty={JSON.stringify(values) !== JSON.stringify(valuesFromModel(model))} />
            )}
          </div>
        </Section>

        <Section title="Money and market">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <Field label="Initial cash ($)" name="initial_cash" error={errors.initial_cash}>
              <NumberInput value={values.initial_cash} onChange={(e) => set('initial_cash', e.target.value)} />
            </Field>
            <Field label="Commission (bps)" name="commission_bps" error={errors.commission_bps}>
              <NumberInput value={values.commission_bps} onChange={(e) => set('commission_bps', e.target.value)} />
            </Field>
            <Field label="Slippage (bps)" name="slippage_bps" error={errors.slippage_bps}>
              <NumberInput value={values.slippage_bps} onChange={(e) => set('slippage_bps', e.target.value)} />
            </Field>
          </div>
          <Field label="Market data set" name="dataset" error={errors.dataset} hint="Simulated works offline; imported and downloaded data sets hold real prices.">
            <DatasetSelect
              value={values.dataset}
              datasets={datasets.data ?? []}
              onChange={(d) => setValues((v) => ({ ...v, dataset: d, allowed_symbols: [] }))}
            />
          </Field>
          <div className="grid grid-cols-1 gap-2" data-field="allowed_symbols">
            <p className="text-sm font-medium text-neutral-200" id="allowed-symbols-label">
              Allowed symbols{' '}
              <span className="font-normal text-subtle">
                {values.allowed_symbols.length === 0 ? '(none chosen: every symbol of the market)' : `(${values.allowed_symbols.length} chosen)`}
              </span>
            </p>
            <p className="text-xs text-subtle" id="allowed-symbols-hint">
              One stop for the keyboard: arrow keys move between symbols, Space picks or drops one.
            </p>
            {symbols.isLoading && <Skeleton className="h-16" />}
            {symbols.error && <p className="text-xs text-loss">Could not load symbols: {errorMessage(symbols.error)}</p>}
            {/* One composite widget with a roving tab stop, not a tab stop per symbol. */}
            <ToggleGroup.Root
              type="multiple"
              value={values.allowed_symbols}
              onValueChange={(chosen) => set('allowed_symbols', chosen)}
              loop
              className="flex flex-wrap gap-1.5"
              aria-labelledby="allowed-symbols-label"
              aria-describedby="allowed-symbols-hint"
              data-testid="symbol-picker"
            >
              {symbols.data?.map((s) => (
                <ToggleGroup.Item
                  key={s.symbol}
                  value={s.symbol}
                  title={`${s.name} · ${s.sector}${s.source ? ` · ${s.source}` : ''}`}
                  data-testid={`symbol-${s.symbol}`}
                  className={cn(
                    'rounded-full border px-2.5 py-1 text-xs transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none max-sm:min-h-11 max-sm:px-3.5',
                    'border-border text-muted-foreground hover:text-foreground data-[state=on]:border-info data-[state=on]:bg-info/15 data-[state=on]:text-blue-300',
                  )}
                >
                  {s.symbol}
                </ToggleGroup.Item>
              ))}
            </ToggleGroup.Root>
            {errors.allowed_symbols && (
              <p className="text-xs text-loss" data-testid="field-error-allowed_symbols">
                {errors.allowed_symbols}
              </p>
            )}
          </div>
        </Section>

        <Section title="Risk rules">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            {RISK_FIELDS.map((f) => (
              <Field key={f.key} label={f.label} name={`risk.${f.key}`} error={errors[`risk.${f.key}`]} hint={f.hint}>
                <NumberInput value={values.risk[f.key]} onChange={(e) => setRisk(f.key, e.target.value)} />
              </Field>
            ))}
          </div>
          <Allocation text={allocationText(values, symbols.data?.length ?? null)} />
        </Section>

        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => navigate(model ? `/models/${model.id}` : '/')}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={mutation.isPending} data-testid="save-model">
            {mutation.isPending ? 'Saving…' : model ? 'Save changes' : 'Create model'}
          </Button>
        </div>
      </form>
    </div>
  );
}
