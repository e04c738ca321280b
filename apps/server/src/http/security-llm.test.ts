import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateHostRefused, egressFetch, isPublicAddress } from '../agents/llm/egress.js';
import { TRUNCATED, TextBudget, truncateBytes } from '../agents/llm/text-budget.js';
import { type FakeOpenAI, type FakeReply, type FakeRequest, startFakeOpenAI } from '../test/fake-llm.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream } from '../test/sse.js';

const API_KEY = 'sk-security-5Rb8Lq2Wz7Mx';
const MB = 1024 * 1024;

/** A user on `t` with an LLM model on `fake`; returns what the tests need. */
async function llmSetup(t: TestServer, fake: FakeOpenAI, params: Record<string, unknown> = {}) {
  const { token } = await signup(t);
  const symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.slice(0, 2).map((s: { symbol: string }) => s.symbol) as string[];
  const res = await t.req('POST', '/api/models', {
    token,
    body: { name: `LLM ${Math.random()}`, agent: { kind: 'llm', params: { base_url: fake.baseUrl, model: 'fake-trader', api_key: API_KEY, ...params } }, allowed_symbols: symbols },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { token, symbols, id: res.body.id as number };
}

/** Runs the model over a few days and waits for its `complete` event; returns the run. */
async function runToEnd(t: TestServer, token: string, id: number) {
  const stream = openStream(`${t.url}/api/trading/stream/${id}?token=${token}`);
  await stream.opened;
  const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-09-01', end_date: '2026-09-04', pace_ms: 0 } });
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  await stream.waitFor((e) => e.type === 'complete', 25_000);
  stream.close();
  return { run: (await t.req('GET', `/api/models/${id}/runs/${start.body.id}`, { token })).body, stream };
}

/** One server with the default limits for the describes that need nothing else; its first account is the admin. */
let shared: TestServer;
let sharedAdmin: string;
beforeAll(async () => {
  shared = await startTestServer({ LOG_LEVEL: 'warn' });
  sharedAdmin = (await signup(shared)).token;
});
afterAll(() => shared?.close());

describe('LLM answers are bounded (LLM_MAX_* with their defaults)', () => {
  let t: TestServer;
  let fake: FakeOpenAI;
  let script: (req: FakeRequest) => FakeReply = () => ({ kind: 'answer', text: 'OK' });

  beforeAll(async () => {
    t = shared;
    fake = await startFakeOpenAI((req) => script(req));
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a provider streaming 300 MB fails the run with a clear error; the server reads about 1 MB and its RSS stays bounded', async () => {
    const { token, id } = await llmSetup(t, fake);
    script = () => ({ kind: 'flood', bytes: 300 * MB });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const { run } = await runToEnd(t, token, id);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - rssBefore) / MB;
    console.log(`300 MB flood: provider wrote ${(fake.floodedBytes / MB).toFixed(1)} MB before the server hung up; RSS ${(rssBefore / MB).toFixed(0)} MB -> peak ${(peak / MB).toFixed(0)} MB (+${growthMb.toFixed(1)} MB)`);

    expect(run.status).toBe('failed');
    expect(run.error).toBe("the model's answer exceeded 1048576 bytes (LLM_MAX_ANSWER_BYTES): the request was aborted");
    // The request was cut: the provider got nowhere near 300 MB out (socket buffers hold a few MB at most).
    expect(fake.floodedBytes).toBeLessThan(32 * MB);
    // The bound this test states: the server process (with the fake in it) grows by less than 100 MB.
    expect(growthMb).toBeLessThan(100);
    // What was stored stays small: the reasoning of the step was cut at 64 KiB with the marker.
    const exported = await fetch(`${t.url}/api/models/${id}/runs/${run.id}/events`, { headers: { authorization: `Bearer ${token}` } });
    const body = await exported.text();
    expect(body.length).toBeLessThan(256 * 1024);
    const reasoning = (JSON.parse(body).items as { type: string; data: { text: string } }[]).filter((e) => e.type === 'reasoning').map((e) => e.data.text).join('');
    expect(Buffer.byteLength(reasoning)).toBeLessThanOrEqual(65_536 + Buffer.byteLength(TRUNCATED));
    expect(reasoning.endsWith(TRUNCATED)).toBe(true);
  }, 40_000);

  it('a plain (non-streamed) answer of 300 MB to test-connection is cut the same way', async () => {
    const { token, id } = await llmSetup(t, fake);
    script = () => ({ kind: 'flood', bytes: 300 * MB });
    const before = fake.floodedBytes;
    const res = await t.req('POST', `/api/models/${id}/test-connection`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, error: "the model's answer exceeded 1048576 bytes (LLM_MAX_ANSWER_BYTES): the request was aborted" });
    expect(fake.floodedBytes - before).toBeLessThan(32 * MB);
  });

  it('refuses orders for symbols the run does not trade: never recorded, the reason in the logs', async () => {
    const { token, id, symbols } = await llmSetup(t, fake);
    script = (req) => {
      const turn = req.body.messages.filter((m) => m.role === 'assistant').length;
      if (turn > 0) return { kind: 'answer', text: 'Done.' };
      const buy = (symbol: string) => ({ name: 'buy', arguments: JSON.stringify({ symbol, quantity: 1 }) });
      return { kind: 'answer', text: 'Buying.', toolCalls: [buy('=EVIL()'), buy('ZZZFAKE'), buy(symbols[0]!)] };
    };
    const { run } = await runToEnd(t, token, id);
    expect(run.status).toBe('completed');
    const trades = (await t.req('GET', `/api/models/${id}/trades?run_id=${run.id}&limit=1000`, { token })).body.items as { symbol: string }[];
    expect(trades.length).toBeGreaterThan(0);
    expect(new Set(trades.map((x) => x.symbol))).toEqual(new Set([symbols[0]]));
    const logs = (await t.req('GET', `/api/models/${id}/logs?run_id=${run.id}&limit=1000`, { token })).body.items.map((l: { message: string }) => l.message) as string[];
    expect(logs.some((m) => m.includes(`tool call buy failed: unknown symbol ZZZFAKE; tradable: ${symbols.join(', ')}`))).toBe(true);
    expect(logs.some((m) => m.includes('tool call buy failed: unknown symbol =EVIL()'))).toBe(true);
  });

  it('sends max_tokens with every request', async () => {
    const { token, id } = await llmSetup(t, fake);
    script = () => ({ kind: 'answer', text: 'Holding.', toolCalls: [{ name: 'finish_step', arguments: '{"summary":"hold"}' }] });
    const before = fake.requests.length;
    await runToEnd(t, token, id);
    const sent = fake.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(r.body.max_tokens).toBe(8192);
    await t.req('POST', `/api/models/${id}/test-connection`, { token });
    expect(fake.requests.at(-1)!.body.max_tokens).toBeLessThanOrEqual(16);
  });
});

describe('LLM tool arguments and reasoning are bounded (small limits)', () => {
  let t: TestServer;
  let fake: FakeOpenAI;
  let script: (req: FakeRequest) => FakeReply = () => ({ kind: 'answer', text: 'OK' });

  beforeAll(async () => {
    t = await startTestServer({ LOG_LEVEL: 'warn', LLM_MAX_TOOL_ARG_BYTES: '1024', LLM_MAX_REASONING_BYTES: '2048' });
    fake = await startFakeOpenAI((req) => script(req));
  });
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  it('refuses a tool call whose arguments pass LLM_MAX_TOOL_ARG_BYTES, and the model hears why', async () => {
    const { token, id, symbols } = await llmSetup(t, fake);
    const huge = JSON.stringify({ symbol: symbols[0], quantity: 1, reason: 'x'.repeat(5000) });
    script = (req) => {
      const turn = req.body.messages.filter((m) => m.role === 'assistant').length;
      return turn === 0 ? { kind: 'answer', text: 'Buying.', toolCalls: [{ name: 'buy', arguments: huge }] } : { kind: 'answer', text: 'Done.' };
    };
    const before = fake.requests.length;
    const { run } = await runToEnd(t, token, id);
    expect(run.status).toBe('completed');
    const toolResults = fake.requests.slice(before).flatMap((r) => r.body.messages.filter((m) => m.role === 'tool').map((m) => m.content));
    expect(toolResults).toContain(JSON.stringify({ error: 'arguments exceed 1024 bytes: the call was refused' }));
    // The oversized arguments are not sent back to the provider either.
    const echoed = fake.requests.slice(before).flatMap((r) => r.body.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.function.arguments));
    for (const a of echoed) expect(a.length).toBeLessThanOrEqual(1024);
    const trades = (await t.req('GET', `/api/models/${id}/trades?run_id=${run.id}`, { token })).body.items;
    expect(trades).toEqual([]);
  });

  it('stores at most LLM_MAX_REASONING_BYTES of reasoning per step, cut with a marker', async () => {
    const { token, id } = await llmSetup(t, fake);
    const thinking = 'I think the market will go up. '.repeat(400); // 12,400 bytes per answer
    script = () => ({ kind: 'answer', thinking, text: `=HYPERLINK("http://evil") ${'y'.repeat(6000)}` });
    const { run, stream } = await runToEnd(t, token, id);
    expect(run.status).toBe('completed');
    const progress = stream.events.filter((e) => e.type === 'progress').length;
    expect(progress).toBeGreaterThan(1);
    // Per step: the streamed reasoning between two progress events stays within the bound.
    let step = '';
    for (const e of stream.events) {
      if (e.type === 'reasoning') step += (e.data as { text: string }).text;
      if (e.type === 'progress') {
        expect(Buffer.byteLength(step)).toBeLessThanOrEqual(2048 + Buffer.byteLength(TRUNCATED));
        expect(step.endsWith(TRUNCATED)).toBe(true);
        step = '';
      }
    }
    // The day's summary (the hold message) and the log lines are cut too.
    const holds = stream.events.filter((e) => e.type === 'trade').map((e) => e.data.message);
    for (const m of holds) expect(Buffer.byteLength(m)).toBeLessThan(2048 + 100);
    const logs = (await t.req('GET', `/api/models/${id}/logs?run_id=${run.id}&limit=1000`, { token })).body.items as { message: string }[];
    for (const l of logs) expect(Buffer.byteLength(l.message)).toBeLessThan(2048 + 200);
  });

  it('cuts text on character boundaries', () => {
    expect(truncateBytes('héllo wörld', 2)).toBe(`h${TRUNCATED}`);
    expect(truncateBytes('héllo wörld', 3)).toBe(`hé${TRUNCATED}`);
    expect(truncateBytes('short', 10)).toBe('short');
    const budget = new TextBudget(5);
    expect(budget.take('abc')).toBe('abc');
    expect(budget.take('déf')).toBe(`d${TRUNCATED}`);
    expect(budget.take('more')).toBe('');
    expect(budget.exhausted).toBe(true);
  });
});

describe('stored API keys stay with their host', () => {
  let t: TestServer;
  let a: FakeOpenAI;
  let b: FakeOpenAI;

  beforeAll(async () => {
    t = shared;
    [a, b] = await Promise.all([startFakeOpenAI(() => ({ kind: 'answer', text: 'OK' })), startFakeOpenAI(() => ({ kind: 'answer', text: 'OK' }))]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const agent = (base_url: string, extra: object = {}) => ({ kind: 'llm', params: { base_url, model: 'fake-trader', ...extra } });

  it('PUT with a new base_url and no api_key clears the key: it is never sent to the new host', async () => {
    const { token, id } = await llmSetup(t, a);
    const moved = await t.req('PUT', `/api/models/${id}`, { token, body: { agent: agent(b.baseUrl) } });
    expect(moved.status).toBe(200);
    expect(moved.body.agent.api_key_set).toBe(false);
    expect((await t.req('POST', `/api/models/${id}/test-connection`, { token })).body).toMatchObject({ ok: true });
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]!.headers.authorization).not.toContain(API_KEY);
    // Moving back does not bring the old key back either.
    const back = await t.req('PUT', `/api/models/${id}`, { token, body: { agent: agent(a.baseUrl) } });
    expect(back.body.agent.api_key_set).toBe(false);
  });

  it('keeps the key when base_url stays, and takes a key sent with a new base_url', async () => {
    const { token, id } = await llmSetup(t, a);
    const same = await t.req('PUT', `/api/models/${id}`, { token, body: { agent: agent(a.baseUrl, { temperature: 0.5 }) } });
    expect(same.body.agent.api_key_set).toBe(true);
    const withKey = await t.req('PUT', `/api/models/${id}`, { token, body: { agent: agent(b.baseUrl, { api_key: 'sk-new-host-key' }) } });
    expect(withKey.body.agent.api_key_set).toBe(true);
    await t.req('POST', `/api/models/${id}/test-connection`, { token });
    expect(b.requests.at(-1)!.headers.authorization).toBe('Bearer sk-new-host-key');
  });
});

describe('outbound calls to private hosts (LLM_ALLOW_PRIVATE_HOSTS off)', () => {
  let t: TestServer;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    t = await startTestServer({ LOG_LEVEL: 'warn', LLM_ALLOW_PRIVATE_HOSTS: '0' });
    fake = await startFakeOpenAI(() => ({ kind: 'answer', text: 'OK' }));
  });
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  it('test-connection refuses loopback, 0.0.0.0, private, link-local and encoded addresses, and names that resolve to them, before connecting', async () => {
    const { token } = await signup(t);
    const port = new URL(fake.baseUrl).port;
    const targets = [
      `http://127.0.0.1:${port}/v1`,
      `http://localhost:${port}/v1`,
      `http://0.0.0.0:${port}/v1`,
      `http://0:${port}/v1`,
      `http://2130706433:${port}/v1`,
      `http://0177.0.0.1:${port}/v1`,
      `http://0x7f.0.0.1:${port}/v1`,
      `http://0x7f000001:${port}/v1`,
      `http://[::1]:${port}/v1`,
      `http://[::ffff:127.0.0.1]:${port}/v1`,
      `http://[::]:${port}/v1`,
      'http://169.254.169.254/latest',
      'http://10.1.2.3/v1',
      'http://172.16.0.1/v1',
      'http://192.168.0.10:11434/v1',
      'http://100.64.0.1/v1',
      'http://[fd00::1]/v1',
      'http://[fe80::1]/v1',
    ];
    for (const base_url of targets) {
      const created = await t.req('POST', '/api/models', { token, body: { name: `SSRF ${base_url}`, agent: { kind: 'llm', params: { base_url, model: 'm', api_key: API_KEY } } } });
      expect(created.status, `${base_url}: ${JSON.stringify(created.body)}`).toBe(201);
      const res = await t.req('POST', `/api/models/${created.body.id}/test-connection`, { token });
      expect(res.status).toBe(200);
      expect(res.body.ok, base_url).toBe(false);
      expect(res.body.error, base_url).toMatch(/^base_url: .+ is or resolves to a private, loopback or link-local address; the server refuses it unless LLM_ALLOW_PRIVATE_HOSTS=1$/);
    }
    // Nothing ever connected to the loopback fake: refused before any connection, so no timing to measure.
    expect(fake.connections).toBe(0);
  });

  it('an LLM run against a loopback endpoint fails with the same refusal and never connects', async () => {
    const { token, id } = await llmSetup(t, fake);
    const { run } = await runToEnd(t, token, id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^base_url: 127\.0\.0\.1 is or resolves to a private.*LLM_ALLOW_PRIVATE_HOSTS=1$/);
    expect(fake.connections).toBe(0);
  });

  it('checks the addresses a connection actually uses too (a name that resolves to loopback at connect time)', async () => {
    const port = new URL(fake.baseUrl).port;
    const guarded = egressFetch({ maxAnswerBytes: 1024, allowPrivateHosts: false });
    // No pre-check here: the name goes straight to the connection, whose DNS lookup refuses it.
    const failure = await guarded(`http://localhost:${port}/v1/chat/completions`, { method: 'POST', body: '{}' }).then(
      () => null,
      (e: unknown) => e,
    );
    let cause: unknown = failure;
    while (cause instanceof Error && !(cause instanceof PrivateHostRefused)) cause = cause.cause;
    expect(cause).toBeInstanceOf(PrivateHostRefused);
    expect(fake.connections).toBe(0);
    // With private hosts allowed, the same call reaches the fake.
    const allowed = await egressFetch({ maxAnswerBytes: 1 << 20, allowPrivateHosts: true })(`http://localhost:${port}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(allowed.status).toBe(200);
    await allowed.text();
    expect(fake.connections).toBe(1);
  });

  it('classes addresses as public only when they are public unicast', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '93.184.216.34']) expect(isPublicAddress(ip), ip).toBe(true);
    const blocked = ['127.0.0.1', '127.255.0.1', '0.0.0.0', '10.0.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:a00:1::', 'not-an-ip'];
    for (const ip of blocked) expect(isPublicAddress(ip), ip).toBe(false);
  });
});

describe('failed LLM calls say the status, never what the provider answered', () => {
  let t: TestServer;
  let fake: FakeOpenAI;
  let reply: FakeReply = { kind: 'answer', text: 'OK' };
  const INTERNAL = 'internal-only: db_password=hunter2 at 10.0.0.5';

  beforeAll(async () => {
    t = shared;
    fake = await startFakeOpenAI(() => reply);
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('for error statuses and for answers that are not OpenAI responses', async () => {
    const { token, id } = await llmSetup(t, fake);
    const cases: [FakeReply, RegExp][] = [
      [{ kind: 'status', status: 400, message: INTERNAL }, /^request rejected \(400\)/],
      [{ kind: 'status', status: 403, message: INTERNAL }, /^permission denied \(403\)/],
      [{ kind: 'status', status: 422, message: INTERNAL }, /^request rejected \(422\)/],
      [{ kind: 'raw', status: 200, contentType: 'application/json', body: `<html>${INTERNAL}</html>` }, /not valid JSON/],
      [{ kind: 'raw', status: 200, contentType: 'text/html', body: `<html>${INTERNAL}</html>` }, /./],
    ];
    for (const [r, expected] of cases) {
      reply = r;
      const res = await t.req('POST', `/api/models/${id}/test-connection`, { token });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.error).toMatch(expected);
      expect(res.body.error).not.toContain('hunter2');
      expect(res.body.error).not.toContain('10.0.0.5');
    }
    expect(t.logs.join('\n')).not.toContain('hunter2');
  });

  it("is a 404 for an admin testing another user's model, which is never called", async () => {
    expect((await t.req('GET', '/api/auth/me', { token: sharedAdmin })).body.role).toBe('admin');
    const { id } = await llmSetup(t, fake);
    const before = fake.requests.length;
    const res = await t.req('POST', `/api/models/${id}/test-connection`, { token: sharedAdmin });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('model_not_found');
    expect(fake.requests.length).toBe(before);
  });
});
