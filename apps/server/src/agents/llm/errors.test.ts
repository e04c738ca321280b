import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import type { LlmEndpoint } from './client.js';
import { StreamStalled, describeLlmError } from './errors.js';

const KEY = 'sk-live-9fQ2mX7pL4';
const endpoint: LlmEndpoint = { baseUrl: 'https://user:pass@llm.example.com/v1/', model: 'gpt-test', apiKey: KEY, timeoutMs: 5000 };
const status = (code: number, message: string) => APIError.generate(code, { error: { message } }, undefined, new Headers());

describe('describeLlmError', () => {
  it('says what happened for each kind of failure', () => {
    expect(describeLlmError(status(401, 'bad key'), endpoint)).toBe('authentication failed (401): check the API key');
    expect(describeLlmError(status(401, 'bad key'), { ...endpoint, apiKey: null })).toBe('authentication failed (401): no API key is set');
    expect(describeLlmError(status(404, 'no such model'), endpoint)).toBe('not found (404): check base_url https://llm.example.com/v1 and model "gpt-test"');
    expect(describeLlmError(status(429, 'slow down'), endpoint)).toBe('rate limited (429) after 3 retries');
    expect(describeLlmError(status(503, 'overloaded'), endpoint)).toBe('provider error (503) after 3 retries');
    expect(describeLlmError(status(400, 'tools are not supported by this model'), endpoint)).toBe('request rejected (400): tools are not supported by this model');
    expect(describeLlmError(new APIConnectionTimeoutError(), endpoint)).toBe('timed out after 5000 ms');
    expect(describeLlmError(new StreamStalled('stalled'), endpoint)).toBe('timed out after 5000 ms');
    expect(describeLlmError(new APIConnectionError({ message: 'ECONNREFUSED' }), endpoint)).toBe('cannot reach https://llm.example.com/v1');
  });

  it('never repeats the key a provider echoes back, and keeps provider text short', () => {
    const echoed = describeLlmError(status(403, `key ${KEY} may not use this model ${'x'.repeat(500)}`), endpoint);
    expect(echoed).not.toContain(KEY);
    expect(echoed).toMatch(/^permission denied \(403\): key \[redacted\] may not use this model x+$/);
    expect(echoed.length).toBeLessThan(260);
    expect(describeLlmError(new Error(`boom ${KEY}`), endpoint)).toBe('boom [redacted]');
  });
});
