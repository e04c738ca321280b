import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ModelCreate } from '@tradewire/contract';
import pg from 'pg';
import { createServer } from '../../../apps/server/dist/compose.js';
import { loadConfig } from '../../../apps/server/dist/config/config.js';
import { planRun } from '../../../apps/server/dist/engine/run-plan.js';
import { SessionRunner } from '../../../apps/server/dist/engine/session-runner.js';
import { SecretBox } from '../../../apps/server/dist/auth/secret-box.js';
import { RunConfig } from '../../../apps/server/dist/domain/run.js';
import { issueEvents } from '../../../apps/server/dist/events/codec.js';
import type { EventBus } from '../../../apps/server/dist/events/event-bus.js';
import { MemoryEventBus } from '../../../apps/server/dist/events/memory-bus.js';
import { createMarketData } from '../../../apps/server/dist/market/index.js';
import type { EquityPointRecord, ModelRecord, RunRecord } from '../../../apps/server/dist/storage/records.js';
import { agentFactory } from '../../../apps/server/dist/services/agent-factory.js';
import type { Storage } from '../../../apps/server/dist/storage/storage.js';
import { parentChannel } from '../lib/child.js';
import { nowMs } from '../lib/clock.js';

/**
 * One engine measurement in a fresh process: `runs` sma_crossover runs at pace 0 over the whole
 * simulated market, started together, timed from start to their `complete`.
 * - persisted: the real thing, the trading runtime's `start` on SQLite in a temp dir.
 * - persisted-pg: the same on PostgreSQL (BENCH_PG_URL, default the local server), in a database
 *   of its own, dropped afterwards.
 * - no-storage: the same `Session` (via `SessionRunner`, as `LocalTrading` launches it) and the
 *   real in-memory bus, over a storage that keeps nothing but the equity curve for the metrics.
 * - engine-only: as no-storage, and a bus that numbers events and drops them (no frames).
 */
export type EngineMode = 'persisted' | 'persisted-pg' | 'no-storage' | 'engine-only';
/** `threads`: ENGINE_THREADS for the persisted cases (undefined: the server's default). */
export type ToCase = { type: 'run'; mode: EngineMode; runs: number; years: number; threads?: number } | { type: 'exit' };
export type FromCase = {
  type: 'result';
  /** The engine threads the runs played on (0: the event loop). */
  threads: number;
  /** Seconds from start to `complete`, per run, and for all of them together. */
  runSeconds: number[];
  wallSeconds: number;
  steps: number;
  symbols: number;
  statuses: string[];
};

const model = (i: number): Omit<ModelRecord, 'id' | 'user_id'> => {
  const m = ModelCreate.parse({ name: `sma ${i}`, agent: { kind: 'sma_crossover', params: { fast: 10, slow: 30 } } });
  const now = new Date().toISOString();
  const { agent, ...rest } = m;
  return { ...rest, agent, agent_secret: null, created_at: now, updated_at: now };
};

let cleanup = async () => {};
const reply = parentChannel<ToCase, FromCase>(
  async (msg) => {
    if (msg.type !== 'run') return;
    reply(
      msg.mode === 'persisted' || msg.mode === 'persisted-pg'
        ? await persisted(msg.runs, msg.years, msg.mode === 'persisted-pg', msg.threads)
        : await inMemory(msg.mode, msg.runs, msg.years),
    );
  },
  () => cleanup(),
);

/** The server the PostgreSQL cases make their database on; its user must be allowed to create databases. */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function asAdmin(statement: string) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function persisted(runs: number, years: number, postgres: boolean, threads: number | undefined): Promise<FromCase> {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-bench-engine-'));
  const database = `tw_bench_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string | undefined;
  if (postgres) {
    await asAdmin(`CREATE DATABASE ${database}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    DATA_DIR: dir,
    MARKET_YEARS: String(years),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(threads === undefined ? {} : { ENGINE_THREADS: String(threads) }),
  });
  const server = await createServer(config, { logStream: new Writable({ write: (_c, _e, cb) => cb() }) });
  cleanup = async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    if (postgres) await asAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  };
  const { storage, trading, bus, market } = server.ctx;
  const user = await storage.users.create({ email: 'bench@example.com', password_hash: 'unused', display_name: 'bench' });
  const models = await Promise.all(Array.from({ length: runs }, (_, i) => storage.models.create(user.id, model(i))));
  const range = (await market.range())!;
  const symbols = (await market.symbols()).length;

  const finished = new Map<number, number>();
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  await bus.subscribe({ userId: user.id }, undefined, {
    onEvent: (e) => {
      if (e.event.type !== 'complete') return;
      finished.set(e.event.model_id!, nowMs());
      if (finished.size === runs) allDone();
    },
    onClose: () => {},
  });

  const plans = await Promise.all(models.map((m) => planRun(market, m, { start_date: range.first, end_date: range.last })));
  const t0 = nowMs();
  const started = await Promise.all(models.map((m, i) => trading.runtime.start(m, plans[i]!, 0)));
  await done;
  const wallSeconds = (nowMs() - t0) / 1000;
  const records = await Promise.all(started.map((r) => storage.runs.byId(r.id)));
  return {
    type: 'result',
    threads: config.engine.threads,
    runSeconds: models.map((m) => (finished.get(m.id)! - t0) / 1000),
    wallSeconds,
    steps: records.reduce((n, r) => n + (r?.step ?? 0), 0),
    symbols,
    statuses: records.map((r) => r?.status ?? 'missing'),
  };
}

/** A storage that persists nothing; it keeps the equity curve only because the final metrics read it. */
function noStorage() {
  const curves = new Map<number, EquityPointRecord[]>();
  const storage = {
    kind: 'sqlite',
    events: { add: async () => {}, maxId: async () => 0, recentByModel: async () => [] },
    logs: { add: async () => {} },
    market: { symbols: async () => [], bars: async () => [] },
    runs: {
      recordStep: async (s: { run_id: number; equity: EquityPointRecord }) => {
        const curve = curves.get(s.run_id) ?? [];
        curves.set(s.run_id, curve);
        curve.push(s.equity);
      },
      equityCurve: async (runId: number) => curves.get(runId) ?? [],
      finish: async () => {},
    },
  };
  return storage as unknown as Storage;
}

/** Numbers events and hands them to `persist`, like a bus, then delivers them nowhere. */
function droppingBus(): EventBus {
  let seq = 0;
  return {
    async commit(drafts, persist) {
      const events = issueEvents(drafts, seq + 1, Date.now() * 1000);
      seq += drafts.length;
      await persist(events);
      return events;
    },
    subscribe: () => Promise.reject(new Error('not used')),
    closeModel: () => {},
    stats: () => ({ subscribers: 0, events_per_s: 0 }),
    reachable: () => undefined,
    close: async () => {},
  };
}

async function inMemory(mode: EngineMode, runs: number, years: number): Promise<FromCase> {
  // Nothing is written to the data dir; config loading creates it, so it is a temp dir too.
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-bench-engine-'));
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
  const config = loadConfig({ DATA_DIR: dir, MARKET_YEARS: String(years), LOG_LEVEL: 'warn' });
  const storage = noStorage();
  const market = createMarketData(storage, config);
  const bus = mode === 'engine-only' ? droppingBus() : await MemoryEventBus.create(storage, config.stream.bufferEvents);
  const runner = new SessionRunner({ storage, bus, market, agents: agentFactory({ secrets: new SecretBox(config.jwtSecret), llm: config.llm }) });
  const range = (await market.range())!;
  const symbols = (await market.symbols()).length;

  const t0 = nowMs();
  const sessions = await Promise.all(
    Array.from({ length: runs }, async (_, i) => {
      const m: ModelRecord = { id: i + 1, user_id: 1, ...model(i) };
      const plan = await planRun(market, m, { start_date: range.first, end_date: range.last });
      const run: RunRecord = {
        id: i + 1, model_id: m.id, run_number: 1, status: 'running', start_date: plan.calendar[0]!, end_date: plan.calendar.at(-1)!,
        pace_ms: 0, config: RunConfig.parse({}), started_at: new Date().toISOString(), ended_at: null, error: null, metrics: null, usage: null,
        cash: m.initial_cash, step: 0, total_steps: plan.calendar.length, last_date: null, trade_count: 0,
      };
      const session = runner.launch(m, run, plan);
      const status = await session.done;
      return { status, seconds: (nowMs() - t0) / 1000, steps: session.progress?.step ?? 0 };
    }),
  );
  return {
    type: 'result',
    threads: 0,
    runSeconds: sessions.map((s) => s.seconds),
    wallSeconds: (nowMs() - t0) / 1000,
    steps: sessions.reduce((n, s) => n + s.steps, 0),
    symbols,
    statuses: sessions.map((s) => s.status),
  };
}
