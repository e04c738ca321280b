import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TradingEvent } from '@tradewire/contract';
import { openSqlite } from '../storage/sqlite.js';
import { modelWrite } from '../test/fixtures.js';
import { EventClock, fromStored, isoMicros, issueEvents, microsOf, toStored } from './codec.js';
import type { EventBody } from './event-bus.js';

// Numbers and texts as JSON carries them (no NaN, no -0) and as UTF-8 stores them (no lone surrogates).
const num = fc.double({ min: -1e12, max: 1e12, noNaN: true }).map((x) => (x === 0 ? 0 : x));
const int = fc.integer({ min: 0, max: 1e9 });
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const status = fc.constantFrom('running', 'completed', 'stopped', 'failed', 'interrupted' as const);
const metrics = fc.option(
  fc.record({
    total_return_pct: num,
    annualized_return_pct: fc.option(num, { nil: null }),
    annualized_volatility_pct: num,
    sharpe: fc.option(num, { nil: null }),
    sortino: fc.option(num, { nil: null }),
    max_drawdown_pct: num,
    win_rate_pct: fc.option(num, { nil: null }),
    profit_factor: fc.option(num, { nil: null }),
    trade_count: int,
  }),
  { nil: null },
);
const position = fc.record({ symbol: text, quantity: num, avg_cost: num, last_price: num, market_value: num, unrealized_pnl: num });
const portfolio = fc.record({ date: fc.option(date, { nil: null }), cash: num, equity: num, positions: fc.array(position, { maxLength: 3 }), return_pct: num, trade_count: int });

/** Every kind of event a run stores, with any valid content. */
const body: fc.Arbitrary<EventBody> = fc.oneof(
  fc.record({ type: fc.constant('status' as const), data: fc.record({ message: text, status: fc.option(status, { nil: undefined }) }, { requiredKeys: ['message'] }) }),
  fc.record({ type: fc.constant('progress' as const), data: fc.record({ message: text, step: int, total_steps: int, date, cash: num, equity: num, return_pct: num }) }),
  fc.record({
    type: fc.constant('trade' as const),
    data: fc.record({
      message: text,
      date,
      action: fc.constantFrom('buy', 'sell', 'hold' as const),
      symbol: fc.option(text, { nil: null }),
      quantity: num,
      price: num,
      amount: num,
      commission: num,
      cash_after: num,
      status: fc.constantFrom('filled', 'rejected' as const),
      reason: fc.option(text, { nil: null }),
    }),
  }),
  fc.record({ type: fc.constant('portfolio' as const), data: portfolio.chain((p) => fc.record({ message: text }).map((m) => ({ ...p, ...m }))) }),
  fc.record({ type: fc.constant('reasoning' as const), data: fc.record({ message: text, text }) }),
  fc.record({ type: fc.constant('session_complete' as const), data: fc.record({ message: text }) }),
  fc.record({ type: fc.constant('complete' as const), data: fc.record({ message: text, status, metrics }) }),
  fc.record({ type: fc.constant('error' as const), data: fc.record({ message: text }) }),
);

const dir = mkdtempSync(join(tmpdir(), 'tradewire-codec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('event codec', () => {
  it('issues ids in order and distinct, increasing microsecond timestamps', () => {
    const clock = new EventClock();
    const drafts = [{ type: 'error' as const, data: { message: 'a' } }, { type: 'error' as const, data: { message: 'b' } }].map((b) => ({ ...b, model_id: 1, user_id: 9, run_id: null }));
    const first = issueEvents(drafts, 41, clock.reserve(2));
    const second = issueEvents(drafts, 43, clock.reserve(2));
    const all = [...first, ...second];
    expect(all.map((e) => e.id)).toEqual(['41', '42', '43', '44']);
    const stamps = all.map((e) => e.timestamp);
    expect(stamps.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(s))).toBe(true);
    expect(stamps.map(microsOf)).toEqual([...stamps.map(microsOf)].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(4);
    // The owner never reaches the wire.
    expect(all.every((e) => !('user_id' in e))).toBe(true);
    expect(isoMicros(microsOf('2026-11-27T10:00:00.123456Z'))).toBe('2026-11-27T10:00:00.123456Z');
  });

  it('any valid event survives stored → wire → parse unchanged (property)', () => {
    fc.assert(
      fc.property(body, int, fc.integer({ min: 1, max: 1e6 }), fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: null }), (b, seq, modelId, runId) => {
        const [event] = issueEvents([{ ...b, model_id: modelId, user_id: 1, run_id: runId }], seq + 1, Date.now() * 1000);
        expect(TradingEvent.safeParse(event).success).toBe(true);
        // The database keeps data as JSON text.
        const row = toStored(event!);
        const back = fromStored({ ...row, data: JSON.parse(JSON.stringify(row.data)) });
        expect(back).toEqual(event);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips through a real SQLite file', async () => {
    const storage = await openSqlite(join(dir, 'codec.db'));
    try {
      const user = await storage.users.create({ email: 'codec@example.com', password_hash: 'x', display_name: 'C' });
      const model = await storage.models.create(user.id, modelWrite('Codec'));
      const bodies = fc.sample(body, { numRuns: 200, seed: 42 });
      const events = issueEvents(bodies.map((b) => ({ ...b, model_id: model.id, user_id: user.id, run_id: null })), 1, Date.now() * 1000);
      for (const e of events) await storage.events.add(toStored(e));
      const read = (await storage.events.recentByModel(model.id, 1000)).map((row) => fromStored(row));
      expect(read).toEqual(events);
    } finally {
      await storage.close();
    }
  });

  it('skips a stored row that no longer matches the contract, saying why', () => {
    const problems: string[] = [];
    const row = { id: 7, model_id: 1, run_id: null, type: 'progress', timestamp: '2026-01-01T00:00:00.000Z', data: { message: 'old', step: 1 } };
    expect(fromStored(row, (_r, problem) => problems.push(problem))).toBeNull();
    expect(problems[0]).toMatch(/data\.total_steps/);
  });
});
