import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import type { LlmEndpoint } from './client.js';
import { AnswerTooLarge, PrivateHostRefused } from './egress.js';
import { StreamStalled, describeLlmError } from './errors.js';

const KEY = 'sk-live-9fQ2mX7pL4';
const endpoint: LlmEndpoint = {
  baseUrl: 'https://user:pass@llm.example.com/v1/',
  model: 'gpt-test',
  apiKey: KEY,
  policy: { timeoutMs: 5000, maxAnswerBytes: 1024, maxToolArgBytes: 256, maxReasoningBytes: 256, maxTokens: 100, allowPrivateHosts: false },
};
const status = (code: number, message: string) => APIError.generate(code, { error: { message } }, undefined, new Headers());

describe('describeLlmError', () => {
  it('says what happened for each kind of failure', () => {
    expect(describeLlmError(status(401, 'bad key'), endpoint)).toBe('authentication failed (401): check the API key');
    expect(describeLlmError(status(401, 'bad key'), { ...endpoint, apiKey: null })).toBe('authentication failed (401): no API key is set');
    expect(describeLlmError(status(404, 'no such model'), endpoint)).toBe('not found (404): check base_url https://llm.example.com/v1 and model "gpt-test"');
    expect(describeLlmError(status(429, 'slow down'), endpoint)).toBe('rate limited (429) after 3 retries');
    expect(describeLlmError(status(503, 'overloaded'), endpoint)).toBe('provider error (503) after 3 retries');
    expect(describeLlmError(status(400, 'tools are not supported by this model'), endpoint)).toBe('request rejected (400): check the model name and its support for tool calls');
    expect(describeLlmError(new APIConnectionTimeoutError(), endpoint)).toBe('timed out after 5000 ms');
    expect(describeLlmError(new StreamStalled('stalled'), endpoint)).toBe('timed out after 5000 ms');
    expect(describeLlmError(new APIConnectionError({ message: 'ECONNREFUSED' }), endpoint)).toBe('cannot reach https://llm.example.com/v1');
  });

  it("never repeats what the provider answered: only the status and our words", () => {
    const secret = 'internal-admin-panel-token-42';
    for (const code of [400, 403, 409, 422]) {
      const said = describeLlmError(status(code, `key ${KEY} rejected; ${secret}`), endpoint);
      expect(said).toContain(`(${code})`);
      expect(said).not.toContain(KEY);
      expect(said).not.toContain(secret);
    }
    expect(describeLlmError(new APIError(undefined, { message: secret }, undefined, new Headers()), endpoint)).toBe('the provider reported an error in its answer');
    let syntax: unknown;
    try {
      JSON.parse(`<html>${secret}</html>`);
    } catch (e) {
      syntax = e;
    }
    expect(describeLlmError(syntax, endpoint)).not.toContain(secret);
    expect(describeLlmError(new Error(`boom ${KEY}`), endpoint)).toBe('boom [redacted]');
  });

  it('names the bound an answer broke and the refused host, also when wrapped by the SDK', () => {
    const wrapped = new APIConnectionError({ message: 'Connection error.', cause: new TypeError('fetch failed', { cause: new PrivateHostRefused('10.0.0.1') }) });
    expect(describeLlmError(wrapped, endpoint)).toMatch(/^base_url: 10\.0\.0\.1 is or resolves to a private.*LLM_ALLOW_PRIVATE_HOSTS=1$/);
    expect(describeLlmError(new AnswerTooLarge(1024), endpoint)).toBe("the model's answer exceeded 1024 bytes (LLM_MAX_ANSWER_BYTES): the request was aborted");
  });
});
