import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantConversationDetail, AssistantStreamEvent, RoundTrips } from '@tradewire/contract';
import { FAKE_USAGE, type FakeOpenAI, type FakeReply, type FakeRequest, startFakeOpenAI } from '../test/fake-llm.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

/** A streamed answer read to its end (or until `stopAfterText` pieces, then the request is aborted). */
async function ask(t: TestServer, token: string, conversationId: number, content: string, opts: { stopAfterText?: number } = {}) {
  const abort = new AbortController();
  const res = await fetch(`${t.url}/api/assistant/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
    signal: abort.signal,
  });
  if (!res.ok) return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } }, events: [] as AssistantStreamEvent[] };
  const events: AssistantStreamEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data) events.push(AssistantStreamEvent.parse(JSON.parse(data.slice(6))));
      }
      if (opts.stopAfterText !== undefined && events.filter((e) => e.type === 'text').length >= opts.stopAfterText) {
        abort.abort();
        break;
      }
    }
  } catch (e) {
    if (!abort.signal.aborted) throw e;
  }
  return { status: res.status, headers: res.headers, body: null, events };
}

/** The JSON a tool answered in the request the fake received, by tool name. */
function toolResults(req: FakeRequest): Record<string, unknown[]> {
  const names = new Map<string, string>();
  const out: Record<string, unknown[]> = {};
  for (const m of req.body.messages) {
    for (const c of m.tool_calls ?? []) names.set(c.id, c.function.name);
    if (m.role === 'tool') (out[names.get(m.tool_call_id!)!] ??= []).push(JSON.parse(m.content!));
  }
  return out;
}

const call = (name: string, args: object = {}) => ({ name, arguments: JSON.stringify(args) });

describe('the run assistant over HTTP', () => {
  let t: TestServer;
  let fake: FakeOpenAI;
  let script: (req: FakeRequest, n: number) => FakeReply = () => ({ kind: 'answer', text: 'OK' });
  let a: { token: string; id: number };
  let b: { token: string; id: number };
  let model: number;
  let run: { id: number; run_number: number };
  let otherRun: { id: number; model: number };
  let ownSecondRun: number;

  const startRun = async (token: string, id: number, end = '2025-12-31') => {
    const started = (await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2025-06-02', end_date: end, pace_ms: 0 } })).body;
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle');
    return started as { id: number; run_number: number };
  };
  const newModel = async (token: string, name: string) => {
    const symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol).slice(0, 4);
    return (await t.req('POST', '/api/models', { token, body: { name, agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: symbols, commission_bps: 10 } })).body.id as number;
  };
  const conversation = async (token: string, body: object) => (await t.req('POST', '/api/assistant/conversations', { token, body })).body.id as number;
  const configure = (token: string, baseUrl = fake.baseUrl) => t.req('PUT', '/api/assistant/endpoint', { token, body: { base_url: baseUrl, model: 'fake-model', api_key: 'sk-test-key' } });

  beforeAll(async () => {
    fake = await startFakeOpenAI((req, n) => script(req, n));
    t = await startTestServer({ LLM_TIMEOUT_MS: '300', ASSISTANT_DAILY_TOKENS: '1000000' });
    const ua = await signup(t);
    const ub = await signup(t);
    a = { token: ua.token, id: ua.user.id };
    b = { token: ub.token, id: ub.user.id };
    model = await newModel(a.token, 'Crosser');
    run = await startRun(a.token, model);
    ownSecondRun = (await startRun(a.token, model, '2025-09-30')).id;
    const bModel = await newModel(b.token, 'Theirs');
    otherRun = { id: (await startRun(b.token, bModel)).id, model: bModel };
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('without an endpoint the question is refused with how to set one, and the endpoint key is never returned', async () => {
    expect((await t.req('GET', '/api/assistant/endpoint', { token: a.token })).body).toEqual({ configured: false, base_url: null, model: null, has_api_key: false });
    const c = await conversation(a.token, { model_id: model, run_id: run.id });
    const refused = await ask(t, a.token, c, 'Why?');
    expect(refused.status).toBe(422);
    expect(refused.body?.error.message).toMatch(/Settings/);

    const bad = await t.req('PUT', '/api/assistant/endpoint', { token: a.token, body: { base_url: 'ftp://x', model: 'm' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/base_url/);

    const saved = await configure(a.token);
    expect(saved.body).toEqual({ configured: true, base_url: fake.baseUrl, model: 'fake-model', has_api_key: true });
    expect(JSON.stringify(saved.body)).not.toContain('sk-test-key');
    const stored = await t.server.ctx.storage.assistant.endpoint(a.id);
    expect(stored?.api_key_secret).toBeTruthy();
    expect(stored?.api_key_secret).not.toContain('sk-test-key');
    // Saving without a key keeps the stored one.
    await t.req('PUT', '/api/assistant/endpoint', { token: a.token, body: { base_url: fake.baseUrl, model: 'fake-model' } });
    expect((await t.req('GET', '/api/assistant/endpoint', { token: a.token })).body.has_api_key).toBe(true);

    script = () => ({ kind: 'answer', text: 'OK' });
    expect((await t.req('POST', '/api/assistant/endpoint/test', { token: a.token })).body).toMatchObject({ ok: true });
  });

  it('answers from the run’s own data through tools, refuses another user’s run, streams and cites trades', async () => {
    await configure(a.token);
    const c = await conversation(a.token, { model_id: model, run_id: run.id });
    const before = fake.requests.length;
    script = (req, n) => {
      const k = n - before;
      if (k === 1)
        return {
          kind: 'answer',
          text: 'Let me look.',
          toolCalls: [call('get_round_trips', { sort: 'pnl_asc', limit: 3 }), call('get_metrics'), call('list_trades', { from: '2025-07-01', to: '2025-08-31' })],
        };
      if (k === 2)
        return {
          kind: 'answer',
          toolCalls: [call('get_metrics', { run_id: otherRun.id }), call('compare_runs', { other_run_id: otherRun.id }), call('compare_runs', { other_run_id: ownSecondRun }), call('get_positions_on', { date: '2025-09-15' })],
        };
      const trips = toolResults(req).get_round_trips![0] as { round_trips: { exit_trade_id: number; symbol: string; pnl: number }[] };
      const worst = trips.round_trips.map((r) => `- [trade ${r.exit_trade_id}] ${r.symbol}: ${r.pnl.toFixed(2)}`).join('\n');
      return { kind: 'answer', text: `The three trades that hurt most:\n\n${worst}\n\nSee [day 2025-07-01] and [trade 999999].` };
    };
    const answer = await ask(t, a.token, c, 'Which three trades hurt most and why?');
    expect(answer.status).toBe(200);
    expect(answer.headers?.get('content-type')).toMatch(/text\/event-stream/);
    expect(fake.requests.length - before).toBe(3);
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-test-key');
    expect(fake.requests[before]!.body.tools!.map((tl) => tl.function.name)).toContain('get_decision_log');

    // What the tools answered is exactly the run's data as the API serves it.
    const results = toolResults(fake.requests.at(-1)!);
    const detail = (await t.req('GET', `/api/models/${model}/runs/${run.id}`, { token: a.token })).body;
    expect((results.get_metrics![0] as { run: { metrics: unknown } }).run.metrics).toEqual(detail.metrics);
    const apiTrips = RoundTrips.parse((await t.req('GET', `/api/models/${model}/runs/${run.id}/round-trips`, { token: a.token })).body);
    const worst3 = [...apiTrips.round_trips].sort((x, y) => x.pnl - y.pnl).slice(0, 3);
    const toolTrips = (results.get_round_trips![0] as { round_trips: (Record<string, unknown> & { exit_trade_id: number })[] }).round_trips;
    expect(toolTrips.map(({ entry_trade_id: _e, exit_trade_id: _x, ...rest }) => rest)).toEqual(worst3);
    const apiTrades = (await t.req('GET', `/api/models/${model}/trades?run_id=${run.id}&limit=1000`, { token: a.token })).body.items as { id: number; date: string; action: string }[];
    const inJulyAugust = apiTrades.filter((x) => x.action !== 'hold' && x.date >= '2025-07-01' && x.date <= '2025-08-31').map((x) => x.id).sort((p, q) => p - q);
    expect((results.list_trades![0] as { rows: { id: number }[] }).rows.map((x) => x.id)).toEqual(inJulyAugust);
    for (const x of toolTrips) expect(apiTrades.find((tr) => tr.id === x.exit_trade_id)).toMatchObject({ action: 'sell', symbol: x.symbol, date: x.exit_date });
    // Another user's run is "not found", by id and in a comparison; the user's own other run compares.
    expect(results.get_metrics![1]).toEqual({ error: `run ${otherRun.id} not found` });
    expect(results.compare_runs![0]).toEqual({ error: `run ${otherRun.id} not found` });
    expect(results.compare_runs![1]).toMatchObject({ this_run: { id: run.id }, other_run: { id: ownSecondRun, model_name: 'Crosser' } });
    expect(results.get_positions_on![0]).toMatchObject({ date: '2025-09-15', equity: expect.any(Number) });

    // Streamed piece by piece; the stored answer is what streamed, with checked citations.
    const texts = answer.events.filter((e) => e.type === 'text');
    expect(texts.length).toBeGreaterThan(5);
    expect(answer.events.filter((e) => e.type === 'tool').map((e) => (e.type === 'tool' ? e.name : ''))).toEqual([
      'get_round_trips',
      'get_metrics',
      'list_trades',
      'get_metrics',
      'compare_runs',
      'compare_runs',
      'get_positions_on',
    ]);
    const done = answer.events.at(-1)!;
    if (done.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    expect(done.message.content).toBe(texts.map((e) => (e.type === 'text' ? e.text : '')).join(''));
    const cited = done.message.citations.filter((x) => x.kind === 'trade').map((x) => (x.kind === 'trade' ? x.trade_id : 0));
    expect(cited.sort((p, q) => p - q)).toEqual(toolTrips.map((x) => x.exit_trade_id).sort((p, q) => p - q));
    expect(done.message.citations).toContainEqual({ kind: 'day', date: '2025-07-01', model_id: model, run_id: run.id, run_number: run.run_number });
    expect(done.message).toMatchObject({ status: 'complete', prompt_tokens: 3 * FAKE_USAGE.prompt_tokens, completion_tokens: 3 * FAKE_USAGE.completion_tokens });
    expect(done.message.latency_ms).toBeGreaterThanOrEqual(0);
    expect(done.message.tools_used).toHaveLength(7);

    const stored = AssistantConversationDetail.parse((await t.req('GET', `/api/assistant/conversations/${c}`, { token: a.token })).body);
    expect(stored.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored.messages[1]).toEqual(done.message);
    expect((await t.req('GET', '/api/assistant/usage', { token: a.token })).body.used_tokens).toBeGreaterThanOrEqual(3 * (FAKE_USAGE.prompt_tokens + FAKE_USAGE.completion_tokens));

    // The next question carries the conversation so far.
    script = () => ({ kind: 'answer', text: 'Still the same three.' });
    await ask(t, a.token, c, 'And now?');
    expect(fake.requests.at(-1)!.body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('a model-wide conversation reads the latest run and lists the model’s runs', async () => {
    const c = await conversation(a.token, { model_id: model });
    const before = fake.requests.length;
    script = (_req, n) => (n - before === 1 ? { kind: 'answer', toolCalls: [call('list_runs'), call('get_metrics')] } : { kind: 'answer', text: 'Two runs.' });
    await ask(t, a.token, c, 'How did my runs do?');
    const results = toolResults(fake.requests.at(-1)!);
    expect((results.list_runs![0] as { runs: { id: number }[] }).runs.map((r) => r.id).sort()).toEqual([run.id, ownSecondRun].sort());
    expect((results.get_metrics![0] as { run: { id: number } }).run.id).toBe(ownSecondRun);
    expect((await t.req('GET', `/api/assistant/conversations?model_id=${model}`, { token: a.token })).body.items.map((x: { id: number }) => x.id)).toContain(c);
  });

  it('the decision log holds an LLM agent’s reasoning for the days asked, and only those days', async () => {
    const symbols = (await t.req('GET', '/api/market/symbols', { token: a.token })).body.symbols.map((x: { symbol: string }) => x.symbol).slice(0, 2);
    const llm = (await t.req('POST', '/api/models', { token: a.token, body: { name: 'Thinker', agent: { kind: 'llm', params: { base_url: fake.baseUrl, model: 'fake-model' } }, allowed_symbols: symbols } })).body.id as number;
    // The agent's days: each answered without a tool call, so the day is a hold with this reasoning.
    script = (req) => ({ kind: 'answer', text: `Holding: nothing convincing on day ${req.body.messages.length}` });
    const r = await startRun(a.token, llm, '2025-06-06');
    const c = await conversation(a.token, { model_id: llm, run_id: r.id });
    const before = fake.requests.length;
    script = (_req, n) => (n - before === 1 ? { kind: 'answer', toolCalls: [call('get_decision_log', { from: '2025-06-03', to: '2025-06-04' })] } : { kind: 'answer', text: 'It held.' });
    await ask(t, a.token, c, 'What was it thinking on June 3rd and 4th?');
    const log = toolResults(fake.requests.at(-1)!).get_decision_log![0] as {
      holds: { rows: { date: string; reasoning: string }[] };
      logs: { rows: { date: string; message: string }[] };
    };
    expect(log.holds.rows.map((h) => h.date)).toEqual(['2025-06-03', '2025-06-04']);
    expect(log.holds.rows.every((h) => h.reasoning.startsWith('Holding: nothing convincing'))).toBe(true);
    expect([...new Set(log.logs.rows.map((l) => l.date))]).toEqual(['2025-06-03', '2025-06-04']);
    expect(log.logs.rows.every((l) => /LLM call 1: .*reasoning: Holding/.test(l.message))).toBe(true);
  });

  it('stopping mid-answer aborts the upstream call and stores what was said as stopped', async () => {
    const c = await conversation(a.token, { model_id: model, run_id: run.id });
    const connections = fake.connections;
    script = () => ({ kind: 'stall', text: 'Partial answer' });
    const answer = await ask(t, a.token, c, 'Tell me everything', { stopAfterText: 1 });
    // The provider's stream stays open until the server, seeing the question withdrawn, closes it.
    await until(() => fake.requests.at(-1)!.clientGone === true, 'the upstream call to be aborted');
    expect(answer.events.find((e) => e.type === 'text')).toEqual({ type: 'text', text: 'Partial answer' });
    await until(async () => (await t.req('GET', `/api/assistant/conversations/${c}`, { token: a.token })).body.messages.length === 2, 'the stopped answer');
    const stored = AssistantConversationDetail.parse((await t.req('GET', `/api/assistant/conversations/${c}`, { token: a.token })).body);
    expect(stored.messages[1]).toMatchObject({ role: 'assistant', status: 'stopped', content: 'Partial answer', error: null });
    // Stopped, not timed out: no retry reached the provider.
    expect(fake.connections - connections).toBe(1);
  });

  it('a server shutting down stops the answers in flight and stores them as stopped first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradewire-assistant-'));
    try {
      const t2 = await startTestServer({}, dir);
      const u = await signup(t2);
      await t2.req('PUT', '/api/assistant/endpoint', { token: u.token, body: { base_url: fake.baseUrl, model: 'fake-model' } });
      const m = (await t2.req('POST', '/api/models', { token: u.token, body: { name: 'Idle', agent: { kind: 'buy_and_hold', params: {} } } })).body.id as number;
      const conv = (await t2.req('POST', '/api/assistant/conversations', { token: u.token, body: { model_id: m } })).body.id as number;
      script = () => ({ kind: 'stall', text: 'Partial answer' });
      const asked = fake.requests.length;
      const reading = ask(t2, u.token, conv, 'Anything?');
      await fake.received(asked + 1);
      await t2.close();
      const answer = await reading;
      expect(answer.events.at(-1)).toMatchObject({ type: 'done', message: { status: 'stopped' } });
      const t3 = await startTestServer({}, dir);
      try {
        const stored = (await t3.req('GET', `/api/assistant/conversations/${conv}`, { token: u.token })).body;
        expect(stored.messages.map((x: { role: string; status: string }) => `${x.role}:${x.status}`)).toEqual(['user:complete', 'assistant:stopped']);
      } finally {
        await t3.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a 401, a timeout and an unreachable endpoint in the agents’ words', async () => {
    const c = await conversation(a.token, { model_id: model, run_id: run.id });
    script = () => ({ kind: 'status', status: 401, message: 'Incorrect API key provided: sk-test-key' });
    const unauthorised = await ask(t, a.token, c, 'Hi');
    const err = unauthorised.events.at(-1)!;
    expect(err).toMatchObject({ type: 'error', error: 'authentication failed (401): check the API key', message: { status: 'failed' } });
    expect(JSON.stringify(unauthorised.events)).not.toContain('sk-test-key');

    script = () => ({ kind: 'hang' });
    const slow = await ask(t, a.token, c, 'Hi');
    expect(slow.events.at(-1)).toMatchObject({ type: 'error', error: 'timed out after 300 ms' });

    await configure(a.token, 'http://127.0.0.1:9/v1');
    const gone = await ask(t, a.token, c, 'Hi');
    expect(gone.events.at(-1)).toMatchObject({ type: 'error', error: 'cannot reach http://127.0.0.1:9/v1' });
    await configure(a.token);
  }, 30_000);

  it('stops at the daily token cap: mid-answer, then before the next question', async () => {
    const c = await signup(t);
    await configure(c.token);
    const m = await newModel(c.token, 'Capped');
    const r = await startRun(c.token, m, '2025-07-31');
    const conv = await conversation(c.token, { model_id: m, run_id: r.id });
    await t.server.ctx.storage.assistant.addUsage(c.user.id, new Date().toISOString().slice(0, 10), 1_000_000 - 50);
    script = () => ({ kind: 'answer', toolCalls: [call('get_metrics')] });
    const first = await ask(t, c.token, conv, 'Go');
    expect(first.events.at(-1)).toMatchObject({ type: 'error', error: expect.stringMatching(/daily assistant token cap of 1000000/) });
    const second = await ask(t, c.token, conv, 'Again');
    expect(second.status).toBe(429);
    expect(second.body?.error.code).toBe('assistant_token_cap');
    expect((await t.req('GET', '/api/assistant/usage', { token: c.token })).body).toMatchObject({ daily_cap: 1_000_000, used_tokens: 1_000_000 - 50 + 120 });
  });

  it('keeps conversations to their owner: others get 404, bad input 400, deleted is gone', async () => {
    const c = await conversation(a.token, { model_id: model, run_id: run.id });
    expect((await t.req('GET', `/api/assistant/conversations/${c}`, { token: b.token })).status).toBe(404);
    expect((await ask(t, b.token, c, 'Peek')).status).toBe(404);
    expect((await t.req('DELETE', `/api/assistant/conversations/${c}`, { token: b.token })).status).toBe(404);
    expect((await t.req('POST', '/api/assistant/conversations', { token: b.token, body: { model_id: model } })).status).toBe(404);
    expect((await t.req('POST', '/api/assistant/conversations', { token: a.token, body: { model_id: model, run_id: otherRun.id } })).status).toBe(404);
    const bad = await t.req('POST', '/api/assistant/conversations', { token: a.token, body: { model_id: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/model_id/);
    const empty = await t.req('POST', `/api/assistant/conversations/${c}/messages`, { token: a.token, body: { content: '  ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/content/);
    const listed = (await t.req('GET', `/api/assistant/conversations?run_id=${run.id}`, { token: a.token })).body.items.map((x: { id: number }) => x.id);
    expect(listed).toContain(c);
    expect((await t.req('DELETE', `/api/assistant/conversations/${c}`, { token: a.token })).status).toBe(204);
    expect((await t.req('GET', `/api/assistant/conversations/${c}`, { token: a.token })).status).toBe(404);
  });
});
