import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode } from '../domain/errors.js';
import { CATEGORY_STATUS, registerErrorHandler } from './error-handler.js';

const EXPECTED_STATUS: Record<string, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
};

describe('coded errors over HTTP', () => {
  const app = Fastify({ logger: false });
  let url = '';

  beforeAll(async () => {
    registerErrorHandler(app);
    app.get('/throw/:code', async (req) => {
      throw new AppError((req.params as { code: ErrorCode }).code, 'what to change');
    });
    app.get('/crash', async () => {
      throw new Error('secret internals');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => app.close());

  it('maps every code to its category’s status with the code and message in the body', async () => {
    expect(CATEGORY_STATUS).toEqual(EXPECTED_STATUS);
    for (const [code, category] of Object.entries(ERROR_CODES)) {
      const res = await fetch(`${url}/throw/${code}`);
      expect(res.status, code).toBe(EXPECTED_STATUS[category]);
      expect(await res.json()).toEqual({ error: { code, message: 'what to change' } });
    }
  });

  it('answers an unexpected error with 500 and no details', async () => {
    const res = await fetch(`${url}/crash`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
});
