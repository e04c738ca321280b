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
import { fmt } from '../lib/format';
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

/** How much of equity a signal strategy puts into each new position (the risk rules may cap it). */
const POSITION_PCT: ParamField = {
  key: 'position_pct',
  label: 'Position size (% of equity)',
  input: 'number',
  hint: 'Each buy signal opens a position of this share of equity.',
};

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
    POSITION_PCT,
  ],
  rsi_mean_reversion: [
    { key: 'period', label: 'RSI period (days)', input: 'int' },
    { key: 'low', label: 'Buy below RSI', input: 'number' },
    { key: 'high', label: 'Sell above RSI', input: 'number' },
    POSITION_PCT,
  ],
  random: [
    { key: 'seed', label: 'Seed', input: 'int' },
    { key: 'probability', label: 'Trade probability per day', input: 'number', hint: 'Between 0 and 1.' },
    POSITION_PCT,
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

/** A blank field means the schema's default; null when the text is not a number. */
function numberOr(text: string | undefined, fallback: number): number | null {
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** `25%`, `33.3%`: whole percentages without decimals, others to one. */
const share = (pct: number) => {
  const rounded = Math.round(pct * 10) / 10;
  return fmt.unsignedPct(rounded, Number.isInteger(rounded) ? 0 : 1);
};

/**
 * The form's line on how money is split, from the agent's sizing and the risk rules as typed:
 * `Each new position takes 25% of equity, at most 100% per position` or
 * `Buy-and-hold on 3 symbols: 33.3% each`. `universeSize`: how many symbols "every symbol of the
 * market" means for the chosen data set (null while unknown). Null while a field it needs is not a number.
 */
export function allocationText(v: ModelFormValues, universeSize: number | null): string | null {
  const maxPos = numberOr(v.risk.max_position_pct, 100);
  const minCash = numberOr(v.risk.min_cash_pct, 0);
  if (maxPos === null || minCash === null || maxPos <= 0) return null;
  const cash = minCash > 0 ? `; ${share(minCash)} of equity always stays in cash` : '';
  switch (v.kind) {
    case 'sma_crossover':
    case 'rsi_mean_reversion':
    case 'random': {
      const pct = numberOr(v.params.position_pct, 25);
      if (pct === null || pct <= 0) return null;
      if (pct > maxPos) return `Each new position takes ${share(maxPos)} of equity: its ${share(pct)} is capped by the max position${cash}`;
      return `Each new position takes ${share(pct)} of equity, at most ${share(maxPos)} per position${cash}`;
    }
    case 'buy_and_hold': {
      const n = v.allowed_symbols.length > 0 ? v.allowed_symbols.length : universeSize;
      if (n === null || n === 0) return `Buy-and-hold: an equal share of cash in each symbol, at most ${share(maxPos)} each${cash}`;
      const investable = 100 - minCash;
      const each = Math.min(investable / n, maxPos);
      const symbols = `${fmt.count(n)} ${n === 1 ? 'symbol' : 'symbols'}`;
      const idle = investable - each * n;
      const capped = investable / n > maxPos ? ` (capped by the max position; ${share(idle)} stays in cash)` : '';
      return `Buy-and-hold on ${symbols}: ${share(each)} ${n === 1 ? 'of equity' : 'each'}${capped}${cash}`;
    }
    case 'llm':
      return `The model sizes its own orders; no position may exceed ${share(maxPos)} of equity${cash}`;
    case 'rules':
      return `The rule document sizes each buy; no position may exceed ${share(maxPos)} of equity${cash}`;
  }
}
