import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type FakeReply, startFakeOpenAI } from '../test/fake-llm.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';

const API_KEY = 'sk-test-connection-3Jd8Qw1Zx5Kp';

describe('POST /api/models/:id/test-connection', () => {
  let t: TestServer;
  let owner: string;
  let other: string;
  let fake: FakeOpenAI;
  let reply: FakeReply = { kind: 'answer', text: 'OK' };

  const model = async (agent: object) => {
    const res = await t.req('POST', '/api/models', { token: owner, body: { name: `Model ${Math.random()}`, agent } });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const llm = (params: object = {}) => model({ kind: 'llm', params: { base_url: fake.baseUrl, model: 'fake-trader', api_key: API_KEY, ...params } });
  const check = (id: number, token = owner) => t.req('POST', `/api/models/${id}/test-connection`, { token });

  beforeAll(async () => {
    t = await startTestServer();
    owner = (await signup(t)).token;
    other = (await signup(t)).token;
    fake = await startFakeOpenAI(() => reply);
  });
  afterAll(async () => {
    await fake.close();
    await t.close();
  });

  it('makes one small call with the stored key and reports the model and latency', async () => {
    reply = { kind: 'answer', text: 'OK' };
    const id = await llm();
    const before = fake.requests.length;
    const res = await check(id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, model: 'fake-model', latency_ms: expect.any(Number) });
    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.model).toBe('fake-trader');
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('works without a key, as local servers need none', async () => {
    reply = { kind: 'answer', text: 'OK' };
    const id = await llm({ api_key: undefined });
    expect((await check(id)).body).toMatchObject({ ok: true });
    expect(fake.requests.at(-1)!.headers.authorization).not.toContain(API_KEY);
  });

  it('reports a rejected key without echoing it', async () => {
    reply = { kind: 'status', status: 401, message: `Incorrect API key provided: ${API_KEY}` };
    const id = await llm();
    const res = await check(id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, error: 'authentication failed (401): check the API key' });
    expect(JSON.stringify(res.body)).not.toContain(API_KEY);
    expect(t.logs.join('\n')).not.toContain(API_KEY);
  });

  it('is a 400 for a model that is not an llm agent', async () => {
    const id = await model({ kind: 'random', params: { seed: 1, probability: 0.5 } });
    const res = await check(id);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`model ${id} is a random agent: only llm agents have a connection to test`);
  });

  it("is a 404 for another user's model and a 401 without a token", async () => {
    const id = await llm();
    expect((await check(id, other)).status).toBe(404);
    expect((await t.req('POST', `/api/models/${id}/test-connection`)).status).toBe(401);
  });
});
