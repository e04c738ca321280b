import { RunConfig } from '../domain/run.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '@tradewire/contract';
import type { Agent, OrderPreview } from '../agents/agent.js';
import { MemoryEventBus } from '../events/memory-bus.js';
import type { ModelRecord } from '../storage/records.js';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import { modelWrite } from '../test/fixtures.js';
import { Session } from './session.js';
import { localStore } from './session-store.js';

const bar = (date: string, open: number, close: number): Bar => ({ date, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1000 });
const calendar = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08'];
const bars = new Map([['ACME', [bar('2026-01-02', 9, 10), bar('2026-01-05', 10, 11), bar('2026-01-06', 12, 12), bar('2026-01-07', 13, 14), bar('2026-01-08', 15, 15)]]]);

describe('Session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-session-'));
  let storage: Storage;
  let model: ModelRecord;
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    storage = await openSqlite(join(dir, 'session.db'));
    const user = await storage.users.create({ email: 's@example.com', password_hash: 'x', display_name: 'S' });
    model = await storage.models.create(user.id, modelWrite('Session', { initial_cash: 1000, allowed_symbols: ['ACME'], slippage_bps: 0, risk: { ...modelWrite('x').risk, max_position_pct: 100 } }));
  });

  it('plays the calendar: decides on what is known, fills at the open, records and streams each step', async () => {
    const bus = await MemoryEventBus.create(storage, 100);
    const seen: [string, string | undefined, number | undefined][] = [];
    const previews: OrderPreview[] = [];
    const agent: Agent = {
      decide: async (obs) => {
        seen.push([obs.date, obs.history.get('ACME')!.at(-1)?.date, obs.open.get('ACME')]);
        if (obs.step === 1) {
          previews.push(obs.preview([{ symbol: 'ACME', side: 'buy', quantity: 50 }]));
          return { orders: [{ symbol: 'ACME', side: 'buy', quantity: 50 }], reasoning: 'buy' };
        }
        if (obs.step === 3) return { orders: [{ symbol: 'ACME', side: 'sell', quantity: 50 }], reasoning: 'sell' };
        return { orders: [], reasoning: 'wait' };
      },
    };
    const run = await storage.runs.create({ model_id: model.id, start_date: calendar[0]!, end_date: calendar.at(-1)!, pace_ms: 0, config: RunConfig.parse({}), started_at: new Date().toISOString(), cash: 1000, total_steps: calendar.length });
    const session = new Session(model, run, { dataset: 'simulated', symbols: ['ACME'], calendar, bars }, () => agent, localStore({ storage, bus }));

    expect(await session.done).toBe('completed');
    // No look-ahead: each day's history ends the day before, and only the open of the day is known.
    expect(seen).toEqual([
      ['2026-01-05', '2026-01-02', 10],
      ['2026-01-06', '2026-01-05', 12],
      ['2026-01-07', '2026-01-06', 13],
      ['2026-01-08', '2026-01-07', 15],
    ]);
    // The preview told the agent exactly the fill the session then made.
    const trades = (await storage.trades.list({ model_id: model.id, run_id: run.id, limit: 10 })).items.reverse();
    expect(previews[0]!.fills[0]).toMatchObject({ status: 'filled', quantity: 50, price: 10, cash_after: 500 });
    expect(trades.map((t) => [t.date, t.action, t.quantity, t.price, t.cash_after])).toEqual([
      ['2026-01-05', 'buy', 50, 10, 500],
      ['2026-01-07', 'sell', 50, 13, 1150],
    ]);
    expect((await storage.runs.equityCurve(run.id)).map((p) => p.equity)).toEqual([1050, 1100, 1150, 1150]);
    const finished = (await storage.runs.byId(run.id))!;
    expect(finished).toMatchObject({ status: 'completed', trade_count: 2, cash: 1150 });
    expect(finished.metrics?.total_return_pct).toBeCloseTo(15, 6);

    const events = await storage.events.recentByModel(model.id, 100);
    expect(events.map((e) => e.type)).toEqual([
      'status',
      'status',
      ...['progress', 'trade', 'portfolio'],
      ...['progress', 'decision'],
      ...['progress', 'trade', 'portfolio'],
      ...['progress', 'decision'],
      'session_complete',
      'complete',
    ]);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    await bus.close();
  });
});
