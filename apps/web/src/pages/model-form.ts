import {
  BuyAndHoldParams,
  LlmParams,
  ModelCreate,
  RandomParams,
  RiskRules,
  RsiMeanReversionParams,
  RuleDocument,
  SmaCrossoverParams,
  type AgentKind,
  type Model,
} from '@tradewire/contract';
import type { z } from 'zod';
import { fieldErrors, type FieldErrors } from '../lib/zod-errors';

/** What the form edits: text as typed, turned into the contract's ModelCreate on submit. */
export interface ModelFormValues {
  name: string;
  description: string;
  kind: AgentKind;
  params: Record<string, string>;
  initial_cash: string;
  dataset: string;
  allowed_symbols: string[];
  risk: Record<RiskKey, string>;
  commission_bps: string;
  slippage_bps: string;
}

export type ParamInput = 'int' | 'number' | 'text' | 'url' | 'secret' | 'textarea';

export interface ParamField {
  key: string;
  label: string;
  input: ParamInput;
  hint?: string;
}

const PARAMS_SCHEMA: Record<AgentKind, z.ZodObject> = {
  buy_and_hold: BuyAndHoldParams,
  sma_crossover: SmaCrossoverParams,
  rsi_mean_reversion: RsiMeanReversionParams,
  random: RandomParams,
  llm: LlmParams,
  rules: RuleDocument,
};

export const PARAM_FIELDS: Record<AgentKind, ParamField[]> = {
  buy_and_hold: [],
  sma_crossover: [
    { key: 'fast', label: 'Fast SMA (days)', input: 'int' },
    { key: 'slow', label: 'Slow SMA (days)', input: 'int' },
  ],
  rsi_mean_reversion: [
    { key: 'period', label: 'RSI period (days)', input: 'int' },
    { key: 'low', label: 'Buy below RSI', input: 'number' },
    { key: 'high', label: 'Sell above RSI', input: 'number' },
  ],
  random: [
    { key: 'seed', label: 'Seed', input: 'int' },
    { key: 'probability', label: 'Trade probability per day', input: 'number', hint: 'Between 0 and 1.' },
  ],
  llm: [
    { key: 'base_url', label: 'Base URL', input: 'url', hint: 'Any OpenAI-compatible endpoint, e.g. https://api.openai.com/v1 or a local Ollama.' },
    { key: 'model', label: 'Model', input: 'text' },
    { key: 'api_key', label: 'API key', input: 'secret', hint: 'Stored encrypted; never shown again.' },
    { key: 'temperature', label: 'Temperature', input: 'number' },
    { key: 'max_tool_calls_per_step', label: 'Max tool calls per day', input: 'int' },
    { key: 'instructions', label: 'Instructions', input: 'textarea', hint: 'Added to the system prompt.' },
  ],
  // Rule documents are edited in the strategy builder, not as form fields.
  rules: [],
};


type RiskKey = keyof z.infer<typeof RiskRules>;
export const RISK_FIELDS: { key: RiskKey; label: string; hint?: string }[] = [
  { key: 'max_position_pct', label: 'Max position (% of equity)' },
  { key: 'max_orders_per_step', label: 'Max orders per day' },
  { key: 'stop_loss_pct', label: 'Stop loss (%)', hint: 'Blank for none.' },
  { key: 'max_drawdown_pct', label: 'Max drawdown (%)', hint: 'Blank for none.' },
  { key: 'min_cash_pct', label: 'Min cash (% of equity)' },
];

const NULLABLE_RISK = new Set<RiskKey>(['stop_loss_pct', 'max_drawdown_pct']);
const NUMERIC: ReadonlySet<ParamInput> = new Set(['int', 'number']);

/** The schema's default for a field as text ('' when it has none). */
function defaultText(schema: z.ZodType): string {
  const r = schema.safeParse(undefined);
  return r.success && r.data !== null && r.data !== undefined ? String(r.data) : '';
}

export function defaultParams(kind: AgentKind): Record<string, string> {
  const shape = PARAMS_SCHEMA[kind].shape as Record<string, z.ZodType>;
  return Object.fromEntries(PARAM_FIELDS[kind].map((f) => [f.key, f.input === 'secret' ? '' : defaultText(shape[f.key]!)]));
}

export function defaultValues(): ModelFormValues {
  const shape = RiskRules.shape as Record<RiskKey, z.ZodType>;
  return {
    name: '',
    description: '',
    kind: 'sma_crossover',
    params: defaultParams('sma_crossover'),
    initial_cash: '10000',
    dataset: 'simulated',
    allowed_symbols: [],
    risk: Object.fromEntries(RISK_FIELDS.map((f) => [f.key, defaultText(shape[f.key])])) as Record<RiskKey, string>,
    commission_bps: '0',
    slippage_bps: '5',
  };
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function valuesFromModel(m: Model): ModelFormValues {
  const params = defaultParams(m.agent.kind);
  for (const f of PARAM_FIELDS[m.agent.kind]) if (f.input !== 'secret' && f.key in m.agent.params) params[f.key] = text(m.agent.params[f.key]);
  return {
    name: m.name,
    description: m.description,
    kind: m.agent.kind,
    params,
    initial_cash: text(m.initial_cash),
    dataset: m.dataset,
    allowed_symbols: [...m.allowed_symbols],
    risk: Object.fromEntries(RISK_FIELDS.map((f) => [f.key, text(m.risk[f.key])])) as Record<RiskKey, string>,
    commission_bps: text(m.commission_bps),
    slippage_bps: text(m.slippage_bps),
  };
}

/** Blank means "the default"; anything else must read as a number (NaN is reported as such). */
const number = (s: string) => (s.trim() === '' ? undefined : Number(s));

export function toCandidate(v: ModelFormValues): unknown {
  const params: Record<string, unknown> = {};
  for (const f of PARAM_FIELDS[v.kind]) {
    const raw = v.params[f.key] ?? '';
    if (NUMERIC.has(f.input)) params[f.key] = number(raw);
    else if (f.input === 'secret') {
      // Write-only: blank keeps the stored key.
      if (raw !== '') params[f.key] = raw;
    } else params[f.key] = f.input === 'textarea' ? raw : raw.trim();
  }
  const risk: Record<string, unknown> = {};
  for (const f of RISK_FIELDS) {
    const raw = v.risk[f.key];
    risk[f.key] = raw.trim() === '' ? (NULLABLE_RISK.has(f.key) ? null : undefined) : Number(raw);
  }
  return {
    name: v.name,
    description: v.description,
    agent: { kind: v.kind, params },
    initial_cash: number(v.initial_cash),
    dataset: v.dataset,
    allowed_symbols: v.allowed_symbols,
    risk,
    commission_bps: number(v.commission_bps),
    slippage_bps: number(v.slippage_bps),
  };
}

/** The form field an error path belongs to: list items to their list, a union to its kind. */
export function fieldFor(path: string): string {
  if (path.startsWith('allowed_symbols')) return 'allowed_symbols';
  if (path === 'agent' || path === 'agent.params') return 'agent.kind';
  return path;
}

export function knownField(v: ModelFormValues) {
  const known = new Set([
    'name',
    'description',
    'agent.kind',
    'initial_cash',
    'dataset',
    'allowed_symbols',
    'commission_bps',
    'slippage_bps',
    ...PARAM_FIELDS[v.kind].map((f) => `agent.params.${f.key}`),
    ...RISK_FIELDS.map((f) => `risk.${f.key}`),
  ]);
  return (path: string) => {
    const f = fieldFor(path);
    return known.has(f) ? f : null;
  };
}

export type ValidationResult = { ok: true; body: ModelCreate } | { ok: false; errors: FieldErrors };

/** Checks the form with the contract's ModelCreate schema, the same one the server uses. */
export function validateModelForm(v: ModelFormValues): ValidationResult {
  const parsed = ModelCreate.safeParse(toCandidate(v));
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, errors: fieldErrors(parsed.error, fieldFor) };
}
