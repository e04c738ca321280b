/** What a person is told for each of the API's error codes; the server's message is the detail. */
const FRIENDLY: Record<string, string> = {
  network_error: 'Can’t reach the server. Check your connection and try again.',
  unauthorized: 'Your session has ended. Log in again.',
  forbidden: 'You don’t have permission to do that.',
  not_found: 'It isn’t there any more: it may have been deleted.',
  conflict: 'That can’t be done right now.',
  validation_error: 'Some of what was entered isn’t valid.',
  bad_request: 'That request couldn’t be carried out.',
  invalid_json: 'The request couldn’t be read.',
  body_too_large: 'That is too large to send (1 MB at most).',
  unsupported_media_type: 'That kind of file isn’t supported.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  bad_url: 'That address isn’t valid.',
  internal_error: 'Something went wrong on the server. Try again in a moment.',
};

const SERVER_TROUBLE = 'The server had a problem. Try again in a moment.';

export interface ErrorText {
  /** One friendly sentence for the code. */
  summary: string;
  /** What the server said, for the curious (null when it adds nothing). */
  detail: string | null;
}

/** The friendly text of an API error code (`http_error` and unknown codes by HTTP status). */
export function errorText(code: string, status: number, message: string): ErrorText {
  const summary = FRIENDLY[code] ?? (status >= 500 ? SERVER_TROUBLE : 'Something went wrong.');
  const detail = message && message !== summary && code !== 'network_error' && code !== 'internal_error' ? message : null;
  return { summary, detail };
}
