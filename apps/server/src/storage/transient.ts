import { setTimeout as sleep } from 'node:timers/promises';

/** Error codes of a connection that went away (PostgreSQL SQLSTATE classes 08 and 57P, Node sockets). */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /Connection is closed/i,
  /max retries per request/i,
  /Stream isn't writeable/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /commit lock/i,
];

/** True for errors of a dependency that went away for a while (a dropped database connection, Redis restarting). */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  return TRANSIENT_MESSAGES.some((re) => re.test(e.message));
}

export interface RetryOptions {
  /** Gives up (rethrowing the last error) after this long. */
  maxMs: number;
  /** First wait, doubled up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Stops waiting when aborted. */
  signal?: AbortSignal;
  /** Called before each retry (to log it). */
  onRetry?: (e: unknown, attempt: number) => void;
}

/**
 * Runs `fn`, trying again while it fails with a transient error. `fn` gets the attempt number
 * (1 first), so a write can tell a retry apart: one whose first attempt may have been applied
 * before its acknowledgement was lost.
 */
export async function retryTransient<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + opts.maxMs;
  let delay = opts.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isTransient(e) || Date.now() + delay > deadline || opts.signal?.aborted) throw e;
      opts.onRetry?.(e, attempt);
      await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5_000);
    }
  }
}
