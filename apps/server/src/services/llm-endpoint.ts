import type { LlmEndpoint } from '../agents/llm/client.js';
import type { LlmPolicy } from '../agents/llm/policy.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { AgentParams } from '../agents/agent.js';

/** An LLM agent's settings and its sealed key (null without one), as its model stores them. */
export interface StoredLlm {
  params: AgentParams<'llm'>;
  sealedKey: string | null;
}

/** The model's LLM settings and its key, opened only in memory for the calls it makes. */
export function openLlmEndpoint({ params, sealedKey }: StoredLlm, secrets: SecretBox, policy: LlmPolicy): LlmEndpoint {
  let apiKey: string | null = null;
  if (sealedKey !== null) {
    try {
      apiKey = secrets.open(sealedKey);
    } catch {
      throw new Error('the stored API key cannot be decrypted (was the server secret changed?): set it again');
    }
  }
  return { baseUrl: params.base_url, model: params.model, apiKey, policy };
}
