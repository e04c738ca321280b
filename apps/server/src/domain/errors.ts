/**
 * Every error the API reports on purpose, in one table: a stable code (what clients match on,
 * sent as `error.code`) and a category. The HTTP error handler maps the category to a status
 * once; nothing else translates errors.
 */
export type ErrorCategory =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_large'
  | 'unsupported'
  | 'rate_limited'
  | 'upstream'
  | 'unavailable';

export const ERROR_CODES = {
  // invalid: the request cannot be done as asked; the message names the field
  bad_request: 'invalid',
  validation_error: 'invalid',
  invalid_json: 'invalid',
  bad_url: 'invalid',
  unknown_dataset: 'invalid',
  unknown_symbols: 'invalid',
  dates_out_of_range: 'invalid',
  no_market_data: 'invalid',
  invalid_import: 'invalid',
  fetch_refused: 'invalid',
  provider_not_configured: 'invalid',
  not_an_llm_model: 'invalid',
  backtest_too_large: 'invalid',
  live_unavailable: 'invalid',
  // who is asking
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  // what is asked for
  not_found: 'not_found',
  model_not_found: 'not_found',
  run_not_found: 'not_found',
  user_not_found: 'not_found',
  dataset_not_found: 'not_found',
  symbol_not_found: 'not_found',
  fetch_job_not_found: 'not_found',
  arena_not_found: 'not_found',
  conversation_not_found: 'not_found',
  // the state of things does not allow it now
  conflict: 'conflict',
  model_running: 'conflict',
  run_running: 'conflict',
  name_taken: 'conflict',
  email_taken: 'conflict',
  last_admin: 'conflict',
  shutting_down: 'conflict',
  // the request is well formed, but needs a decision first
  splits_found: 'unprocessable',
  backtest_failed: 'unprocessable',
  assistant_not_configured: 'unprocessable',
  // the request itself
  body_too_large: 'too_large',
  unsupported_media_type: 'unsupported',
  rate_limited: 'rate_limited',
  too_many_backtests: 'rate_limited',
  assistant_token_cap: 'rate_limited',
  // what the server depends on
  upstream_failed: 'upstream',
  dependency_unavailable: 'unavailable',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the caller: its message is safe to show and says what to change. */
export class AppError extends Error {
  override name = 'AppError';
  readonly category: ErrorCategory;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.category = ERROR_CODES[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const modelNotFound = (id: number) => new AppError('model_not_found', `model ${id} not found`);
export const arenaNotFound = (id: number) => new AppError('arena_not_found', `arena ${id} not found`);
export const runNotFound = (runId: number, modelId: number) => new AppError('run_not_found', `run ${runId} of model ${modelId} not found`);
