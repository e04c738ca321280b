import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../test/fake-llm.js';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream } from '../test/sse.js';

const TOO_BIG = 2 ** 31; // one past the largest id a 32-bit id column holds
const LARGEST = 2 ** 31 - 1;

/** Input the schema once accepted and PostgreSQL could not store: refused with a 4xx, never a 500, on either storage. */
function schemaBounds(storage: 'sqlite' | 'postgres') {
  describe(`schema bounds match storage (${storage})`, () => {
    let db: TestDatabase | undefined;
    let t: TestServer;
    let admin: string;
    let token: string;
    let model: number;

    beforeAll(async () => {
      db = storage === 'postgres' ? await createTestDatabase() : undefined;
      t = await startTestServer({ LOG_LEVEL: 'warn', ...(db ? { DATABASE_URL: db.url } : {}) });
      admin = (await signup(t)).token;
      token = (await signup(t)).token;
      model = (await t.req('POST', '/api/models', { token, body: { name: 'Mine', agent: { kind: 'buy_and_hold' } } })).body.id;
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await db?.drop();
    });

    it('refuses ids past 2^31 - 1 with 400 naming the field, and finds nothing (404) at 2^31 - 1', async () => {
      const cases: [string, string, unknown, string][] = [
        ['GET', `/api/models/${TOO_BIG}`, undefined, 'params.id'],
        ['PUT', `/api/models/${TOO_BIG}`, { name: 'x' }, 'params.id'],
        ['GET', `/api/models/${model}/runs/${TOO_BIG}`, undefined, 'params.run_id'],
        ['GET', `/api/models/${model}/trades?run_id=${TOO_BIG}`, undefined, 'querystring.run_id'],
        ['GET', `/api/models/${model}/trades?cursor=${TOO_BIG}`, undefined, 'querystring.cursor'],
        ['GET', `/api/models/${model}/logs?cursor=99999999999999`, undefined, 'querystring.cursor'],
        ['GET', `/api/events/search?model_id=${TOO_BIG}`, undefined, 'querystring.model_id'],
        ['POST', '/api/arena', { model_ids: [model, TOO_BIG] }, 'body.model_ids.1'],
        ['GET', `/api/trading/stream/${TOO_BIG}?token=${'TOKEN'}`, undefined, 'params.model_id'],
        ['GET', `/api/stream?models=${TOO_BIG}&token=${'TOKEN'}`, undefined, 'querystring.models'],
        ['POST', `/api/trading/start/${TOO_BIG}`, {}, 'params'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await t.req(method, path.replace('TOKEN', token), { token, body });
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.message, path).toContain(field);
      }
      const role = await t.req('PUT', `/api/admin/users/${TOO_BIG}/role`, { token: admin, body: { role: 'user' } });
      expect(role.status).toBe(400);

      for (const path of [`/api/models/${LARGEST}`, `/api/models/${model}/runs/${LARGEST}`, `/api/trading/status/${LARGEST}`]) {
        expect((await t.req('GET', path, { token })).status, path).toBe(404);
      }
      expect((await t.req('PUT', `/api/admin/users/${LARGEST}/role`, { token: admin, body: { role: 'user' } })).status).toBe(404);
      // Event ids are 64-bit: a large search cursor is simply past every event.
      expect((await t.req('GET', '/api/events/search?cursor=999999999999999', { token })).status).toBe(200);
    });

    it('refuses a NUL character in any text field with 400 naming it, and stores nothing', async () => {
      const before = (await t.req('GET', '/api/models', { token })).body.items.length;
      const llm = (params: object) => ({ name: 'LLM', agent: { kind: 'llm', params: { base_url: 'https://api.example.com/v1', model: 'm', ...params } } });
      const cases: [string, string, unknown, string][] = [
        ['POST', '/api/models', { name: 'bad\0name', agent: { kind: 'buy_and_hold' } }, 'body.name'],
        ['POST', '/api/models', { name: 'ok', description: 'a\0b', agent: { kind: 'buy_and_hold' } }, 'body.description'],
        ['POST', '/api/models', llm({ model: 'gpt\0' }), 'body.agent.params.model'],
        ['POST', '/api/models', llm({ instructions: 'be\0good' }), 'body.agent.params.instructions'],
        ['POST', '/api/models', llm({ api_key: 'sk-\0' }), 'body.agent.params.api_key'],
        ['POST', '/api/models', { name: 'ok', agent: { kind: 'buy_and_hold' }, allowed_symbols: ['AC\0ME'] }, 'body.allowed_symbols.0'],
        ['PUT', `/api/models/${model}`, { name: '\0' }, 'body.name'],
        ['PUT', `/api/models/${model}`, { description: 'x\0' }, 'body.description'],
        ['GET', '/api/events/search?q=a%00b', undefined, 'query.q'],
        ['POST', '/api/auth/signup', { email: 'nul@example.com', password: 'correct horse battery', display_name: 'N\0L' }, 'body.display_name'],
        ['POST', '/api/auth/signup', { email: 'nul\0@example.com', password: 'correct horse battery' }, 'body.email'],
        ['POST', '/api/auth/signup', { email: 'nul2@example.com', password: '\0'.repeat(8) }, 'body.password'],
        ['POST', '/api/auth/login', { email: 'nul@example.com', password: 'x\0' }, 'body.password'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await t.req(method, path, { token, body });
        expect(res.status, `${method} ${path} ${field}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.message, field).toBe(`${field}: must not contain NUL characters`);
        expect(res.body.error.details).toEqual([{ path: field, message: 'must not contain NUL characters' }]);
      }
      // A CSV import with a NUL in it.
      const csv = await t.req('POST', '/api/market/import?symbol=NULX', { token: admin, raw: 'date,open,high,low,close,volume\n2024-01-02,1,1,1,1\0,1', headers: { 'content-type': 'text/csv' } });
      expect(csv.status).toBe(400);
      expect(csv.body.error.message).toBe('body: must not contain NUL characters');
      // An uploaded file is bytes, not text: it is read as the import command reads it, and a NUL in it is refused there.
      for (const file of ['date,open,high,low,close,volume,symbol\n2024-01-02,1,1,1,1,1,AC\0ME', 'date,open,high,low,close,volume\n2024-01-02\0,1,1,1,1,1']) {
        const upload = await t.req('POST', '/api/market/import?filename=NULY.csv', { token: admin, raw: file, headers: { 'content-type': 'application/octet-stream' } });
        expect(upload.status, JSON.stringify(upload.body)).toBeGreaterThanOrEqual(400);
        expect(upload.status, JSON.stringify(upload.body)).toBeLessThan(500);
      }

      expect((await t.req('GET', '/api/models', { token })).body.items.length).toBe(before);
      expect((await t.req('GET', `/api/models/${model}`, { token })).body).toMatchObject({ name: 'Mine', description: '' });
      expect((await t.req('POST', '/api/auth/login', { body: { email: 'nul@example.com', password: 'correct horse battery' } })).status).toBe(401);
    });

    it("stores an LLM's answers full of NUL characters without them", async () => {
      const symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.slice(0, 1).map((s: { symbol: string }) => s.symbol);
      let fake: FakeOpenAI | undefined;
      try {
        fake = await startFakeOpenAI((req) =>
          req.body.messages.some((m) => m.role === 'tool')
            ? { kind: 'answer', text: 'done\0', toolCalls: [{ name: 'finish_step', arguments: '{"summary":"held\\u0000 tight"}' }] }
            : { kind: 'answer', thinking: 'th\0inking', text: 'bu\0ying', toolCalls: [{ name: 'buy', arguments: `{"symbol":"${symbols[0]}","quantity":1,"reason":"why\\u0000 not"}` }] },
        );
        const created = await t.req('POST', '/api/models', { token, body: { name: 'NUL talker', agent: { kind: 'llm', params: { base_url: fake.baseUrl, model: 'm' } }, allowed_symbols: symbols } });
        const id = created.body.id as number;
        const stream = openStream(`${t.url}/api/trading/stream/${id}?token=${token}`);
        await stream.opened;
        const run = (await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-09-01', end_date: '2026-09-03', pace_ms: 0 } })).body;
        await stream.waitFor((e) => e.type === 'complete');
        stream.close();
        const detail = (await t.req('GET', `/api/models/${id}/runs/${run.id}`, { token })).body;
        expect(detail.status, detail.error).toBe('completed');
        const events = await t.req('GET', `/api/models/${id}/runs/${run.id}/events`, { token });
        const text = JSON.stringify(events.body);
        expect(text).toContain('thinking');
        expect(text).toContain('why not');
        expect(text).not.toContain('\\u0000');
      } finally {
        await fake?.close();
      }
    });
  });
}

schemaBounds('sqlite');
schemaBounds('postgres');
