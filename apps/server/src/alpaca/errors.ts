import { ApiError, FetchError } from '@alpacahq/alpaca-trade-api';

/**
 * Why a call to Alpaca's paper API failed: `keys` (401: wrong or revoked keys), `forbidden`
 * (403 outside an order: not allowed for these keys), `refused` (4xx: Alpaca would not do it),
 * `rate_limited` (429 after retries), `server` (5xx after retries), `unreachable` (network,
 * timeout). An order Alpaca refuses is not an error: it becomes a rejected fill.
 */
export type AlpacaErrorKind = 'keys' | 'forbidden' | 'refused' | 'rate_limited' | 'server' | 'unreachable';

export class AlpacaError extends Error {
  override name = 'AlpacaError';
  constructor(
    readonly kind: AlpacaErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Alpaca's own words for a failed call (its `{code, message}` envelope), or null for a network failure. */
export function alpacaMessage(e: unknown): string | null {
  return e instanceof ApiError ? e.message || `HTTP ${e.status}` : null;
}

/** `e` (thrown by the official client while doing `what`) as an AlpacaError a person can act on. */
export function alpacaError(e: unknown, what: string): AlpacaError {
  if (e instanceof AlpacaError) return e;
  if (e instanceof ApiError) {
    const said = e.message || 'no message';
    if (e.status === 401) return new AlpacaError('keys', `Alpaca refused the keys while ${what} (401 ${said}): check the Alpaca paper key id and secret`, 401);
    if (e.status === 403) return new AlpacaError('forbidden', `Alpaca refused ${what} (403 ${said}): are these keys for a paper account?`, 403);
    if (e.status === 429) return new AlpacaError('rate_limited', `Alpaca rate-limited ${what} (429): too many requests with these keys, retried with backoff`, 429);
    if (e.status >= 500) return new AlpacaError('server', `Alpaca failed ${what} (HTTP ${e.status} ${said})`, e.status);
    return new AlpacaError('refused', `Alpaca refused ${what} (HTTP ${e.status} ${said})`, e.status);
  }
  if (e instanceof FetchError) {
    const cause = e.cause as (Error & { cause?: { code?: string } }) | undefined;
    const why = cause?.name === 'TimeoutError' ? 'timed out' : (cause?.cause?.code ?? cause?.message ?? e.message);
    return new AlpacaError('unreachable', `Alpaca's paper API is unreachable while ${what}: ${why}`);
  }
  return new AlpacaError('unreachable', `Alpaca's paper API failed while ${what}: ${e instanceof Error ? e.message : String(e)}`);
}
