import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';


describe('trading sessions over HTTP', () => {
  let t: TestServer;
  let token: string;
  let symbols: string[];

  const createModel = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await t.req('POST', '/api/models', {
      token,
      body: { name, agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: symbols.slice(0, 4), ...extra },
    });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const waitDone = (id: number) =>
    until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle');

  beforeAll(async () => {
    t = await startTestServer();
    token = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol);
  });
  afterAll(() => t.close());

  it('runs an sma_crossover session to completion with trades, positions, metrics and stored events', async () => {
    const id = await createModel('Momentum A');
    const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-01-02', end_date: '2026-06-30', pace_ms: 0 } });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ model_id: id, run_number: 1, status: 'running', pace_ms: 0 });
    await waitDone(id);

    const run = (await t.req('GET', `/api/models/${id}/runs/${start.body.id}`, { token })).body;
    expect(run.status).toBe('completed');
    expect(run.metrics.trade_count).toBeGreaterThan(0);
    expect(run.equity_curve.length).toBeGreaterThan(100);
    const trades = (await t.req('GET', `/api/models/${id}/trades?run_id=${run.id}&limit=1000`, { token })).body.items;
    expect(trades.filter((x: { status: string }) => x.status === 'filled').length).toBe(run.metrics.trade_count);
    for (const trade of trades) expect(symbols.slice(0, 4)).toContain(trade.symbol);

    const latest = (await t.req('GET', `/api/models/${id}/positions/latest`, { token })).body;
    const held = latest.positions.reduce((sum: number, p: { market_value: number }) => sum + p.market_value, 0);
    expect(latest.equity).toBeCloseTo(latest.cash + held, 1);
    expect(latest.cash).toBeGreaterThanOrEqual(0);

    const events = (await t.req('GET', `/api/models/${id}/runs/${run.id}/events`, { token })).body.items;
    const types = events.map((e: { type: string }) => e.type);
    expect(types.slice(0, 2)).toEqual(['status', 'status']);
    expect(events[0].data.message).toBe('Initializing AI agent...');
    expect(events[1].data.message).toBe('Starting trading session...');
    expect(types.slice(-2)).toEqual(['session_complete', 'complete']);
    expect(types).toContain('progress');
    expect(types).toContain('trade');
    expect(types).toContain('portfolio');
    const ids = events.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const csv = await t.req('GET', `/api/models/${id}/runs/${run.id}/events?format=csv`, { token });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n')[0]).toMatch(/^id,type,timestamp/);

    const perf = (await t.req('GET', `/api/models/${id}/performance`, { token })).body;
    expect(perf.metrics).toEqual(run.metrics);
    const logs = (await t.req('GET', `/api/models/${id}/logs`, { token })).body.items;
    expect(logs.some((l: { message: string }) => /Run #1 completed/.test(l.message))).toBe(true);
  });

  it('gives identical trades for the same config twice', async () => {
    const id = await createModel('Deterministic');
    const body = { start_date: '2025-06-02', end_date: '2025-12-31', pace_ms: 0 };
    const tradesOf = async () => {
      const run = (await t.req('POST', `/api/trading/start/${id}`, { token, body })).body;
      await waitDone(id);
      const items = (await t.req('GET', `/api/models/${id}/trades?run_id=${run.id}&limit=1000`, { token })).body.items;
      return items.map(({ id: _i, run_id: _r, ...rest }: Record<string, unknown>) => rest);
    };
    const first = await tradesOf();
    expect(first.length).toBeGreaterThan(0);
    expect(await tradesOf()).toEqual(first);
  });

  it('refuses a second start (409), stops mid-run, and stop is idempotent', async () => {
    const id = await createModel('Slow');
    expect((await t.req('POST', `/api/trading/start/${id}`, { token, body: { pace_ms: 500 } })).status).toBe(202);
    expect((await t.req('POST', `/api/trading/start/${id}`, { token, body: { pace_ms: 500 } })).status).toBe(409);
    expect((await t.req('GET', `/api/models/${id}`, { token })).body.status).toBe('running');
    const stopped = await t.req('POST', `/api/trading/stop/${id}`, { token });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'idle', run: { status: 'stopped' } });
    const again = await t.req('POST', `/api/trading/stop/${id}`, { token });
    expect(again.body.run.status).toBe('stopped');
    expect((await t.req('GET', '/api/trading/status', { token })).body.items.find((s: { model_id: number }) => s.model_id === id).status).toBe('idle');
  });

  it('rejects bad starts with a 4xx and creates no run', async () => {
    const id = await createModel('Picky');
    const bad: [unknown, number, RegExp][] = [
      [{ start_date: '2026-05-01', end_date: '2026-01-01' }, 400, /start_date/],
      [{ start_date: '1990-01-01', end_date: '1990-12-31' }, 400, /start_date\/end_date/],
      [{ pace_ms: -1 }, 400, /pace_ms/],
      [{ start_date: '2026-02-30' }, 400, /start_date/],
      [{ bogus: 1 }, 400, /bogus/],
    ];
    for (const [body, status, message] of bad) {
      const res = await t.req('POST', `/api/trading/start/${id}`, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await t.req('GET', `/api/models/${id}/runs`, { token })).body.items).toEqual([]);
    expect((await t.req('POST', '/api/trading/start/999999', { token, body: {} })).status).toBe(404);
    await t.req('DELETE', `/api/models/${id}`, { token });
    expect((await t.req('POST', `/api/trading/start/${id}`, { token, body: {} })).status).toBe(404);
  });

  it('with default rules, buy-and-hold on one symbol is fully invested and tracks that symbol', async () => {
    const symbol = symbols[0]!;
    const id = (await t.req('POST', '/api/models', { token, body: { name: 'Hold one', agent: { kind: 'buy_and_hold' }, allowed_symbols: [symbol] } })).body.id;
    const run = (await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-01-02', end_date: '2026-06-30', pace_ms: 0 } })).body;
    await waitDone(id);
    const detail = (await t.req('GET', `/api/models/${id}/runs/${run.id}`, { token })).body;
    const bars = (await t.req('GET', `/api/market/bars?symbol=${symbol}&from=${run.start_date}&to=${run.end_date}`, { token })).body.bars;
    const held = bars.at(-1).close / bars[0].open - 1;
    // Whole shares and 5 bps of slippage leave at most a few dollars of 10,000 in cash.
    expect(detail.equity_curve[0].cash).toBeLessThan(detail.equity_curve[0].equity * 0.02);
    expect(detail.metrics.total_return_pct / 100).toBeCloseTo(held, 1);
  });

  it('runs 20 models at once to completion', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => createModel(`Crowd ${i}`)));
    const starts = await Promise.all(
      ids.map((id) => t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-03-02', end_date: '2026-06-30', pace_ms: 0 } })),
    );
    expect(starts.map((s) => s.status)).toEqual(ids.map(() => 202));
    await Promise.all(ids.map(waitDone));
    for (const id of ids) {
      const runs = (await t.req('GET', `/api/models/${id}/runs`, { token })).body.items;
      expect(runs[0].status).toBe('completed');
    }
  });

  it('fails only the run whose agent throws', async () => {
    const own = await startTestServer({}, undefined, {
      agents: (m) => ({
        decide: async (obs) => {
          if (m.name === 'Bad' && obs.step === 3) throw new Error('strategy exploded');
          return { orders: [], reasoning: 'waiting' };
        },
      }),
    });
    try {
      const { token: ownToken } = await signup(own);
      const make = async (name: string) =>
        (await own.req('POST', '/api/models', { token: ownToken, body: { name, agent: { kind: 'buy_and_hold' }, allowed_symbols: symbols.slice(0, 2) } })).body.id as number;
      const idle = (id: number) => until(async () => (await own.req('GET', `/api/trading/status/${id}`, { token: ownToken })).body.status === 'idle');
      const good = await make('Good');
      const bad = await make('Bad');
      const body = { start_date: '2026-03-02', end_date: '2026-04-30', pace_ms: 0 };
      await own.req('POST', `/api/trading/start/${good}`, { token: ownToken, body });
      await own.req('POST', `/api/trading/start/${bad}`, { token: ownToken, body });
      await idle(good);
      await idle(bad);
      const badRun = (await own.req('GET', `/api/models/${bad}/runs`, { token: ownToken })).body.items[0];
      expect(badRun).toMatchObject({ status: 'failed', error: 'strategy exploded' });
      expect((await own.req('GET', `/api/models/${good}/runs`, { token: ownToken })).body.items[0].status).toBe('completed');
      const events = (await own.req('GET', `/api/models/${bad}/runs/${badRun.id}/events`, { token: ownToken })).body.items;
      expect(events.at(-2)).toMatchObject({ type: 'error', data: { message: 'Agent error: strategy exploded' } });
      expect(events.at(-1)).toMatchObject({ type: 'complete', data: { status: 'failed' } });
    } finally {
      await own.close();
    }
  });
});

describe('restarts', () => {
  it('marks runs that were running as interrupted, never running', async () => {
    const first = await startTestServer();
    const { token } = await signup(first);
    const id = (await first.req('POST', '/api/models', { token, body: { name: 'Long', agent: { kind: 'buy_and_hold' } } })).body.id;
    const run = (await first.req('POST', `/api/trading/start/${id}`, { token, body: { pace_ms: 1000 } })).body;
    await first.server.close();

    const second = await startTestServer({}, first.dataDir);
    try {
      const res = await second.req('GET', `/api/models/${id}/runs/${run.id}`, { token });
      expect(res.body.status).toBe('interrupted');
      expect((await second.req('GET', `/api/models/${id}`, { token })).body.status).toBe('idle');
    } finally {
      await second.close();
    }
  });
});
