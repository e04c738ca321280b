import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { MAX_RETRIES, type LlmEndpoint } from './client.js';
import { AnswerTooLarge, PrivateHostRefused } from './egress.js';

/** A stream that went silent for longer than the request timeout (the SDK only times out until headers). */
export class StreamStalled extends Error {}

/** The model's answer broke one of the server's bounds (its text is ours, safe to show). */
export class AnswerRefused extends Error {}

/** `e` or an error it was caused by (the SDK and fetch wrap the errors of the layers below). */
function causeOf<T>(e: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) if (c instanceof type) return c;
  return undefined;
}

/**
 * One line a user can act on, for any failure of a call to the model. Nothing of what the
 * provider answered is repeated, only its status and our own words: a base URL pointed at some
 * internal service must not turn its answers into readable errors, and providers echo keys
 * ("Incorrect API key provided: sk-..."). The key is scrubbed all the same.
 */
export function describeLlmError(e: unknown, endpoint: LlmEndpoint): string {
  const text = plainMessage(e, endpoint);
  return endpoint.apiKey ? text.replaceAll(endpoint.apiKey, '[redacted]') : text;
}

function plainMessage(e: unknown, endpoint: LlmEndpoint): string {
  const retried = `after ${MAX_RETRIES} retries`;
  const ours = causeOf(e, PrivateHostRefused) ?? causeOf(e, AnswerTooLarge) ?? causeOf(e, AnswerRefused);
  if (ours) return ours.message;
  if (e instanceof StreamStalled || e instanceof APIConnectionTimeoutError) return `timed out after ${endpoint.policy.timeoutMs} ms`;
  if (e instanceof APIConnectionError) return `cannot reach ${publicUrl(endpoint.baseUrl)}`;
  if (e instanceof APIError) {
    switch (e.status) {
      case undefined:
        return 'the provider reported an error in its answer';
      case 401:
        return endpoint.apiKey ? 'authentication failed (401): check the API key' : 'authentication failed (401): no API key is set';
      case 403:
        return 'permission denied (403): check the API key and its access to the model';
      case 404:
        return `not found (404): check base_url ${publicUrl(endpoint.baseUrl)} and model "${endpoint.model}"`;
      case 429:
        return `rate limited (429) ${retried}`;
      default:
        return e.status >= 500 ? `provider error (${e.status}) ${retried}` : `request rejected (${e.status}): check the model name and its support for tool calls`;
    }
  }
  if (e instanceof SyntaxError) return 'the provider sent a response that is not valid JSON: is base_url an OpenAI-compatible endpoint?';
  // Our own errors and the SDK's (nothing read from the provider's body reaches here).
  return e instanceof Error ? e.message.slice(0, 200) : 'the call to the model failed';
}

/** The endpoint without any credentials written into the URL. */
function publicUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}
