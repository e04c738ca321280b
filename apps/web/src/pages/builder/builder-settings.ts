import { BacktestBody, ModelCreate, type BacktestRequest, type Model, type RuleDocument } from '@tradewire/contract';
import { fieldErrors, type FieldErrors } from '../../lib/zod-errors';
import { defaultValues, fieldFor, toCandidate, valuesFromModel, type ModelFormValues } from '../model-form';

/**
 * The builder's model settings (name, money, market, risk) are the model form's values, checked
 * with the contract's schemas: ModelCreate to save, BacktestBody to backtest. Problems inside the
 * rule document are the rule editor's to show; these are keyed by the settings' field names.
 */
export type BuilderSettings = ModelFormValues;

export interface DateRange {
  start_date: string;
  end_date: string;
}

export function newSettings(name = ''): BuilderSettings {
  return { ...defaultValues(), name, kind: 'rules', params: {} };
}

export function settingsFromModel(model: Model): BuilderSettings {
  return { ...valuesFromModel(model), kind: 'rules', params: {} };
}

/** The rule document as a model's params: takes the place of whatever agent the values held. */
function candidate(settings: BuilderSettings, document: RuleDocument | null): Record<string, unknown> {
  return { ...(toCandidate(settings) as Record<string, unknown>), agent: { kind: 'rules', params: document ?? {} } };
}

const ownField = (path: string) => !path.startsWith('agent');

function settingsErrors(error: Parameters<typeof fieldErrors>[0]): FieldErrors {
  const all = fieldErrors(error, fieldFor);
  return Object.fromEntries(Object.entries(all).filter(([path]) => ownField(path)));
}

export type Checked<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

/** A model to save from the settings and a checked rule document. */
export function modelBody(settings: BuilderSettings, document: RuleDocument | null): Checked<ModelCreate> {
  const parsed = ModelCreate.safeParse(candidate(settings, document));
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, errors: settingsErrors(parsed.error) };
}

/** A backtest of the settings, the rule document and the range (blank dates: the server's default, the last year). */
export function backtestBody(settings: BuilderSettings, document: RuleDocument | null, range: DateRange): Checked<BacktestRequest> {
  const { name: _name, description: _description, ...rest } = candidate(settings, document);
  const parsed = BacktestBody.safeParse({
    ...rest,
    ...(range.start_date ? { start_date: range.start_date } : {}),
    ...(range.end_date ? { end_date: range.end_date } : {}),
  });
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, errors: settingsErrors(parsed.error) };
}
