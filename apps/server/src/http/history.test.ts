import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHistory, TradingEvent } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream } from '../test/sse.js';
import { until } from '../test/until.js';

describe('event history, then the live tail', () => {
  let t: TestServer;
  let alice: string;
  let bob: string;
  let symbols: string[];

  const createModel = async (token: string, name: string, agent: object, allowed: string[]) => {
    const res = await t.req('POST', '/api/models', { token, body: { name, agent, allowed_symbols: allowed } });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const history = (token: string, query: string) => t.req<EventHistory>('GET', `/api/events/history?${query}`, { token });
  const idle = (token: string, id: number) =>
    until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle', `model ${id} to finish`);
  /** Every stored event of a model, oldest first, through search's pages. */
  const stored = async (token: string, id: number) => {
    const items: TradingEvent[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: TradingEvent[]; next_cursor: string | null } } = await t.req('GET', `/api/events/search?model_id=${id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token });
      items.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    return items.reverse();
  };

  beforeAll(async () => {
    t = await startTestServer();
    alice = (await signup(t)).token;
    bob = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token: alice })).body.symbols.map((s: { symbol: string }) => s.symbol);
  }, 30_000);
  afterAll(() => t.close());

  it('history taken mid-run, then the stream resumed from its last_event_id, is every stored event exactly once, in order', async () => {
    const id = await createModel(alice, 'Tail', { kind: 'random', params: { seed: 7, probability: 0.5 } }, symbols.slice(0, 3));
    const start = await t.req('POST', `/api/trading/start/${id}`, { token: alice, body: { start_date: '2026-09-01', end_date: '2026-10-15', pace_ms: 40 } });
    expect(start.status).toBe(202);
    // Some days in, not finished.
    await until(async () => (await history(alice, `models=${id}&type=progress&limit=1`)).body.events[0]?.type === 'progress', 'the run to make progress');
    await until(async () => (await history(alice, `models=${id}&limit=1000`)).body.events.length >= 15, 'a few days of events');

    const h = await history(alice, `models=${id}&limit=1000`);
    expect(h.status).toBe(200);
    const head = h.body.events;
    expect(head.every((e) => Number(e.id) <= Number(h.body.last_event_id))).toBe(true);
    expect(head.at(-1)!.type).not.toBe('complete');

    const tail = openStream(`${t.url}/api/trading/stream/${id}?token=${alice}&last_event_id=${h.body.last_event_id}`);
    await tail.waitFor((e) => e.type === 'complete', 30_000);
    tail.close();
    await idle(alice, id);

    const joined = [...head, ...tail.events.filter((e) => e.type !== 'connected')];
    const ids = joined.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(joined).toEqual(await stored(alice, id));
  }, 60_000);

  it('filters: fills only, an action, a symbol, types; all models by default; newest last, bounded by limit', async () => {
    const a = await createModel(alice, 'Filters A', { kind: 'random', params: { seed: 3, probability: 0.4 } }, symbols.slice(0, 4));
    const b = await createModel(alice, 'Filters B', { kind: 'sma_crossover', params: { fast: 3, slow: 8 } }, symbols.slice(0, 2));
    for (const id of [a, b]) {
      expect((await t.req('POST', `/api/trading/start/${id}`, { token: alice, body: { start_date: '2026-09-01', end_date: '2026-10-30', pace_ms: 0 } })).status).toBe(202);
      await idle(alice, id);
    }
    const everything = [...(await stored(alice, a)), ...(await stored(alice, b))];
    const fills = everything.filter((e) => e.type === 'trade' && e.data.status === 'filled');
    expect(fills.length).toBeGreaterThan(3);

    const onlyFills = (await history(alice, `models=${a},${b}&fills_only=true&limit=1000`)).body.events;
    expect(onlyFills.map((e) => e.id)).toEqual(fills.map((e) => e.id).sort((x, y) => Number(x) - Number(y)));
    expect(onlyFills.every((e) => e.type === 'trade' && e.data.action !== 'hold' && e.data.status === 'filled')).toBe(true);

    // A hold is a decision, never a trade.
    const holds = (await history(alice, `models=${a}&action=hold&limit=1000`)).body.events;
    expect(holds.length).toBeGreaterThan(0);
    expect(holds.every((e) => e.type === 'decision' && e.data.action === 'hold')).toBe(true);
    expect(everything.some((e) => e.type === 'trade' && e.data.action === 'hold')).toBe(false);

    const sym = (fills[0]!.data as { symbol: string }).symbol;
    const bySymbol = (await history(alice, `symbol=${sym.toLowerCase()}&limit=1000`)).body.events;
    expect(bySymbol.length).toBeGreaterThan(0);
    expect(bySymbol.every((e) => e.type === 'trade' && e.data.symbol === sym)).toBe(true);

    const sells = (await history(alice, `action=sell&limit=1000`)).body.events;
    expect(sells.every((e) => e.type === 'trade' && e.data.action === 'sell')).toBe(true);

    const ends = (await history(alice, 'type=complete,error')).body.events;
    expect(ends.map((e) => e.model_id)).toEqual(expect.arrayContaining([a, b]));
    expect(ends.every((e) => e.type === 'complete')).toBe(true);

    const last3 = (await history(alice, `models=${a}&limit=3`)).body.events;
    expect(last3.map((e) => e.id)).toEqual((await stored(alice, a)).slice(-3).map((e) => e.id));
  }, 60_000);

  it('a model carries its latest run’s outcome: failed with its message, completed with its return', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    const llm = await createModel(alice, 'Unreachable LLM', { kind: 'llm', params: { base_url: `http://127.0.0.1:${closed}/v1`, model: 'm' } }, symbols.slice(0, 1));
    const steady = await createModel(alice, 'Steady', { kind: 'buy_and_hold', params: {} }, symbols.slice(0, 1));
    expect((await t.req('GET', `/api/models/${steady}`, { token: alice })).body.last_run).toBeNull();
    for (const id of [llm, steady]) {
      expect((await t.req('POST', `/api/trading/start/${id}`, { token: alice, body: { start_date: '2026-10-01', end_date: '2026-10-09', pace_ms: 0 } })).status).toBe(202);
      await idle(alice, id);
    }
    const list = (await t.req('GET', '/api/models', { token: alice })).body.items as { id: number; last_run: { status: string; error: string | null; return_pct: number | null; run_number: number } | null }[];
    const failed = list.find((m) => m.id === llm)!.last_run!;
    expect(failed).toMatchObject({ status: 'failed', run_number: 1 });
    expect(failed.error).toMatch(/\S/);
    const done = list.find((m) => m.id === steady)!.last_run!;
    expect(done).toMatchObject({ status: 'completed', error: null, run_number: 1 });
    expect(typeof done.return_pct).toBe('number');
    expect((await t.req('GET', `/api/models/${llm}`, { token: alice })).body.last_run).toEqual(failed);
  }, 60_000);

  it('another user’s model is not found; bad parameters are a 400 naming them; nothing stored yet is empty at 0', async () => {
    const own = await createModel(bob, 'Bob only', { kind: 'buy_and_hold', params: {} }, symbols.slice(0, 1));
    const fresh = await signup(t);
    expect((await history(fresh.token, '')).body).toEqual({ events: [], last_event_id: expect.stringMatching(/^\d+$/) });
    expect((await history(alice, `models=${own}`)).status).toBe(404);
    for (const [q, field] of [
      ['models=a,b', 'models'],
      ['limit=0', 'limit'],
      ['limit=5000', 'limit'],
      ['type=nope', 'type'],
      ['fills_only=maybe', 'fills_only'],
      ['action=short', 'action'],
      ['symbol=%24%24', 'symbol'],
      ['extra=1', 'extra'],
    ] as const) {
      const res = await history(alice, q);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(res.body), q).toContain(field);
    }
    expect((await t.req('GET', '/api/events/history')).status).toBe(401);
  });
});
