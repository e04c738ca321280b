import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

describe('event search and export over HTTP', () => {
  let t: TestServer;
  let alice: string;
  let bob: string;
  let aliceModels: number[];
  let bobModel: number;
  let aliceRun: number;
  let symbols: string[];

  const createModel = async (token: string, name: string, allowed: string[]) => {
    const res = await t.req('POST', '/api/models', { token, body: { name, agent: { kind: 'sma_crossover', params: { fast: 3, slow: 8 } }, allowed_symbols: allowed } });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  /** Runs a short session to the end; returns the run id. */
  const runOnce = async (token: string, id: number) => {
    const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-10-01', pace_ms: 0 } });
    expect(start.status).toBe(202);
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle', `model ${id} to finish`);
    return start.body.id as number;
  };
  const search = (token: string, query: string) => t.req<{ items: TradingEvent[]; next_cursor: string | null }>('GET', `/api/events/search?${query}`, { token });
  /** Every page of a search, following next_cursor. */
  const searchAll = async (token: string, query: string, limit = 500) => {
    const items: TradingEvent[] = [];
    let cursor: string | null = null;
    do {
      const res = await search(token, `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    t = await startTestServer();
    alice = (await signup(t)).token;
    bob = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token: alice })).body.symbols.map((s: { symbol: string }) => s.symbol);
    aliceModels = [await createModel(alice, 'Alice A', symbols.slice(0, 2)), await createModel(alice, 'Alice B', symbols.slice(2, 4))];
    bobModel = await createModel(bob, 'Bob A', symbols.slice(0, 4));
    aliceRun = await runOnce(alice, aliceModels[0]!);
    await runOnce(alice, aliceModels[1]!);
    await runOnce(bob, bobModel);
  }, 60_000);
  afterAll(() => t.close());

  it('returns only the caller’s events, newest first, and pages them with a cursor', async () => {
    const all = await searchAll(alice, 'q=');
    expect(all.length).toBeGreaterThan(10);
    expect(new Set(all.map((e) => e.model_id))).toEqual(new Set(aliceModels));
    const ids = all.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    // Small pages walk the same list without gaps or duplicates.
    expect(await searchAll(alice, 'q=', 7)).toEqual(all);
    const first = await search(alice, 'limit=3');
    expect(first.body.items).toEqual(all.slice(0, 3));
    expect(first.body.next_cursor).toBe(all[2]!.id);

    const bobs = await searchAll(bob, 'q=');
    expect(bobs.length).toBeGreaterThan(0);
    expect(bobs.every((e) => e.model_id === bobModel)).toBe(true);
    // Another user's model is not found, whatever it holds.
    expect((await search(alice, `model_id=${bobModel}`)).status).toBe(404);
    expect((await search(bob, `model_id=${aliceModels[0]}`)).status).toBe(404);
    expect((await t.req('GET', '/api/events/search')).status).toBe(401);
  });

  it('filters by type, model, run, time and text', async () => {
    const trades = await searchAll(alice, 'type=trade');
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((e) => e.type === 'trade')).toBe(true);
    const mixed = await searchAll(alice, 'type=trade,complete');
    expect(new Set(mixed.map((e) => e.type))).toEqual(new Set(['trade', 'complete']));

    const ofA = await searchAll(alice, `model_id=${aliceModels[0]}`);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA.every((e) => e.model_id === aliceModels[0] && e.run_id === aliceRun)).toBe(true);
    expect(await searchAll(alice, `run_id=${aliceRun}`)).toEqual(ofA);

    // A symbol traded by model B only: the text search finds its trades, in any case.
    const symbol = symbols[2]!;
    const hits = await searchAll(alice, `q=${symbol.toLowerCase()}&type=trade`);
    expect(hits.length).toBeGreaterThan(0);
    // Its trades, and the hold decisions whose message names it: all of model B.
    const mentions = (e: TradingEvent) => e.type === 'trade' && (e.data.symbol === symbol || e.data.message.includes(symbol));
    expect(hits.every((e) => mentions(e) && e.model_id === aliceModels[1])).toBe(true);
    expect(hits).toEqual(trades.filter(mentions));
    expect(hits.some((e) => e.type === 'trade' && e.data.symbol === symbol)).toBe(true);
    expect(await searchAll(alice, 'q=no%20event%20says%20this')).toEqual([]);
    // `%` is literal, not LIKE's wildcard.
    const percent = await searchAll(alice, 'q=%25');
    expect(percent.every((e) => JSON.stringify(e.data).includes('%'))).toBe(true);
    expect(percent.length).toBeLessThan((await searchAll(alice, 'q=')).length);

    const stamps = (await searchAll(alice, 'q=')).map((e) => e.timestamp);
    const today = stamps[0]!.slice(0, 10);
    expect((await searchAll(alice, `from=${today}&to=${today}`)).length).toBe(stamps.filter((s) => s.startsWith(today)).length);
    expect(await searchAll(alice, 'to=2000-01-01')).toEqual([]);
    expect(await searchAll(alice, `from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
  });

  it('rejects bad parameters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['type=trade,bogus', 'type'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=501', 'limit'],
      ['cursor=x', 'cursor'],
      ['model_id=-1', 'model_id'],
      ['run_id=abc', 'run_id'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['format=xml', 'format'],
      ['colour=red', 'colour'],
    ]) {
      const res = await t.req<{ error: { code: string; message: string } }>('GET', `/api/events/search?${query}`, { token: alice });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('validation_error');
      expect(res.body.error.message, query).toContain(field!);
    }
  });

  it('exports the whole result as CSV and JSON downloads', async () => {
    const expected = await searchAll(alice, 'type=trade');
    const csv = await t.req<string>('GET', '/api/events/search?type=trade&format=csv&limit=1', { token: alice });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="events-search.csv"');
    const rows: string[][] = parse(csv.body);
    expect(rows[0]).toEqual(['id', 'type', 'timestamp', 'model_id', 'run_id', 'message', 'action', 'symbol', 'quantity', 'price', 'amount', 'status', 'reason', 'data']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((e) => e.id));
    expect(rows.slice(1).every((r) => r[1] === 'trade')).toBe(true);
    const newest = expected[0]!;
    expect(newest.type).toBe('trade');
    expect(rows[1]![7]).toBe(newest.type === 'trade' ? (newest.data.symbol ?? '') : undefined);
    expect(JSON.parse(rows[1]![13]!)).toEqual(expected[0]!.data);

    const json = await t.req('GET', '/api/events/search?type=trade&format=json', { token: alice });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="events-search.json"');
    expect(json.body).toEqual({ items: expected, next_cursor: null });

    const none = await t.req('GET', '/api/events/search?q=no%20such%20text&format=json', { token: bob });
    expect(none.body).toEqual({ items: [], next_cursor: null });
    const noneCsv = await t.req<string>('GET', '/api/events/search?q=no%20such%20text&format=csv', { token: bob });
    expect(parse(noneCsv.body)).toHaveLength(1);
  });
});
