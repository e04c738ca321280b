import { AgentSpec } from '@tradewire/contract';
import { LlmAgent } from '../agents/llm/llm-agent.js';
import type { LlmPolicy } from '../agents/llm/policy.js';
import { agentContextOf, createAgent } from '../agents/registry.js';
import type { SecretBox } from '../auth/secret-box.js';
import { tradingRulesOf } from '../domain/trading-rules.js';
import type { AgentFactory } from '../engine/session-runner.js';
import { openLlmEndpoint } from './llm-endpoint.js';

/** How sessions get their agents: built-ins from the registry, LLM agents with their opened endpoint. */
export function agentFactory(deps: { secrets: SecretBox; llm: LlmPolicy }): AgentFactory {
  return (model, hooks) => {
    const rules = tradingRulesOf(model);
    return createAgent(AgentSpec.parse({ kind: model.agent_kind, params: model.agent_params }), {
      ...agentContextOf(rules),
      llm: () => {
        const { params, endpoint } = openLlmEndpoint(model, deps.secrets, deps.llm);
        return new LlmAgent(endpoint, params, rules, hooks);
      },
    });
  };
}
