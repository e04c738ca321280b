import { type LlmEndpoint, openLlmClient } from './client.js';
import { assertPublicHost } from './egress.js';
import { describeLlmError } from './errors.js';

export type ConnectionCheck = { ok: true; model: string; latency_ms: number } | { ok: false; error: string };

/** Tokens the check's one-word answer may use. */
const CHECK_MAX_TOKENS = 16;

/**
 * One tiny completion: proves the URL, the key and the model name before a run depends on them.
 * A host the server may not call is refused before any connection is made, so how long the
 * check takes says nothing about what listens there.
 */
export async function checkConnection(endpoint: LlmEndpoint): Promise<ConnectionCheck> {
  const started = performance.now();
  try {
    if (!endpoint.policy.allowPrivateHosts) await assertPublicHost(endpoint.baseUrl);
    const reply = await openLlmClient(endpoint).chat.completions.create({
      model: endpoint.model,
      messages: [{ role: 'user', content: 'Reply with the word OK.' }],
      max_tokens: Math.min(CHECK_MAX_TOKENS, endpoint.policy.maxTokens),
    });
    // The SDK hands over a body that is not JSON as text: some other kind of server answered.
    if (typeof reply !== 'object' || reply === null || !Array.isArray(reply.choices)) {
      return { ok: false, error: 'the answer is not a chat completion: is base_url an OpenAI-compatible endpoint (often ending in /v1)?' };
    }
    return { ok: true, model: typeof reply.model === 'string' && reply.model ? reply.model.slice(0, 200) : endpoint.model, latency_ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, error: describeLlmError(e, endpoint) };
  }
}
