import { ErrorBody } from '@tradewire/contract';
import { authStore } from './auth-store';
import { errorText } from './error-text';

/** A failed API call: the server's error code and message, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent as it is (an uploaded file) instead of as JSON. */
  raw?: { body: BodyInit; contentType: string };
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Builds a same-origin URL: the dashboard is served by the API it talks to. */
export function apiUrl(path: string, query?: RequestOptions['query']) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: Method, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = authStore.get()?.accessToken;
  if (token) headers.authorization = `Bearer ${token}`;
  // An empty body with a JSON content type is a 400 on the server, so only say JSON when sending some.
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.raw) headers['content-type'] = opts.raw.contentType;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      body: opts.raw ? opts.raw.body : opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection.');
  }
  if (res.ok) return res;

  let error: ApiError;
  try {
    const parsed = ErrorBody.safeParse(await res.json());
    error = parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details)
      : new ApiError(res.status, 'http_error', res.statusText || `HTTP ${res.status}`);
  } catch {
    error = new ApiError(res.status, 'http_error', res.statusText || `HTTP ${res.status}`);
  }
  // A rejected token means the session is over; a 401 without one is a failed login, shown as such.
  if (res.status === 401 && token) authStore.signOut();
  throw error;
}

async function json<T>(method: Method, path: string, opts?: RequestOptions): Promise<T> {
  const res = await send(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => json<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => json<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => json<T>('PUT', path, { ...opts, body }),
  delete: <T = void>(path: string, opts?: RequestOptions) => json<T>('DELETE', path, opts),
  /** Sends a file's bytes as they are and reads the JSON answer. */
  upload: <T>(path: string, file: Blob, opts?: RequestOptions) =>
    json<T>('POST', path, { ...opts, raw: { body: file, contentType: 'application/octet-stream' } }),
  /** A POST whose answer is read as it arrives (a streamed reply), with the same auth and errors. */
  stream: (path: string, body: unknown, opts?: RequestOptions) => send('POST', path, { ...opts, body }),
  /** A non-JSON download (e.g. a CSV export), with the same auth and errors. */
  blob: async (path: string, opts?: RequestOptions) => (await send('GET', path, opts)).blob(),
};

/** What to tell a person about a failure: the friendly text of an API error code with the server's words in brackets. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const { summary, detail } = errorText(e.code, e.status, e.message);
    return detail ? `${summary} (${detail})` : summary;
  }
  return e instanceof Error ? e.message : 'Something went wrong';
}
