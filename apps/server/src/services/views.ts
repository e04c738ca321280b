import type { LastRun, Model } from '@tradewire/contract';
import type { ModelRecord, RunRecord } from '../storage/records.js';

/** A run as a model's latest outcome. */
export function toLastRun(r: RunRecord): LastRun {
  return {
    id: r.id,
    run_number: r.run_number,
    status: r.status,
    error: r.error,
    started_at: r.started_at,
    ended_at: r.ended_at,
    return_pct: r.metrics?.total_return_pct ?? null,
  };
}

/** The wire view of a model: secrets replaced by `api_key_set`. */
export function toModelView(m: ModelRecord, running: boolean, lastRun: RunRecord | undefined): Model {
  const agent: Model['agent'] = { ...m.agent };
  if (m.agent.kind === 'llm') agent.api_key_set = m.agent_secret !== null;
  return {
    id: m.id,
    user_id: m.user_id,
    name: m.name,
    description: m.description,
    agent,
    initial_cash: m.initial_cash,
    allowed_symbols: m.allowed_symbols,
    risk: m.risk,
    commission_bps: m.commission_bps,
    slippage_bps: m.slippage_bps,
    dataset: m.dataset,
    status: running ? 'running' : 'idle',
    last_run: lastRun ? toLastRun(lastRun) : null,
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}
