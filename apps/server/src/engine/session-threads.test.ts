import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import type { TradingEvent } from '@tradewire/contract';
import { MemoryEventBus } from '../events/memory-bus.js';
import { createMarketData } from '../market/index.js';
import type { RunPlan } from '../domain/run.js';
import type { ModelRecord } from '../storage/records.js';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import { modelWrite } from '../test/fixtures.js';
import { SecretBox } from '../auth/secret-box.js';
import { agentFactory } from '../services/agent-factory.js';
import { configSnapshot, planRun } from './run-plan.js';
import { Session } from './session.js';
import { localStore } from './session-store.js';
import { SessionThreads } from './session-threads.js';

/**
 * Backtests on engine threads against the same backtests on the event loop, over a real SQLite
 * file and the real in-memory bus: the thread only works steps out, so what is stored and told
 * must not differ, and the rules of the event loop (ids in order, stored before delivered) hold.
 */
describe('SessionThreads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-threads-'));
  const config = loadConfig({ DATA_DIR: dir, MARKET_YEARS: '2', LOG_LEVEL: 'silent' });
  let storage: Storage;
  let bus: MemoryEventBus;
  let threads: SessionThreads;
  let plan: RunPlan;
  let userId: number;

  beforeAll(async () => {
    storage = await openSqlite(join(dir, 'threads.db'));
    bus = await MemoryEventBus.create(storage, 1000);
    threads = new SessionThreads(2, { jwtSecret: config.jwtSecret, llm: config.llm }, { storage, bus });
    userId = (await storage.users.create({ email: 't@example.com', password_hash: 'x', display_name: 'T' })).id;
    const market = createMarketData(storage, config);
    const range = (await market.range())!;
    const symbols = (await market.symbols()).slice(0, 3).map((s) => s.symbol);
    plan = await planRun(market, { dataset: 'simulated', allowed_symbols: symbols }, { start_date: range.first, end_date: range.last });
  });
  afterAll(async () => {
    await threads.close();
    await bus.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newRun = async (name: string, paceMs = 0) => {
    const model = await storage.models.create(userId, modelWrite(name, { allowed_symbols: plan.symbols }));
    const run = await storage.runs.create({
      model_id: model.id,
      start_date: plan.calendar[0]!,
      end_date: plan.calendar.at(-1)!,
      pace_ms: paceMs,
      config: configSnapshot(model, plan),
      started_at: new Date().toISOString(),
      cash: model.initial_cash,
      total_steps: plan.calendar.length,
    });
    return { model, run };
  };

  /** What a run left behind, without ids and times. */
  const recorded = async (model: ModelRecord, runId: number) => {
    const trades = (await storage.trades.list({ model_id: model.id, run_id: runId, limit: 1000 })).items.map(({ id: _i, created_at: _c, run_id: _r, model_id: _m, ...t }) => t);
    const curve = await storage.runs.equityCurve(runId);
    const { metrics, status, cash, trade_count } = (await storage.runs.byId(runId))!;
    const events = (await storage.events.recentByModel(model.id, 100_000)).map((e) => ({ type: e.type, data: JSON.stringify({ ...e.data, timestamp: undefined }) }));
    return { trades, curve, metrics, status, cash, trade_count, events: events.length, types: events.map((e) => e.type).join(',') };
  };

  it('stores and tells exactly what the same backtest on the event loop does, stored before delivered, ids in order', async () => {
    const here = await newRun('on the event loop');
    const agents = agentFactory({ secrets: new SecretBox(config.jwtSecret), llm: config.llm });
    const local = new Session(here.model, here.run, plan, (hooks) => agents(here.model, hooks), localStore({ storage, bus }));
    expect(await local.done).toBe('completed');

    const threaded = await newRun('on a thread');
    const delivered: TradingEvent[] = [];
    const unstored: string[] = [];
    // A second connection to the file reads, at the instant of each delivery, whether the event is stored.
    const reader = new Database(join(dir, 'threads.db'), { readonly: true });
    const stored = reader.prepare('SELECT 1 FROM run_events WHERE id = ?');
    const sub = await bus.subscribe({ modelIds: [threaded.model.id], userId }, undefined, {
      onEvent: (e) => {
        delivered.push(e.event);
        if (!stored.get(Number(e.event.id))) unstored.push(e.event.id);
      },
      onClose: () => {},
    });
    const session = threads.launch(threaded.model, threaded.run, plan);
    expect(await session.done).toBe('completed');
    sub.unsubscribe();
    reader.close();

    const a = await recorded(here.model, here.run.id);
    const b = await recorded(threaded.model, threaded.run.id);
    expect(a.trades.length).toBeGreaterThan(5);
    expect(b).toEqual(a);
    expect(session.progress).toMatchObject({ step: plan.calendar.length, total_steps: plan.calendar.length });
    expect(session.portfolio()).toMatchObject({ cash: b.cash, trade_count: b.trade_count });
    expect(delivered.length).toBe(b.events);
    const ids = delivered.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(unstored).toEqual([]);
  });

  it('plays several runs across its threads, and a stop ends only its run', async () => {
    const runs = await Promise.all(['one', 'two', 'three', 'four'].map((n) => newRun(n)));
    const slow = await newRun('stopped', 50);
    const slowSession = threads.launch(slow.model, slow.run, plan);
    const sessions = runs.map(({ model, run }) => threads.launch(model, run, plan));
    await expect.poll(() => slowSession.progress?.step ?? 0, { timeout: 20_000 }).toBeGreaterThan(1);
    slowSession.stop('stopped');
    expect(await slowSession.done).toBe('stopped');
    expect(await Promise.all(sessions.map((s) => s.done))).toEqual(['completed', 'completed', 'completed', 'completed']);
    const stopped = (await storage.runs.byId(slow.run.id))!;
    expect(stopped.status).toBe('stopped');
    expect(stopped.step).toBeLessThan(plan.calendar.length);
    // Identical configs, identical results, whichever thread played them.
    const results = await Promise.all(runs.map(({ model, run }) => recorded(model, run.id)));
    for (const r of results.slice(1)) expect(r.curve).toEqual(results[0]!.curve);
  });

  it('closes the runs of a thread that dies, told why, and plays the next run on a new one', async () => {
    const doomed = await newRun('doomed', 20);
    const session = threads.launch(doomed.model, doomed.run, plan);
    await expect.poll(() => session.progress?.step ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    await threads.workerOf(session)!.terminate();
    expect(await session.done).toBe('failed');
    const run = (await storage.runs.byId(doomed.run.id))!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/engine thread stopped/);
    const last = (await storage.events.recentByModel(doomed.model.id, 1))[0]!;
    expect(last.type).toBe('complete');

    const next = await newRun('after');
    expect(await threads.launch(next.model, next.run, plan).done).toBe('completed');
  });
});
