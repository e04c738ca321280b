import { z } from 'zod';
import { RuleDocument } from './rules.js';
import { Symbol } from './symbol.js';

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const num = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export { Symbol };

/** A market data set's name: `simulated`, `import`, or one chosen when fetching (`nasdaq-yahoo`). */
export const DatasetName = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a data set name (letters, digits, . _ -, at most 64)');

/** The data set a model trades on unless a start request names another. */
export const DEFAULT_DATASET = 'simulated';

/** Share of equity a signal strategy puts into each new position (the risk rules may cap it). */
const positionPct = num(0.01, 100).default(25);

export const BuyAndHoldParams = z.strictObject({});
export const SmaCrossoverParams = z
  .strictObject({ fast: int(2, 200).default(10), slow: int(3, 400).default(30), position_pct: positionPct })
  .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow', path: ['fast'] });
export const RsiMeanReversionParams = z
  .strictObject({ period: int(2, 100).default(14), low: num(1, 99).default(30), high: num(1, 99).default(70), position_pct: positionPct })
  .refine((p) => p.low < p.high, { message: 'low must be less than high', path: ['low'] });
export const RandomParams = z.strictObject({
  seed: int(0, 2 ** 31 - 1).default(42),
  probability: num(0, 1).default(0.1),
  position_pct: positionPct,
});
export const LlmParams = z.strictObject({
  base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  model: z.string().trim().min(1, 'is required').max(200),
  /** Write-only: stored encrypted, never returned. */
  api_key: z.string().max(500).optional(),
  temperature: num(0, 2).default(0.2),
  max_tool_calls_per_step: int(1, 50).default(10),
  instructions: z.string().max(4000, 'must be at most 4000 characters').default(''),
});

export const AgentKind = z.enum(['buy_and_hold', 'sma_crossover', 'rsi_mean_reversion', 'random', 'llm', 'rules']);
export type AgentKind = z.infer<typeof AgentKind>;

export const AgentSpec = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('buy_and_hold'), params: BuyAndHoldParams.default({}) }),
    z.strictObject({ kind: z.literal('sma_crossover'), params: SmaCrossoverParams.default({ fast: 10, slow: 30, position_pct: 25 }) }),
    z.strictObject({
      kind: z.literal('rsi_mean_reversion'),
      params: RsiMeanReversionParams.default({ period: 14, low: 30, high: 70, position_pct: 25 }),
    }),
    z.strictObject({ kind: z.literal('random'), params: RandomParams.default({ seed: 42, probability: 0.1, position_pct: 25 }) }),
    z.strictObject({ kind: z.literal('llm'), params: LlmParams }),
    z.strictObject({ kind: z.literal('rules'), params: RuleDocument }),
  ],
  { error: 'kind must be one of buy_and_hold, sma_crossover, rsi_mean_reversion, random, llm, rules' },
);
export type AgentSpec = z.infer<typeof AgentSpec>;

/**
 * Limits the broker enforces on every order. By default a position may take all of equity, so a
 * one-symbol buy-and-hold is fully invested; strategies size their own positions (position_pct).
 */
export const RiskRules = z.strictObject({
  max_position_pct: num(0.01, 100).default(100),
  max_orders_per_step: int(1, 1000).default(5),
  stop_loss_pct: num(0.01, 100).nullable().default(null),
  max_drawdown_pct: num(0.01, 100).nullable().default(null),
  min_cash_pct: num(0, 100).default(0),
});
export type RiskRules = z.infer<typeof RiskRules>;

const RISK_DEFAULTS: RiskRules = {
  max_position_pct: 100,
  max_orders_per_step: 5,
  stop_loss_pct: null,
  max_drawdown_pct: null,
  min_cash_pct: 0,
};

const modelFields = {
  name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  description: z.string().max(2000, 'must be at most 2000 characters').default(''),
  agent: AgentSpec,
  initial_cash: z
    .number({ error: 'must be a number' })
    .positive('must be greater than 0')
    .max(1e12, 'must be at most 1000000000000')
    .default(10_000),
  allowed_symbols: z.array(Symbol).max(500, 'must list at most 500 symbols').default([]),
  risk: RiskRules.default(RISK_DEFAULTS),
  commission_bps: num(0, 1000).default(0),
  slippage_bps: num(0, 1000).default(5),
  dataset: DatasetName.default(DEFAULT_DATASET),
};

export const ModelCreate = z.strictObject(modelFields);
export type ModelCreate = z.infer<typeof ModelCreate>;

/** PUT replaces only the fields it names; the rest keep their values. */
export const ModelUpdate = z.strictObject({
  name: modelFields.name.optional(),
  description: z.string().max(2000, 'must be at most 2000 characters').optional(),
  agent: AgentSpec.optional(),
  initial_cash: z.number({ error: 'must be a number' }).positive('must be greater than 0').max(1e12).optional(),
  allowed_symbols: z.array(Symbol).max(500).optional(),
  /** Merged into the model's rules: send only the rules to change. */
  risk: z
    .strictObject({
      max_position_pct: num(0.01, 100).optional(),
      max_orders_per_step: int(1, 1000).optional(),
      stop_loss_pct: num(0.01, 100).nullable().optional(),
      max_drawdown_pct: num(0.01, 100).nullable().optional(),
      min_cash_pct: num(0, 100).optional(),
    })
    .optional(),
  commission_bps: num(0, 1000).optional(),
  slippage_bps: num(0, 1000).optional(),
  dataset: DatasetName.optional(),
});
export type ModelUpdate = z.infer<typeof ModelUpdate>;

/** What the API shows of an agent: the params minus secrets. */
export const AgentView = z.object({
  kind: AgentKind,
  params: z.record(z.string(), z.unknown()),
  api_key_set: z.boolean().optional(),
});

export const ModelStatus = z.enum(['idle', 'running']);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** How a model's latest run went: what its card and badge tell after a reload. */
export const LastRun = z.object({
  id: z.number().int(),
  run_number: z.number().int(),
  status: z.enum(['running', 'completed', 'stopped', 'interrupted', 'failed']),
  /** Why it failed (null otherwise). */
  error: z.string().nullable(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  /** Total return of a finished run; null while running or when it never traded a day. */
  return_pct: z.number().nullable(),
});
export type LastRun = z.infer<typeof LastRun>;

export const Model = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  name: z.string(),
  description: z.string(),
  agent: AgentView,
  initial_cash: z.number(),
  allowed_symbols: z.array(z.string()),
  risk: RiskRules,
  commission_bps: z.number(),
  slippage_bps: z.number(),
  dataset: z.string(),
  status: ModelStatus,
  /** The latest run and its outcome; null before the first run. */
  last_run: LastRun.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Model = z.infer<typeof Model>;
