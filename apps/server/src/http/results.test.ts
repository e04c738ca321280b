import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Benchmark, Breakdown, Comparison, Indicators, RoundTrips } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

describe('run results over HTTP', () => {
  let t: TestServer;
  let token: string;
  let symbols: string[];
  let model: number;
  let run: { id: number; start_date: string; end_date: string };

  const startRun = async (id: number) => {
    const started = (await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2025-06-02', end_date: '2026-06-30', pace_ms: 0 } })).body;
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle');
    return started;
  };

  beforeAll(async () => {
    t = await startTestServer();
    token = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol).slice(0, 4);
    model = (await t.req('POST', '/api/models', { token, body: { name: 'Crosser', agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: symbols, commission_bps: 10 } })).body.id;
    run = await startRun(model);
  });
  afterAll(() => t.close());

  it('round trips and breakdown add up to the run’s profit', async () => {
    const trips = RoundTrips.parse((await t.req('GET', `/api/models/${model}/runs/${run.id}/round-trips`, { token })).body);
    expect(trips.round_trips.length).toBeGreaterThan(0);
    expect(trips.round_trips.every((r) => r.entry_reason && r.exit_reason)).toBe(true);
    const detail = (await t.req('GET', `/api/models/${model}/runs/${run.id}`, { token })).body;
    const finalEquity = detail.equity_curve.at(-1).equity;
    const realized = trips.round_trips.reduce((s, r) => s + r.pnl, 0);
    const unrealized = trips.open_positions.reduce((s, l) => s + (l.unrealized_pnl ?? 0), 0);
    expect(realized + unrealized).toBeCloseTo(finalEquity - 10_000, 0);

    const breakdown = Breakdown.parse((await t.req('GET', `/api/models/${model}/runs/${run.id}/breakdown`, { token })).body);
    expect(breakdown.by_month.reduce((s, p) => s + p.profit, 0)).toBeCloseTo(finalEquity - 10_000, 1);
    expect(breakdown.by_symbol.reduce((s, p) => s + p.total_pnl, 0)).toBeCloseTo(realized + unrealized, 1);
    expect(breakdown.exposure).toHaveLength(detail.equity_curve.length);
  });

  it('compares the run with buy-and-hold of one symbol and of its universe', async () => {
    const one = Benchmark.parse((await t.req('GET', `/api/models/${model}/runs/${run.id}/benchmark?benchmark=${symbols[0]}`, { token })).body);
    expect(one).toMatchObject({ kind: 'symbol', symbols: [symbols[0]] });
    const all = Benchmark.parse((await t.req('GET', `/api/models/${model}/runs/${run.id}/benchmark`, { token })).body);
    expect(all.symbols).toEqual(symbols);
    expect(all.equity_curve).toHaveLength(one.equity_curve.length);
    expect(all.stats.beta).not.toBeNull();
    const bad = await t.req('GET', `/api/models/${model}/runs/${run.id}/benchmark?benchmark=NOPE`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^benchmark: /);
  });

  it('gives the strategy’s own indicator lines, equal to a moving average computed by hand', async () => {
    const ind = Indicators.parse((await t.req('GET', `/api/models/${model}/runs/${run.id}/indicators?symbol=${symbols[0]}`, { token })).body);
    expect(ind.lines.map((l) => l.name)).toEqual(['SMA5', 'SMA20']);
    const bars = (await t.req('GET', `/api/market/bars?symbol=${symbols[0]}&to=${run.end_date}`, { token })).body.bars as { date: string; close: number }[];
    const point = ind.lines[1]!.points.at(-1)!;
    const at = bars.findIndex((b) => b.date === point.date);
    const hand = bars.slice(at - 19, at + 1).reduce((s, b) => s + b.close, 0) / 20;
    expect(point.value).toBeCloseTo(hand, 3);
    expect((await t.req('GET', `/api/models/${model}/runs/${run.id}/indicators?symbol=ZZZZ`, { token })).status).toBe(400);
  });

  it('compares runs normalised to 100, and hides other users’ runs', async () => {
    const second = await startRun(model);
    const cmp = Comparison.parse((await t.req('GET', `/api/runs/compare?ids=${run.id},${second.id}`, { token })).body);
    expect(cmp.runs.map((r) => r.run.id)).toEqual([run.id, second.id]);
    expect(cmp.runs[0]!.equity_curve[0]!.value).toBeGreaterThan(90);
    expect(cmp.runs[0]!.equity_curve[0]!.value).toBeLessThan(110);
    const other = (await signup(t)).token;
    expect((await t.req('GET', `/api/runs/compare?ids=${run.id},${second.id}`, { token: other })).status).toBe(404);
    expect((await t.req('GET', `/api/models/${model}/runs/${run.id}/round-trips`, { token: other })).status).toBe(404);
    expect((await t.req('GET', `/api/runs/compare?ids=${run.id}`, { token })).status).toBe(400);
  });
});
