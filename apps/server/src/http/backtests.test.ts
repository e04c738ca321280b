import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKTEST_LIMITS, RULE_TEMPLATES } from '@tradewire/contract';
import { broken, pathsOf, validRuleDocument } from '../test/rule-documents.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

const template = (id: string) => RULE_TEMPLATES.find((t) => t.id === id)!.document;

describe('POST /api/backtests', () => {
  let t: TestServer;
  let token: string;
  let userId: number;
  let all: string[];
  const five = () => all.slice(0, 5);

  beforeAll(async () => {
    // Six years of simulated history: enough for a range longer than a backtest may be.
    t = await startTestServer({ MARKET_YEARS: '6' });
    const session = await signup(t);
    token = session.token;
    userId = session.user.id;
    all = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol);
  });
  afterAll(() => t.close());

  const backtest = (body: unknown, who = token) => t.req('POST', '/api/backtests', { token: who, body });

  it('plays a rule document at once and answers as a saved model run of it would, storing nothing', async () => {
    const document = template('rsi_dip');
    const range = { start_date: '2024-01-02', end_date: '2025-12-31' };
    const settings = { allowed_symbols: all.slice(0, 12), initial_cash: 50_000, commission_bps: 2, slippage_bps: 5, risk: { max_position_pct: 40 } };
    const res = await backtest({ agent: { kind: 'rules', params: document }, ...settings, ...range });

    expect(res.status).toBe(200);
    const result = res.body;
    expect(result).toMatchObject({ dataset: 'simulated', symbols: all.slice(0, 12), start_date: '2024-01-02', initial_cash: 50_000 });
    expect(result.equity_curve).toHaveLength(result.trading_days);
    expect(result.trading_days).toBeGreaterThan(500);
    // Buy-and-hold on the same days, with the comparison against it.
    expect(result.benchmark.kind).toBe('universe');
    expect(result.benchmark.equity_curve.map((p: { date: string }) => p.date)).toEqual(result.equity_curve.map((p: { date: string }) => p.date));
    expect(result.benchmark.stats.strategy_return_pct).toBeCloseTo(result.metrics.total_return_pct, 2);
    expect(result.round_trips.length).toBeGreaterThan(0);
    // Each trip says which rule opened and closed it, with the values.
    for (const trip of result.round_trips) {
      expect(trip.entry_reason).toMatch(/^Entry rule 1: RSI\(14\) [\d.]+ < 30 AND close [\d.]+ > SMA\(200\) [\d.]+$/);
      expect(trip.exit_reason).toMatch(/^(Exit rule 1: RSI\(14\) [\d.]+ > 70|Take-profit: open .*|Time stop: held 10 of 10 days)$/);
    }
    expect(result.fills).toBe(result.metrics.trade_count);
    expect((await t.req('GET', '/api/models', { token })).body.items).toEqual([]);

    // The same strategy saved and started over the same days: the same metrics, curve, trips and benchmark.
    const model = await t.req('POST', '/api/models', { token, body: { name: 'Dip', agent: { kind: 'rules', params: document }, ...settings } });
    expect(model.status).toBe(201);
    const id = model.body.id;
    const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { ...range, pace_ms: 0 } });
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle', 'the run to end');
    const run = (await t.req('GET', `/api/models/${id}/runs/${start.body.id}`, { token })).body;
    expect(run.metrics).toEqual(result.metrics);
    expect(run.equity_curve).toEqual(result.equity_curve);
    const trips = (await t.req('GET', `/api/models/${id}/runs/${run.id}/round-trips`, { token })).body;
    expect(trips).toEqual({ round_trips: result.round_trips, open_positions: result.open_positions });
    const benchmark = (await t.req('GET', `/api/models/${id}/runs/${run.id}/benchmark`, { token })).body;
    expect(benchmark).toEqual(result.benchmark);
  });

  it('backtests built-in kinds too, against one symbol as the benchmark, with the last year by default', async () => {
    const res = await backtest({ agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: five(), benchmark: all[7] });

    expect(res.status).toBe(200);
    expect(res.body.benchmark).toMatchObject({ kind: 'symbol', symbols: [all[7]] });
    expect(res.body.end_date).toBe('2026-10-30');
    expect(res.body.start_date >= '2025-10-30').toBe(true);
    expect(res.body.metrics.trade_count).toBeGreaterThan(0);
  });

  it('refuses a bad body with a 400 naming the field, before running anything', async () => {
    const doc = structuredClone(template('rsi_dip'));
    doc.rule_sets[0]!.entries[0]!.buy = { kind: 'percent_of_equity', percent: 250 };
    const cases: [unknown, string][] = [
      [{ agent: { kind: 'rules', params: doc } }, 'body.agent.params.rule_sets.0.entries.0.buy.percent: must be at most 100'],
      [{ agent: { kind: 'llm', params: { base_url: 'http://127.0.0.1:1/v1', model: 'x' } } }, 'body.agent.kind: an LLM agent cannot be backtested on request: save it as a model and start a run'],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, start_date: '2025-06-01', end_date: '2025-01-01' }, 'body.end_date: must not be before start_date'],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, start_date: '2025-13-01' }, 'body.start_date: must be a date in YYYY-MM-DD form'],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, initial_cash: -5 }, 'body.initial_cash: must be greater than 0'],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, name: 'x' }, "body: unknown field 'name'"],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, allowed_symbols: ['NOPE'] }, 'allowed_symbols: no market data for NOPE in data set simulated'],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, benchmark: 'NOPE' }, 'benchmark: no symbol NOPE in data set simulated'],
      [{ agent: { kind: 'rules', params: template('golden_cross') }, dataset: 'nowhere' }, 'dataset: no data set named nowhere'],
    ];
    for (const [body, message] of cases) {
      const res = await backtest(body);
      expect(res.status, message).toBe(400);
      expect(res.body.error.message).toBe(message);
    }
  });

  it('refuses random broken rule documents with a 400 naming the path that was broken; random valid ones run', async () => {
    const symbols = all.slice(0, 3);
    await fc.assert(
      fc.asyncProperty(
        validRuleDocument(symbols).chain((doc) => fc.tuple(fc.constant(doc), fc.constantFrom(...pathsOf(doc)), fc.constantFrom('replace' as const, 'stray_key' as const, 'too_deep' as const))),
        async ([doc, path, how]) => {
          const res = await backtest({ agent: { kind: 'rules', params: broken(doc, path, how) }, allowed_symbols: symbols });
          expect(res.status).toBe(400);
          const prefix = ['body', 'agent', 'params'];
          const onBranch = (p: string) => {
            const keys = p.split('.');
            return keys.length > prefix.length && keys.every((k, i) => (i < prefix.length ? k === prefix[i] : i - prefix.length >= path.length || k === String(path[i - prefix.length])));
          };
          const issues: { path: string }[] = res.body.error.details;
          expect(issues.some((issue) => onBranch(issue.path)), JSON.stringify(res.body.error)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(validRuleDocument(symbols), async (doc) => {
        const res = await backtest({ agent: { kind: 'rules', params: doc }, allowed_symbols: symbols, start_date: '2026-04-01', end_date: '2026-10-30' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.equity_curve).toHaveLength(res.body.trading_days);
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('refuses a universe or a range beyond the documented bounds with a 400 naming it', async () => {
    const agent = { kind: 'rules', params: template('golden_cross') };
    const tooMany = await backtest({ agent, allowed_symbols: [...all.slice(0, BACKTEST_LIMITS.maxSymbols), 'EXTRA'] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toEqual({
      code: 'backtest_too_large',
      message: `allowed_symbols: lists ${BACKTEST_LIMITS.maxSymbols + 1} symbols; a backtest trades at most ${BACKTEST_LIMITS.maxSymbols}`,
    });

    const tooLong = await backtest({ agent, allowed_symbols: five(), start_date: '2021-01-04', end_date: '2026-10-30' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('backtest_too_large');
    expect(tooLong.body.error.message).toMatch(new RegExp(`^start_date/end_date: 2021-01-04 to 2026-10-30 has \\d+ trading days; a backtest covers at most ${BACKTEST_LIMITS.maxTradingDays}$`));

    // Every symbol of the simulated market (30) is within the bound.
    expect(all).toHaveLength(BACKTEST_LIMITS.maxSymbols);
    expect((await backtest({ agent, start_date: '2026-06-01' })).body.symbols).toEqual(all);
  });

  it('runs at most two backtests per user at once and answers 429 beyond, while others still run theirs', async () => {
    const { slots } = t.server.ctx.backtests;
    const body = { agent: { kind: 'rules', params: template('golden_cross') }, allowed_symbols: five(), start_date: '2026-06-01' };
    // Two of this user's backtests hold their places (as two in flight would).
    const held = Array.from({ length: BACKTEST_LIMITS.maxConcurrentPerUser }, () => slots.acquire(userId));
    try {
      const refused = await backtest(body);
      expect(refused.status).toBe(429);
      expect(refused.body.error).toEqual({ code: 'too_many_backtests', message: 'you already have 2 backtests running (at most 2 at once): wait for one to finish' });
      const other = await signup(t);
      expect((await backtest(body, other.token)).status).toBe(200);
    } finally {
      held.forEach((release) => release());
    }
    expect((await backtest(body)).status).toBe(200);
    expect(slots.running()).toBe(0);
  });

  it('gives the place back when the client goes away mid-backtest', async () => {
    const { slots } = t.server.ctx.backtests;
    const gone = new AbortController();
    const body = JSON.stringify({ agent: { kind: 'rules', params: template('rsi_dip') }, start_date: '2022-01-03', end_date: '2026-10-30' });
    const request = fetch(`${t.url}/api/backtests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body, signal: gone.signal });
    await until(() => slots.running(userId) === 1, 'the backtest to start');
    gone.abort();
    await expect(request).rejects.toThrow();
    await until(() => slots.running(userId) === 0, 'the place to be given back');
  });

  it('is described in the OpenAPI document with its bounds', async () => {
    const docs = (await t.req('GET', '/api/docs/json')).body;
    const op = docs.paths['/api/backtests']?.post;
    expect(op.description).toContain(`At most ${BACKTEST_LIMITS.maxSymbols} symbols and ${BACKTEST_LIMITS.maxTradingDays} trading days`);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '422', '429']);
    expect(JSON.stringify(op.requestBody)).toContain('rule_sets');
  });

  it('is for signed-in users only', async () => {
    expect((await t.req('POST', '/api/backtests', { body: { agent: { kind: 'buy_and_hold' } } })).status).toBe(401);
  });
});
