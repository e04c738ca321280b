import { LlmParams } from '@tradewire/contract';
import type { LlmEndpoint } from '../agents/llm/client.js';
import type { LlmPolicy } from '../agents/llm/policy.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { ModelRecord } from '../storage/records.js';

/** The model's LLM settings and its key, opened only in memory for the calls it makes. */
export function openLlmEndpoint(model: ModelRecord, secrets: SecretBox, policy: LlmPolicy) {
  const params = LlmParams.omit({ api_key: true }).parse(model.agent_params);
  let apiKey: string | null = null;
  if (model.agent_secret !== null) {
    try {
      apiKey = secrets.open(model.agent_secret);
    } catch {
      throw new Error('the stored API key cannot be decrypted (was the server secret changed?): set it again');
    }
  }
  const endpoint: LlmEndpoint = { baseUrl: params.base_url, model: params.model, apiKey, policy };
  return { params, endpoint };
}
