/** Bounds on every call to an LLM provider (a user's own endpoint is untrusted input). */
export interface LlmPolicy {
  /** How long one request (or a silent gap in its stream) may take before it fails (LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Bytes of one answer's body, streamed or not; past it the request is aborted and the run fails (LLM_MAX_ANSWER_BYTES). */
  maxAnswerBytes: number;
  /** Bytes of one tool call's arguments; larger calls are refused to the model (LLM_MAX_TOOL_ARG_BYTES). */
  maxToolArgBytes: number;
  /** Bytes of reasoning text stored and streamed per trading step; the rest is cut with a marker (LLM_MAX_REASONING_BYTES). */
  maxReasoningBytes: number;
  /** `max_tokens` sent with every request (LLM_MAX_TOKENS). */
  maxTokens: number;
  /** Whether private, loopback and link-local addresses may be called (a local Ollama; LLM_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts: boolean;
}
