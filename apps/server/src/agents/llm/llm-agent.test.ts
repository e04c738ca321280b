import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../../test/server.js';
import { openStream, type SseClient } from '../../test/sse.js';
import { FAKE_USAGE, type FakeOpenAI, type FakeReply, type FakeRequest, startFakeOpenAI } from '../../test/fake-llm.js';

const API_KEY = 'sk-test-7Qe2w9Zr4Lk8Xp1Vn6Bd3Hs5';

/** Which trading day a request is about, and how far into that day's conversation it is. */
const dayOf = (req: FakeRequest) => /Today is (\d{4}-\d{2}-\d{2})/.exec(String(req.body.messages[0]?.content))![1]!;
const turnOf = (req: FakeRequest) => req.body.messages.filter((m) => m.role === 'assistant').length;
/** The results of the tool calls of the model's previous answer. */
const toolResults = (req: FakeRequest) =>
  req.body.messages
    .slice(req.body.messages.findLastIndex((m) => m.role === 'assistant'))
    .filter((m) => m.role === 'tool')
    .map((m) => JSON.parse(m.content!));
const answer = (text: string, toolCalls: [string, unknown][] = []): FakeReply => ({
  kind: 'answer',
  text,
  toolCalls: toolCalls.map(([name, args]) => ({ name, arguments: typeof args === 'string' ? args : JSON.stringify(args) })),
});

interface Harness {
  t: TestServer;
  token: string;
  symbols: string[];
  fakes: FakeOpenAI[];
}

/** A real server and user; every test scripts its own fake provider. */
function harness(env: Record<string, string> = {}): Harness {
  const h = { fakes: [] } as unknown as Harness;
  beforeAll(async () => {
    h.t = await startTestServer(env);
    h.token = (await signup(h.t)).token;
    const res = await h.t.req('GET', '/api/market/symbols', { token: h.token });
    h.symbols = res.body.symbols.slice(0, 2).map((s: { symbol: string }) => s.symbol);
  });
  afterEach(async () => {
    await Promise.all(h.fakes.splice(0).map((f) => f.close()));
  });
  afterAll(() => h.t.close());
  return h;
}

async function fakeProvider(h: Harness, script: (req: FakeRequest, n: number) => FakeReply) {
  const fake = await startFakeOpenAI(script);
  h.fakes.push(fake);
  return fake;
}

async function llmModel(h: Harness, name: string, fake: FakeOpenAI, params: Record<string, unknown> = {}) {
  const res = await h.t.req('POST', '/api/models', {
    token: h.token,
    body: { name, agent: { kind: 'llm', params: { base_url: fake.baseUrl, model: 'fake-trader', api_key: API_KEY, ...params } }, allowed_symbols: h.symbols },
  });
  expect(res.status).toBe(201);
  expect(res.body.agent.api_key_set).toBe(true);
  return res.body.id as number;
}

/** Starts a run with a live stream open from before the first event. */
async function startRun(h: Harness, id: number, body: object) {
  const stream = openStream(`${h.t.url}/api/trading/stream/${id}?token=${h.token}`);
  await stream.opened;
  const res = await h.t.req('POST', `/api/trading/start/${id}`, { token: h.token, body: { pace_ms: 0, ...body } });
  expect(res.status).toBe(202);
  return { stream, runId: res.body.id as number };
}

async function runToEnd(h: Harness, id: number, body: object) {
  const { stream, runId } = await startRun(h, id, body);
  await stream.waitFor((e) => e.type === 'complete');
  stream.close();
  const run = (await h.t.req('GET', `/api/models/${id}/runs/${runId}`, { token: h.token })).body;
  return { stream, run };
}

const ofType = <T extends TradingEvent['type']>(stream: SseClient, type: T) =>
  stream.events.filter((e): e is Extract<TradingEvent, { type: T }> => e.type === type);

/** Every place the key could leak to: API responses, stored logs and events, the stream, the server log. */
async function expectKeyNowhere(h: Harness, id: number, runId: number, stream: SseClient) {
  const paths = [
    '/api/models',
    `/api/models/${id}`,
    `/api/models/${id}/runs`,
    `/api/models/${id}/runs/${runId}`,
    `/api/models/${id}/runs/${runId}/events`,
    `/api/models/${id}/runs/${runId}/events?format=csv`,
    `/api/models/${id}/trades`,
    `/api/models/${id}/logs`,
    `/api/trading/status/${id}`,
  ];
  for (const path of paths) {
    const res = await h.t.req('GET', path, { token: h.token });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(API_KEY);
  }
  expect(JSON.stringify(stream.events)).not.toContain(API_KEY);
  expect(h.t.logs.join('\n')).not.toContain(API_KEY);
}

describe('LLM agent trading through a fake OpenAI-compatible provider', () => {
  const h = harness();

  it('trades over several days through tools, streams its reasoning, logs each call and counts tokens', async () => {
    const [a, b] = [h.symbols[0]!, h.symbols[1]!];
    const days: string[] = [];
    const fake = await fakeProvider(h, (req) => {
      const day = dayOf(req);
      if (!days.includes(day)) days.push(day);
      const turn = turnOf(req);
      if (turn === 0) return answer('Looking at recent prices.', [['get_prices', { symbols: [a, b], lookback_days: 5 }], ['get_portfolio', {}]]);
      if (days.indexOf(day) === 0) {
        if (turn === 1) return answer(`${a} trends up, buying 10.`, [['buy', { symbol: a, quantity: 10 }]]);
        return answer('', [['finish_step', { summary: `Bought 10 ${a}` }]]);
      }
      if (days.indexOf(day) === 1) {
        if (turn === 1) return answer('Taking some profit.', [['sell', { symbol: a, quantity: 4 }], ['sell', { symbol: b, quantity: 3 }]]);
        return answer('', [['finish_step', { summary: `Sold 4 ${a}; ${b} was not held` }]]);
      }
      return { ...answer('Nothing to do, holding today.'), thinking: 'Quiet tape, no edge. ' };
    });
    const id = await llmModel(h, 'Fake trader', fake);
    const { stream, run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-22' });

    expect(run.status).toBe('completed');
    expect(days).toEqual(run.equity_curve.map((p: { date: string }) => p.date));
    expect(days).toHaveLength(3);

    // The orders the model placed are the run's trades, the rejected one with the broker's reason.
    const listed = (await h.t.req('GET', `/api/models/${id}/trades?run_id=${run.id}`, { token: h.token })).body.items;
    const trades = [...listed].sort((x: { id: number }, y: { id: number }) => x.id - y.id);
    const summary = trades.map((x: { date: string; action: string; symbol: string; quantity: number; status: string }) => [x.date, x.action, x.symbol, x.quantity, x.status]);
    expect(summary).toEqual([
      [days[0], 'buy', a, 10, 'filled'],
      [days[1], 'sell', a, 4, 'filled'],
      [days[1], 'sell', b, 3, 'rejected'],
    ]);
    expect(trades[2].reason).toBe(`no position in ${b} to sell`);

    // Each buy/sell tool result told the model exactly what the broker then did.
    const resultsOf = (day: string, turn: number) => toolResults(fake.requests.find((r) => dayOf(r) === day && turnOf(r) === turn)!);
    expect(resultsOf(days[0]!, 2)).toEqual([{ status: 'filled', quantity: 10, price: trades[0].price, amount: trades[0].amount, commission: 0, cash_after: trades[0].cash_after, note: null }]);
    expect(resultsOf(days[1]!, 2)).toEqual([
      { status: 'filled', quantity: 4, price: trades[1].price, amount: trades[1].amount, commission: 0, cash_after: trades[1].cash_after, note: null },
      { status: 'rejected', reason: `no position in ${b} to sell` },
    ]);

    // No look-ahead: the prices tool ends at the day before, and the portfolio reflects earlier days.
    for (const [i, day] of days.entries()) {
      const [prices, portfolio] = resultsOf(day, 1);
      for (const s of [a, b]) {
        expect(prices[s]).toHaveLength(5);
        expect(prices[s].every((bar: { date: string }) => bar.date < day)).toBe(true);
        if (i > 0) expect(prices[s].at(-1).date).toBe(days[i - 1]);
      }
      expect(portfolio.date).toBe(day);
      expect(portfolio.positions.map((p: { symbol: string; quantity: number }) => [p.symbol, p.quantity])).toEqual([[], [[a, 10]], [[a, 6]]][i]);
    }

    // Every request was a streamed tool-calling request to the configured model with the key.
    for (const req of fake.requests) {
      expect(req.body).toMatchObject({ model: 'fake-trader', stream: true, stream_options: { include_usage: true }, temperature: 0.2 });
      expect(req.body.tools!.map((x) => x.function.name)).toEqual(['get_prices', 'get_portfolio', 'buy', 'sell', 'finish_step']);
      expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }
    expect(fake.requests).toHaveLength(3 + 3 + 2);

    // Reasoning streamed live, trades streamed, and the day without tool calls holds with its text.
    const reasoning = ofType(stream, 'reasoning').map((e) => (e.data as { text: string }).text).join('');
    expect(reasoning).toContain(`${a} trends up, buying 10.`);
    expect(reasoning).toContain('Taking some profit.');
    expect(reasoning).toContain('Quiet tape, no edge. Nothing to do, holding today.');
    const tradeEvents = ofType(stream, 'trade').map((e) => e.data as { action: string; status: string; message: string });
    expect(tradeEvents.map((d) => [d.action, d.status])).toEqual([
      ['buy', 'filled'],
      ['sell', 'filled'],
      ['sell', 'rejected'],
    ]);
    const holds = ofType(stream, 'decision').map((e) => e.data as { message: string; reasoning: string });
    expect(holds.map((d) => d.message)).toEqual(['AI decided to HOLD positions: Nothing to do, holding today.']);

    // The logs keep each call's reasoning, tokens and latency; the run sums the tokens.
    const logs = (await h.t.req('GET', `/api/models/${id}/logs?run_id=${run.id}&limit=200`, { token: h.token })).body.items.map((l: { message: string }) => l.message);
    const calls = logs.filter((m: string) => m.includes('LLM call'));
    expect(calls).toHaveLength(8);
    expect(calls.every((m: string) => /100 prompt \+ 20 completion tokens, \d+ ms/.test(m))).toBe(true);
    expect(calls.some((m: string) => m.includes(`reasoning: ${a} trends up, buying 10.`))).toBe(true);
    const runs = (await h.t.req('GET', `/api/models/${id}/runs`, { token: h.token })).body.items;
    expect(runs[0].usage).toEqual({ calls: 8, prompt_tokens: 8 * FAKE_USAGE.prompt_tokens, completion_tokens: 8 * FAKE_USAGE.completion_tokens });

    await expectKeyNowhere(h, id, run.id, stream);
  });

  it('answers malformed tool calls with an error result the model can read, and keeps trading', async () => {
    const fake = await fakeProvider(h, (req) =>
      turnOf(req) === 0
        ? answer('Trying a few things.', [
            ['buy', `{"symbol": "${h.symbols[0]}", "quantity": `],
            ['sell', { symbol: 5 }],
            ['short_sell', { symbol: h.symbols[0], quantity: 1 }],
          ])
        : answer('', [['finish_step', { summary: 'Gave up for today' }]]),
    );
    const id = await llmModel(h, 'Sloppy', fake);
    const { run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-20' });

    expect(run.status).toBe('completed');
    const second = fake.requests[1]!;
    const errors = toolResults(second).map((r: { error: string }) => r.error);
    expect(errors[0]).toMatch(/^arguments are not valid JSON/);
    expect(errors[1]).toMatch(/^invalid arguments: symbol: .*quantity: /);
    expect(errors[2]).toMatch(/^unknown tool "short_sell"; use one of get_prices, get_portfolio, buy, sell, finish_step/);
    // Each result answers its own call.
    const asked = second.body.messages.find((m) => m.role === 'assistant')!.tool_calls!.map((c) => c.id);
    expect(second.body.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual(asked);
    expect((await h.t.req('GET', `/api/models/${id}/trades`, { token: h.token })).body.items).toEqual([]);
    const logs = (await h.t.req('GET', `/api/models/${id}/logs`, { token: h.token })).body.items.map((l: { message: string }) => l.message);
    expect(logs.some((m: string) => m.includes('tool call buy failed: arguments are not valid JSON'))).toBe(true);
  });

  it('ends the day at max_tool_calls_per_step', async () => {
    const fake = await fakeProvider(h, () => answer('Checking again.', [['get_portfolio', {}]]));
    const id = await llmModel(h, 'Restless', fake, { max_tool_calls_per_step: 2 });
    const { run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-21' });

    expect(run.status).toBe('completed');
    expect(fake.requests.map((r) => [dayOf(r), turnOf(r)])).toEqual([
      [run.start_date, 0],
      [run.start_date, 1],
      [run.end_date, 0],
      [run.end_date, 1],
    ]);
    const logs = (await h.t.req('GET', `/api/models/${id}/logs`, { token: h.token })).body.items.map((l: { message: string }) => l.message);
    expect(logs).toContain(`${run.start_date}: day ended after 2 tool calls (max_tool_calls_per_step)`);
  });

  it('retries a 429 and goes on', async () => {
    const fake = await fakeProvider(h, (_req, n) =>
      n === 1
        ? { kind: 'status', status: 429, message: 'Rate limit reached', headers: { 'retry-after-ms': '10' } }
        : answer('Calm day.', [['finish_step', { summary: 'Held' }]]),
    );
    const id = await llmModel(h, 'Patient', fake);
    const { run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-20' });

    expect(run.status).toBe('completed');
    expect(fake.requests).toHaveLength(2);
    expect(run.usage).toEqual({ calls: 1, ...FAKE_USAGE });
  });

  it('fails the run on 401 with a clear error that never contains the key', async () => {
    const fake = await fakeProvider(h, () => ({ kind: 'status', status: 401, message: `Incorrect API key provided: ${API_KEY}` }));
    const id = await llmModel(h, 'Locked out', fake);
    const { stream, run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-22' });

    expect(run.status).toBe('failed');
    expect(run.error).toBe('authentication failed (401): check the API key');
    expect(ofType(stream, 'error').map((e) => e.data.message)).toEqual(['Agent error: authentication failed (401): check the API key']);
    // A 401 is not retried: another attempt cannot fix a wrong key.
    expect(fake.requests).toHaveLength(1);
    await expectKeyNowhere(h, id, run.id, stream);
  });

  it('stops cleanly while a call is in flight', async () => {
    const fake = await fakeProvider(h, () => ({ kind: 'hang' }));
    const id = await llmModel(h, 'Stoppable', fake);
    const { stream } = await startRun(h, id, { start_date: '2026-10-20', end_date: '2026-10-22' });
    await fake.received(1);
    const stopped = await h.t.req('POST', `/api/trading/stop/${id}`, { token: h.token });
    const complete = await stream.waitFor((e) => e.type === 'complete');
    stream.close();

    expect(stopped.body.run.status).toBe('stopped');
    expect(complete.data).toMatchObject({ status: 'stopped' });
    expect(ofType(stream, 'error')).toEqual([]);
    expect(ofType(stream, 'trade')).toEqual([]);
    expect(ofType(stream, 'decision').map((e) => e.data.action)).toEqual(['hold']);
  });
});

describe('LLM agent stopping', () => {
  const h = harness();

  it('stops at once while the provider asks it to wait before retrying', async () => {
    const fake = await fakeProvider(h, () => ({ kind: 'status', status: 429, message: 'Slow down', headers: { 'retry-after-ms': '30000' } }));
    const id = await llmModel(h, 'Throttled', fake);
    const { stream } = await startRun(h, id, { start_date: '2026-10-20', end_date: '2026-10-22' });
    await fake.received(1);
    await h.t.req('POST', `/api/trading/stop/${id}`, { token: h.token });
    const complete = await stream.waitFor((e) => e.type === 'complete');
    stream.close();

    expect(complete.data).toMatchObject({ status: 'stopped' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('LLM agent timeouts', () => {
  const h = harness({ LLM_TIMEOUT_MS: '300' });

  it('fails the run when the provider never answers, after retrying', async () => {
    const fake = await fakeProvider(h, () => ({ kind: 'hang' }));
    const id = await llmModel(h, 'Silent', fake);
    const { stream, run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-20' });

    expect(run.status).toBe('failed');
    expect(ofType(stream, 'error').map((e) => e.data.message)).toEqual(['Agent error: timed out after 300 ms']);
    expect(fake.requests).toHaveLength(4);
  });

  it('fails the run when a streamed answer goes silent, after streaming what arrived', async () => {
    const fake = await fakeProvider(h, () => ({ kind: 'stall', text: 'Let me think about' }));
    const id = await llmModel(h, 'Stalled', fake);
    const { stream, run } = await runToEnd(h, id, { start_date: '2026-10-20', end_date: '2026-10-20' });

    expect(run.status).toBe('failed');
    expect(ofType(stream, 'reasoning').map((e) => (e.data as { text: string }).text).join('')).toBe('Let me think about');
    expect(ofType(stream, 'error').map((e) => e.data.message)).toEqual(['Agent error: timed out after 300 ms']);
    expect(fake.requests).toHaveLength(1);
  });
});
