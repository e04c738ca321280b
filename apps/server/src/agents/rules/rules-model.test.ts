import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_TEMPLATES } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../../test/server.js';
import { until } from '../../test/until.js';

const template = (id: string) => RULE_TEMPLATES.find((t) => t.id === id)!.document;

describe('models of agent kind rules over HTTP', () => {
  let t: TestServer;
  let token: string;
  let symbols: string[];

  beforeAll(async () => {
    t = await startTestServer();
    token = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol).slice(0, 5);
  });
  afterAll(() => t.close());

  it('saves a template, backtests it at pace 0 and logs the rule and values behind each fill', async () => {
    const document = template('bollinger_breakout');
    const created = await t.req('POST', '/api/models', { token, body: { name: 'Breakout', agent: { kind: 'rules', params: document }, allowed_symbols: symbols } });
    expect(created.status).toBe(201);
    expect(created.body.agent).toEqual({ kind: 'rules', params: document });

    const id = created.body.id;
    const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2025-01-02', end_date: '2025-12-31', pace_ms: 0 } });
    expect(start.status).toBe(202);
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle');

    const run = (await t.req('GET', `/api/models/${id}/runs/${start.body.id}`, { token })).body;
    expect(run.status).toBe('completed');
    expect(run.metrics.trade_count).toBeGreaterThan(0);
    const logs: string[] = (await t.req('GET', `/api/models/${id}/logs?limit=200`, { token })).body.items.map((l: { message: string }) => l.message);
    expect(logs.some((m) => /Entry rule 1: close [\d.]+ crossed above Bollinger upper\(20,2\) [\d.]+ \(was [\d.]+ ≤ [\d.]+\) → buy \d+/.test(m))).toBe(true);
  });

  it('refuses a bad rule document with a 400 naming its path, however deep it nests, and stores nothing', async () => {
    const before = (await t.req('GET', '/api/models', { token })).body.items.length;
    const document = template('rsi_dip');
    const bad = structuredClone(document);
    bad.rule_sets[0]!.stops.take_profit_pct = 0;
    const refused = await t.req('POST', '/api/models', { token, body: { name: 'Dip', agent: { kind: 'rules', params: bad } } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('body.agent.params.rule_sets.0.stops.take_profit_pct: must be at least 0.1');

    // 20 000 nested groups: the schema stops at the fifth level instead of recursing.
    const leaf = JSON.stringify(document.rule_sets[0]!.exits[0]!.when);
    const when = '{"kind":"all","conditions":['.repeat(20_000) + leaf + ']}'.repeat(20_000);
    const raw = `{"name":"Deep","agent":{"kind":"rules","params":{"version":1,"rule_sets":[{"entries":[{"when":${when},"buy":{"kind":"shares","quantity":1}}]}]}}}`;
    const deep = await t.req('POST', '/api/models', { token, raw, headers: { 'content-type': 'application/json' } });
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toBe(
      'body.agent.params.rule_sets.0.entries.0.when.conditions.0.conditions.0.conditions.0.conditions.0.kind: kind must be compare or between: groups nest at most 4 deep',
    );
    expect((await t.req('GET', '/api/models', { token })).body.items).toHaveLength(before);
  });
});
