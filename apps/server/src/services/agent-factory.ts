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
    return createAgent(model.agent, {
      ...agentContextOf(rules),
      llm: (params) => {
        const endpoint = openLlmEndpoint({ params, sealedKey: model.agent_secret }, deps.secrets, deps.llm);
        return new LlmAgent(endpoint, params, rules, hooks);
      },
    });
  };
}
