/** What a session offers the agent it runs (the LLM agent streams reasoning and counts tokens). */
export interface SessionHooks {
  /** Aborted when the run is stopped or interrupted: cancel calls in flight. */
  signal: AbortSignal;
  /** Text to stream as `reasoning` events (at most 10 per second, batched). */
  reasoning(text: string): void;
  log(level: 'info' | 'warn' | 'error', message: string): Promise<void>;
  usage(u: { prompt_tokens: number; completion_tokens: number }): void;
}
