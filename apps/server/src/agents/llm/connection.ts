import { type LlmEndpoint, openLlmClient } from './client.js';
import { describeLlmError } from './errors.js';

export type ConnectionCheck = { ok: true; model: string; latency_ms: number } | { ok: false; error: string };

/** One tiny completion: proves the URL, the key and the model name before a run depends on them. */
export async function checkConnection(endpoint: LlmEndpoint): Promise<ConnectionCheck> {
  const started = performance.now();
  try {
    const reply = await openLlmClient(endpoint).chat.completions.create({
      model: endpoint.model,
      messages: [{ role: 'user', content: 'Reply with the word OK.' }],
    });
    return { ok: true, model: reply.model || endpoint.model, latency_ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, error: describeLlmError(e, endpoint) };
  }
}
