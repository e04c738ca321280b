/** What a person is told for each of the API's error codes (the server's one table of codes); the server's message is the detail. */
const FRIENDLY: Record<string, string> = {
  // the browser's own
  network_error: 'Can’t reach the server. Check your connection and try again.',
  // invalid: the message names the field
  bad_request: 'That request couldn’t be carried out.',
  validation_error: 'Some of what was entered isn’t valid.',
  invalid_json: 'The request couldn’t be read.',
  bad_url: 'That address isn’t valid.',
  unknown_dataset: 'There is no market data set by that name.',
  unknown_symbols: 'Some of those symbols aren’t in the market data.',
  dates_out_of_range: 'Those dates are outside the market data’s range.',
  no_market_data: 'There is no market data for that yet.',
  invalid_import: 'That file can’t be imported.',
  fetch_refused: 'That download can’t be started.',
  provider_not_configured: 'That data provider isn’t set up on this server.',
  not_an_llm_model: 'Only LLM agents have a connection to test.',
  backtest_too_large: 'That backtest is too large: choose fewer symbols or a shorter range.',
  // who is asking
  unauthorized: 'Your session has ended. Log in again.',
  forbidden: 'You don’t have permission to do that.',
  // what is asked for
  not_found: 'It isn’t there any more: it may have been deleted.',
  model_not_found: 'That model isn’t there any more: it may have been deleted.',
  run_not_found: 'That run isn’t there any more: it may have been deleted.',
  user_not_found: 'That account isn’t there any more.',
  dataset_not_found: 'There is no market data set by that name.',
  symbol_not_found: 'That symbol isn’t in the market data.',
  fetch_job_not_found: 'That download is no longer known to the server.',
  // the state of things
  conflict: 'That can’t be done right now.',
  model_running: 'The model is running: stop it first.',
  run_running: 'The run is still going: stop it first.',
  name_taken: 'You already have a model with that name.',
  email_taken: 'An account with that email already exists.',
  last_admin: 'This is the last admin: make another account admin first.',
  shutting_down: 'The server is shutting down. Try again in a moment.',
  splits_found: 'The prices jump like a stock split: choose whether to adjust them.',
  backtest_failed: 'The strategy stopped with an error during the backtest.',
  // the request itself
  body_too_large: 'That is too large to send (1 MB at most).',
  unsupported_media_type: 'That kind of file isn’t supported.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  too_many_backtests: 'Other backtests are still running. Wait for one to finish and try again.',
  // what the server depends on
  upstream_failed: 'A service the server depends on didn’t answer. Try again later.',
  dependency_unavailable: 'The server can’t reach its storage right now. Try again shortly.',
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
