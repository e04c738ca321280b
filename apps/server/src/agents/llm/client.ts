import OpenAI from 'openai';
import type { LlmPolicy } from './policy.js';
import { egressFetch } from './egress.js';

/** Retries the SDK makes, with backoff, on 408/409/429, 5xx, timeouts and connection errors. */
export const MAX_RETRIES = 3;

/** Where and how to call one model; `apiKey` is the plain key, kept in memory only. */
export interface LlmEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string | null;
  /** The server's bounds on every call (config `llm`). */
  policy: LlmPolicy;
}

/** Local servers (Ollama, vLLM) need no key, but the SDK insists on one. */
const NO_KEY = 'no-key';

/** An SDK client that takes nothing from the environment: every setting comes from the model and the server's policy. */
export function openLlmClient(endpoint: LlmEndpoint): OpenAI {
  return new OpenAI({
    baseURL: endpoint.baseUrl,
    apiKey: endpoint.apiKey ?? NO_KEY,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: endpoint.policy.timeoutMs,
    maxRetries: MAX_RETRIES,
    logLevel: 'off',
    fetch: egressFetch(endpoint.policy),
  });
}
