import type { ModelWrite } from '../storage/records.js';

/** A valid model as storage takes it; tests override what they care about. */
export const modelWrite = (name: string, extra: Partial<ModelWrite> = {}): ModelWrite => ({
  name,
  description: '',
  agent_kind: 'sma_crossover',
  agent_params: { fast: 10, slow: 30 },
  agent_secret: null,
  initial_cash: 10_000,
  allowed_symbols: [],
  risk: { max_position_pct: 25, max_orders_per_step: 5, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 },
  commission_bps: 0,
  slippage_bps: 5,
  dataset: 'simulated',
  ...extra,
});
