import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { MAX_RETRIES, type LlmEndpoint } from './client.js';

/** A stream that went silent for longer than the request timeout (the SDK only times out until headers). */
export class StreamStalled extends Error {}

/** Longest piece of a provider's own error text worth showing. */
const DETAIL_CHARS = 200;

/**
 * One line a user can act on, for any failure of a call to the model. Provider texts are
 * shortened and scrubbed: some echo the key they were sent ("Incorrect API key provided: sk-...").
 */
export function describeLlmError(e: unknown, endpoint: LlmEndpoint): string {
  const scrub = (text: string) => (endpoint.apiKey ? text.replaceAll(endpoint.apiKey, '[redacted]') : text);
  return scrub(plainMessage(e, endpoint, (text) => scrub(text).slice(0, DETAIL_CHARS)));
}

function plainMessage(e: unknown, endpoint: LlmEndpoint, detail: (text: string) => string): string {
  const retried = `after ${MAX_RETRIES} retries`;
  if (e instanceof StreamStalled || e instanceof APIConnectionTimeoutError) return `timed out after ${endpoint.timeoutMs} ms`;
  if (e instanceof APIConnectionError) return `cannot reach ${publicUrl(endpoint.baseUrl)}`;
  if (e instanceof APIError) {
    const text = detail(providerText(e));
    switch (e.status) {
      case undefined:
        return `provider error: ${text}`;
      case 401:
        return endpoint.apiKey ? 'authentication failed (401): check the API key' : 'authentication failed (401): no API key is set';
      case 403:
        return `permission denied (403): ${text}`;
      case 404:
        return `not found (404): check base_url ${publicUrl(endpoint.baseUrl)} and model "${endpoint.model}"`;
      case 429:
        return `rate limited (429) ${retried}`;
      default:
        return e.status >= 500 ? `provider error (${e.status}) ${retried}` : `request rejected (${e.status}): ${text}`;
    }
  }
  if (e instanceof SyntaxError) return `the provider sent a response that is not valid JSON: ${detail(e.message)}`;
  return detail(e instanceof Error ? e.message : String(e));
}

/** The provider's own message without the SDK's status prefix. */
function providerText(e: APIError): string {
  const body = e.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : e.message;
}

/** The endpoint without any credentials written into the URL. */
function publicUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}
