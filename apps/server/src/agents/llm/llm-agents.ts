import { LlmParams } from '@tradewire/contract';
import type { Agent } from '../agent.js';
import type { SecretBox } from '../../auth/secret-box.js';
import type { SessionHooks } from '../../engine/session.js';
import type { ModelRecord } from '../../storage/records.js';
import type { LlmEndpoint } from './client.js';
import { LlmAgent } from './llm-agent.js';

export interface LlmDeps {
  secrets: SecretBox;
  /** Per request, and per silent gap in a streamed answer. */
  timeoutMs: number;
}

/** The model's stored settings and its key, opened only in memory for the calls it makes. */
export function llmSetup(model: ModelRecord, deps: LlmDeps) {
  const params = LlmParams.omit({ api_key: true }).parse(model.agent_params);
  let apiKey: string | null = null;
  if (model.agent_secret !== null) {
    try {
      apiKey = deps.secrets.open(model.agent_secret);
    } catch {
      throw new Error('the stored API key cannot be decrypted (was the server secret changed?): set it again');
    }
  }
  const endpoint: LlmEndpoint = { baseUrl: params.base_url, model: params.model, apiKey, timeoutMs: deps.timeoutMs };
  return { params, endpoint };
}

/** The engine's factory for `llm` agents: the same broker costs and rules as every other agent. */
export function llmAgentFactory(deps: LlmDeps) {
  return (model: ModelRecord, hooks: SessionHooks): Agent => {
    const { params, endpoint } = llmSetup(model, deps);
    const costs = { risk: model.risk, commissionBps: model.commission_bps, slippageBps: model.slippage_bps };
    return new LlmAgent(endpoint, params, costs, hooks, model.initial_cash);
  };
}
