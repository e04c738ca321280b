import { ProviderError } from './provider.js';

/** How a throttled or failed request is repeated: `retries` more times, waiting `backoffMs` doubled each time. */
export interface RetryPolicy {
  retries: number;
  backoffMs: number;
}

/** A failure worth trying again later: HTTP 429 or 5xx, a network error, a provider's throttling note. */
export class Throttled extends Error {
  constructor(
    message: string,
    /** The wait the server asked for (Retry-After), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });

/** The wait before retry `attempt` (0-based): exponential with ±20% jitter, capped at 32 base waits. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const cap = policy.backoffMs * 32;
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, cap);
  return Math.round(Math.min(cap, policy.backoffMs * 2 ** attempt) * (0.8 + Math.random() * 0.4));
}

/** Runs `attempt`, repeating it after a backoff while it fails with Throttled, then gives up with a ProviderError. */
export async function retrying<T>(policy: RetryPolicy, attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof Throttled)) throw e;
      if (i >= policy.retries) throw new ProviderError(`${e.message}; gave up after ${i + 1} tries`);
      await sleep(backoffDelay(policy, i, e.retryAfterMs), signal);
    }
  }
}

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export interface JsonAnswer {
  status: number;
  /** The parsed body; undefined when it was not JSON. */
  body: unknown;
}

/**
 * GETs a JSON document. 429, 5xx, network errors and timeouts throw Throttled (to be retried);
 * any other status is returned for the provider to read its error body. `label` names the
 * request in messages: the URL may carry an API key, so it never appears in one.
 */
export async function getJson(url: URL, label: string, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...init.headers },
      signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      redirect: 'error',
    });
  } catch (e) {
    if (init.signal?.aborted) throw init.signal.reason;
    const cause = timeout.aborted ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : ((e as Error).cause as Error)?.message ?? (e as Error).message;
    throw new Throttled(`${label}: ${cause}`);
  }
  const text = await res.text();
  if (res.status === 429 || res.status >= 500) {
    throw new Throttled(`${label}: HTTP ${res.status}${res.status === 429 ? ' (rate limited)' : ''}`, retryAfter(res.headers.get('retry-after')));
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}
