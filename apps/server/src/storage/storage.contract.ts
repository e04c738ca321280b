import { RunConfig } from '../domain/run.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelWrite } from '../test/fixtures.js';
import type { BarRecord, RunCreate, RunRecord, StepWrite, StoredEvent, TradeWrite } from './records.js';
import { DatasetMismatch, LastAdmin, RunClosed, type Storage, UniqueViolation } from './storage.js';

const model = modelWrite;

/** Resolves with the error the promise rejects with (fails if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

const iso = () => new Date().toISOString();

const runCreate = (model_id: number): RunCreate => ({
  model_id,
  start_date: '2024-01-02',
  end_date: '2024-12-31',
  pace_ms: 0,
  config: RunConfig.parse({ name: 'x', symbols: ['AAA'], initial_cash: 10_000 }),
  started_at: iso(),
  cash: 10_000,
  total_steps: 250,
});

const trade = (run: { id: number; model_id: number }, step: number, extra: Partial<TradeWrite> = {}): TradeWrite => ({
  run_id: run.id,
  model_id: run.model_id,
  step,
  date: `2024-01-${String(step + 1).padStart(2, '0')}`,
  action: 'buy',
  symbol: 'AAA',
  quantity: 10,
  price: 100.25,
  amount: 1_002.5,
  commission: 0.5,
  cash_after: 8_997,
  status: 'filled',
  reason: null,
  created_at: '2024-03-01T00:00:00.000Z',
  ...extra,
});

const event = (id: number, model_id: number, run_id: number | null, type = 'progress'): StoredEvent => ({
  id,
  model_id,
  run_id,
  type,
  timestamp: '2024-03-01T00:00:00.000Z',
  data: { message: `event ${id}`, nested: { step: id } },
});

/** One step of a run that buys AAA; `eventIds` are the ids its events get. */
const stepOf = (run: { id: number; model_id: number }, step: number, eventIds: number[]): StepWrite => ({
  run_id: run.id,
  step,
  date: `2024-01-${String(step + 1).padStart(2, '0')}`,
  cash: 10_000 - step * 1_000.5,
  trade_count: step,
  positions: [
    { symbol: 'AAA', quantity: step * 10, avg_cost: 100.25, last_price: 100 + step },
    { symbol: 'BBB', quantity: 1.5, avg_cost: 20, last_price: 21.75 },
  ],
  trades: [trade(run, step)],
  equity: { step, date: `2024-01-${String(step + 1).padStart(2, '0')}`, equity: 10_000 + step / 4, cash: 10_000 - step * 1_000.5 },
  events: eventIds.map((id) => event(id, run.model_id, run.id, 'trade')),
});

const bars = (n: number, base: number): BarRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10),
    open: base + i,
    high: base + i + 1.5,
    low: base + i - 0.25,
    close: base + i + 0.5,
    volume: 1_000_000 + i,
  }));

/**
 * The behaviour every Storage implementation shares. Uses the Storage interface only, so the
 * SQLite and PostgreSQL suites run it unchanged; `open` must return a migrated, empty store.
 */
export function storageContract(name: string, open: () => Promise<Storage>) {
  describe(`Storage contract: ${name}`, () => {
    let s: Storage;
    let n = 0;
    const user = (email = `u${++n}@example.com`) =>
      s.users.create({ email, password_hash: `hash-${email}`, display_name: email.split('@')[0]! });

    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    describe('users', () => {
      it('makes the first account admin and later ones users', async () => {
        const first = await user('first@example.com');
        const second = await user('second@example.com');
        expect(first).toEqual({
          id: expect.any(Number),
          email: 'first@example.com',
          password_hash: 'hash-first@example.com',
          display_name: 'first',
          role: 'admin',
          created_at: expect.any(String),
        });
        expect(second.role).toBe('user');
        expect(second.id).not.toBe(first.id);
      });

      it('makes exactly one admin when accounts are created at once', async () => {
        const created = await Promise.all([1, 2, 3, 4, 5].map(() => user()));
        expect(created.filter((u) => u.role === 'admin')).toHaveLength(1);
      });

      it('finds users by id and email', async () => {
        const u = await user('find@example.com');
        expect(await s.users.byId(u.id)).toEqual(u);
        expect(await s.users.byEmail('find@example.com')).toEqual(u);
        expect(await s.users.byId(u.id + 1000)).toBeUndefined();
        expect(await s.users.byEmail('nobody@example.com')).toBeUndefined();
      });

      it('refuses a second account with the same email', async () => {
        await user('dup@example.com');
        const e = await rejection(user('dup@example.com'));
        expect(e).toBeInstanceOf(UniqueViolation);
        expect((e as UniqueViolation).field).toBe('email');
      });
    });

    describe('tokens', () => {
      it('remembers revoked token ids', async () => {
        const exp = Math.floor(Date.now() / 1000) + 3600;
        expect(await s.tokens.isRevoked('jti-1')).toBe(false);
        await s.tokens.revoke('jti-1', exp);
        await s.tokens.revoke('jti-1', exp);
        expect(await s.tokens.isRevoked('jti-1')).toBe(true);
        expect(await s.tokens.isRevoked('jti-2')).toBe(false);
      });
    });

    describe('models', () => {
      it('stores every field and gives it back', async () => {
        const u = await user();
        const write = model('Momentum', {
          description: 'desc',
          agent: {
            kind: 'llm',
            params: { base_url: 'http://localhost:11434/v1', model: 'llama3', temperature: 0.7, max_tool_calls_per_step: 3, instructions: 'Be brief.\nTwo lines.' },
          },
          agent_secret: 'v1.sealed',
          initial_cash: 2500.25,
          allowed_symbols: ['AAA', 'BBB'],
          risk: { max_position_pct: 12.5, max_orders_per_step: 2, stop_loss_pct: 3, max_drawdown_pct: null, min_cash_pct: 5 },
          commission_bps: 1.5,
          slippage_bps: 0,
        });
        const m = await s.models.create(u.id, write);
        expect(m).toEqual({ ...write, id: expect.any(Number), user_id: u.id, created_at: expect.any(String), updated_at: m.created_at });
        expect(Number.isNaN(Date.parse(m.created_at))).toBe(false);
        expect(await s.models.byId(m.id)).toEqual(m);
        expect(await s.models.byId(m.id + 1000)).toBeUndefined();
      });

      it('lists a user’s models in creation order, and only theirs', async () => {
        const a = await user();
        const b = await user();
        const a1 = await s.models.create(a.id, model('one'));
        await s.models.create(b.id, model('other'));
        const a2 = await s.models.create(a.id, model('two'));
        expect(await s.models.listByUser(a.id)).toEqual([a1, a2]);
        expect((await s.models.listByUser(b.id)).map((m) => m.name)).toEqual(['other']);
        expect(await s.models.listByUser(b.id + 1000)).toEqual([]);
      });

      it('keeps names unique per user, ignoring case', async () => {
        const a = await user();
        const b = await user();
        await s.models.create(a.id, model('Alpha'));
        for (const name of ['Alpha', 'ALPHA', 'alpha']) {
          const e = await rejection(s.models.create(a.id, model(name)));
          expect(e, name).toBeInstanceOf(UniqueViolation);
          expect((e as UniqueViolation).field).toBe('name');
        }
        expect((await s.models.create(b.id, model('Alpha'))).name).toBe('Alpha');
        expect(await s.models.listByUser(a.id)).toHaveLength(1);
      });

      it('updates every field but the owner and creation time', async () => {
        const u = await user();
        const m = await s.models.create(u.id, model('Before'));
        const write = model('After', {
          description: 'changed',
          agent: { kind: 'random', params: { seed: 1, probability: 0.5, position_pct: 10 } },
          agent_secret: null,
          initial_cash: 1,
          allowed_symbols: ['ZZZ'],
          commission_bps: 3,
          slippage_bps: 4,
        });
        const updated = await s.models.update(m.id, write);
        expect(updated).toEqual({ ...write, id: m.id, user_id: u.id, created_at: m.created_at, updated_at: expect.any(String) });
        expect(updated.updated_at >= m.updated_at).toBe(true);
        expect(await s.models.byId(m.id)).toEqual(updated);
      });

      it('refuses an update to a name the user already has, changing nothing', async () => {
        const u = await user();
        await s.models.create(u.id, model('Taken'));
        const m = await s.models.create(u.id, model('Mine'));
        const e = await rejection(s.models.update(m.id, model('taken', { description: 'x' })));
        expect(e).toBeInstanceOf(UniqueViolation);
        expect(await s.models.byId(m.id)).toEqual(m);
        expect((await s.models.update(m.id, model('MINE'))).name).toBe('MINE');
      });

      it('deletes a model once', async () => {
        const u = await user();
        const m = await s.models.create(u.id, model('Gone'));
        expect(await s.models.delete(m.id)).toBe(true);
        expect(await s.models.delete(m.id)).toBe(false);
        expect(await s.models.byId(m.id)).toBeUndefined();
        expect(await s.models.listByUser(u.id)).toEqual([]);
        expect((await s.models.create(u.id, model('Gone'))).name).toBe('Gone');
      });

      it('deletes a model’s runs, trades, positions, equity, logs and events with it', async () => {
        const u = await user();
        const m = await s.models.create(u.id, model('Cascade'));
        const keep = await s.models.create(u.id, model('Keep'));
        const runFor = (model_id: number) => s.runs.create(runCreate(model_id));
        const run = await runFor(m.id);
        const kept = await runFor(keep.id);
        for (const [r, eventId] of [
          [run, 1],
          [kept, 2],
        ] as const) {
          await s.runs.recordStep({
            run_id: r.id,
            step: 1,
            date: '2024-01-02',
            cash: 9_000,
            trade_count: 1,
            positions: [{ symbol: 'AAA', quantity: 10, avg_cost: 100, last_price: 101 }],
            trades: [
              {
                run_id: r.id,
                model_id: r.model_id,
                step: 1,
                date: '2024-01-02',
                action: 'buy',
                symbol: 'AAA',
                quantity: 10,
                price: 100,
                amount: 1_000,
                commission: 0,
                cash_after: 9_000,
                status: 'filled',
                reason: null,
                created_at: iso(),
              },
            ],
            equity: { step: 1, date: '2024-01-02', equity: 10_010, cash: 9_000 },
            events: [{ id: eventId, model_id: r.model_id, run_id: r.id, type: 'trade', timestamp: iso(), data: { message: 'bought' } }],
          });
          await s.logs.add({ model_id: r.model_id, run_id: r.id, level: 'info', message: 'hello', created_at: iso() });
        }
        expect((await s.trades.list({ model_id: m.id, limit: 10 })).items).toHaveLength(1);

        expect(await s.models.delete(m.id)).toBe(true);
        expect(await s.runs.byId(run.id)).toBeUndefined();
        expect(await s.runs.listByModel(m.id)).toEqual([]);
        expect(await s.runs.positions(run.id)).toEqual([]);
        expect(await s.runs.equityCurve(run.id)).toEqual([]);
        expect((await s.trades.list({ model_id: m.id, limit: 10 })).items).toEqual([]);
        expect((await s.logs.list({ model_id: m.id, limit: 10 })).items).toEqual([]);
        expect(await s.events.after([m.id], 0, 10)).toEqual([]);

        // The other model keeps everything.
        expect(await s.runs.byId(kept.id)).toBeDefined();
        expect(await s.runs.positions(kept.id)).toHaveLength(1);
        expect((await s.trades.list({ model_id: keep.id, limit: 10 })).items).toHaveLength(1);
        expect((await s.logs.list({ model_id: keep.id, limit: 10 })).items).toHaveLength(1);
        expect((await s.events.after([keep.id], 0, 10)).map((e) => e.id)).toEqual([2]);
      });
    });

    describe('runs', () => {
      const modelFor = async (name: string) => s.models.create((await user()).id, model(name));

      it('numbers runs per model and refuses a second running run of a model', async () => {
        const a = await modelFor('A');
        const b = await modelFor('B');
        const first = await s.runs.create(runCreate(a.id));
        expect(first).toEqual({
          ...runCreate(a.id),
          started_at: expect.any(String),
          id: expect.any(Number),
          run_number: 1,
          status: 'running',
          ended_at: null,
          error: null,
          metrics: null,
          usage: null,
          step: 0,
          last_date: null,
          trade_count: 0,
        });
        const e = await rejection(s.runs.create(runCreate(a.id)));
        expect(e).toBeInstanceOf(UniqueViolation);
        expect((e as UniqueViolation).field).toBe('run');
        const other = await s.runs.create(runCreate(b.id));
        expect(other.run_number).toBe(1);

        const metrics = {
          total_return_pct: 1.25,
          annualized_return_pct: null,
          annualized_volatility_pct: 3.5,
          sharpe: 0.75,
          sortino: null,
          max_drawdown_pct: 2,
          win_rate_pct: 50,
          profit_factor: null,
          trade_count: 4,
        };
        const usage = { calls: 3, prompt_tokens: 1200, completion_tokens: 80 };
        await s.runs.finish(first.id, { status: 'completed', ended_at: '2024-06-01T00:00:00.000Z', error: null, metrics, usage });
        expect(await s.runs.byId(first.id)).toEqual({ ...first, status: 'completed', ended_at: '2024-06-01T00:00:00.000Z', metrics, usage });
        const second = await s.runs.create(runCreate(a.id));
        expect(second.run_number).toBe(2);
        expect((await s.runs.listByModel(a.id)).map((r) => r.run_number)).toEqual([2, 1]);
        expect(await s.runs.latestByModel(a.id)).toEqual(second);
        expect(await s.runs.latestByModel(a.id + 1000)).toBeUndefined();
        expect((await s.runs.running()).map((r) => r.id).sort((x, y) => x - y)).toEqual([other.id, second.id].sort((x, y) => x - y));
      });

      it('starts exactly one run when starts of the same model race', async () => {
        const models = await Promise.all(['R1', 'R2', 'R3'].map(modelFor));
        const results = await Promise.allSettled(models.flatMap((m) => [1, 2, 3].map(() => s.runs.create(runCreate(m.id)))));
        for (const [i, m] of models.entries()) {
          const mine = results.slice(i * 3, i * 3 + 3);
          const started = mine.filter((r) => r.status === 'fulfilled');
          expect(started).toHaveLength(1);
          for (const r of mine.filter((x) => x.status === 'rejected')) {
            expect(r.reason).toBeInstanceOf(UniqueViolation);
            expect((r.reason as UniqueViolation).field).toBe('run');
          }
          expect((await s.runs.listByModel(m.id)).map((r) => [r.run_number, r.status])).toEqual([[1, 'running']]);
        }
      });

      it('finishes a run once: a finished run keeps its outcome', async () => {
        const m = await modelFor('Once');
        const run = await s.runs.create(runCreate(m.id));
        await s.runs.finish(run.id, { status: 'stopped', ended_at: '2024-06-01T00:00:00.000Z', error: null, metrics: null, usage: null });
        await s.runs.finish(run.id, { status: 'failed', ended_at: '2024-07-01T00:00:00.000Z', error: 'late', metrics: null, usage: null });
        expect(await s.runs.byId(run.id)).toMatchObject({ status: 'stopped', ended_at: '2024-06-01T00:00:00.000Z', error: null });
      });

      it('interrupts every running run, and only those', async () => {
        const [a, b, c] = await Promise.all(['I1', 'I2', 'I3'].map(modelFor));
        const ra = await s.runs.create(runCreate(a!.id));
        const rb = await s.runs.create(runCreate(b!.id));
        const rc = await s.runs.create(runCreate(c!.id));
        await s.runs.finish(rc.id, { status: 'completed', ended_at: '2024-06-01T00:00:00.000Z', error: null, metrics: null, usage: null });
        const done = await s.runs.byId(rc.id);

        const interrupted = await s.runs.interruptAll('2024-07-01T00:00:00.000Z');
        expect(interrupted.map((r) => r.id).sort((x, y) => x - y)).toEqual([ra.id, rb.id].sort((x, y) => x - y));
        for (const r of interrupted) {
          expect(r).toMatchObject({ status: 'interrupted', ended_at: '2024-07-01T00:00:00.000Z', error: expect.any(String) });
          expect(await s.runs.byId(r.id)).toEqual(r);
        }
        expect(await s.runs.running()).toEqual([]);
        expect(await s.runs.byId(rc.id)).toEqual(done);
        expect(await s.runs.interruptAll(iso())).toEqual([]);
      });

      it('updates positions in place and deletes only those no longer held when the step says what it held before', async () => {
        const m = await modelFor('Position diff');
        const run = await s.runs.create(runCreate(m.id));
        const at = (symbol: string, quantity: number, last_price: number) => ({ symbol, quantity, avg_cost: 10, last_price });
        await s.runs.recordStep({ ...stepOf(run, 1, []), positions: [at('AAA', 1, 11), at('BBB', 2, 12), at('CCC', 3, 13)] });
        // BBB is sold: only it goes; AAA moves in place; DDD is new. CCC was not in `previous`, so it is left alone.
        await s.runs.recordStep({ ...stepOf(run, 2, []), positions: [at('AAA', 5, 15), at('DDD', 4, 14)], previous: ['AAA', 'BBB'] });
        const sorted = async () => (await s.runs.positions(run.id)).sort((a, b) => a.symbol.localeCompare(b.symbol));
        expect(await sorted()).toEqual([at('AAA', 5, 15), at('CCC', 3, 13), at('DDD', 4, 14)]);
        // Without `previous` every position not listed goes, as before.
        await s.runs.recordStep({ ...stepOf(run, 3, []), positions: [at('DDD', 4, 16)] });
        expect(await sorted()).toEqual([at('DDD', 4, 16)]);
        await s.runs.recordStep({ ...stepOf(run, 4, []), positions: [], previous: ['DDD'] });
        expect(await sorted()).toEqual([]);
      });

      it('keeps a live run’s place with its steps, leaves it running through interruptAll, and deletes it with the run', async () => {
        const live = await s.runs.create(runCreate((await modelFor('Live')).id));
        const other = await s.runs.create(runCreate((await modelFor('Backtest')).id));
        expect(await s.runs.liveState(live.id)).toBeUndefined();
        const pending = [{ symbol: 'AAA', side: 'buy' as const, quantity: 3, reason: 'entry' }];
        await s.runs.recordStep({ ...stepOf(live, 1, [21]), live: { last_bar: '2026-11-30T15:00:00Z', pending } });
        expect(await s.runs.liveState(live.id)).toEqual({ last_bar: '2026-11-30T15:00:00Z', pending });
        await s.runs.recordStep({ ...stepOf(live, 2, [22]), live: { last_bar: '2026-11-30T15:05:00Z', pending: [] } });
        expect(await s.runs.liveState(live.id)).toEqual({ last_bar: '2026-11-30T15:05:00Z', pending: [] });
        // A step refused (its run closed elsewhere) leaves the place as it was.
        await s.runs.finish(other.id, { status: 'stopped', ended_at: iso(), error: null, metrics: null, usage: null });
        await expect(s.runs.recordStep({ ...stepOf(other, 1, [23]), live: { last_bar: 'x', pending } })).rejects.toBeInstanceOf(RunClosed);
        expect(await s.runs.liveState(other.id)).toBeUndefined();
        const third = await s.runs.create(runCreate((await modelFor('Third')).id));
        expect((await s.runs.interruptAll(iso(), [live.id])).map((r) => r.id)).toEqual([third.id]);
        expect((await s.runs.byId(live.id))!.status).toBe('running');
        await s.runs.finish(live.id, { status: 'stopped', ended_at: iso(), error: null, metrics: null, usage: null });
        await s.runs.delete(live.id);
        expect(await s.runs.liveState(live.id)).toBeUndefined();
      });

      it('refuses a step for a run closed elsewhere, writing none of it', async () => {
        const m = await modelFor('Closed elsewhere');
        const run = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep(stepOf(run, 1, [11]));
        await s.runs.finish(run.id, { status: 'interrupted', ended_at: iso(), error: null, metrics: null, usage: null });
        await expect(s.runs.recordStep(stepOf(run, 2, [12]))).rejects.toBeInstanceOf(RunClosed);
        expect(await s.runs.byId(run.id)).toMatchObject({ status: 'interrupted', step: 1 });
        expect((await s.runs.equityCurve(run.id)).map((p) => p.step)).toEqual([1]);
        expect((await s.events.byRun(run.id, { limit: 10 })).map((e) => e.id)).toEqual([11]);
      });

      it('records a step’s cash, positions, trades, equity and events together', async () => {
        const m = await modelFor('Steps');
        const run = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep(stepOf(run, 1, [1, 2]));
        await s.runs.recordStep({ ...stepOf(run, 2, [3]), positions: [{ symbol: 'CCC', quantity: 2, avg_cost: 5.5, last_price: 6 }] });
        // Re-recording a step replaces its equity point rather than adding one.
        const again = stepOf(run, 2, []);
        await s.runs.recordStep({ ...again, positions: [], trades: [], equity: { ...again.equity, equity: 9_999.5, cash: 7_998 } });

        expect(await s.runs.byId(run.id)).toMatchObject({ step: 2, cash: 10_000 - 2 * 1_000.5, last_date: '2024-01-03', trade_count: 2 });
        expect(await s.runs.positions(run.id)).toEqual([]);
        expect(await s.runs.equityCurve(run.id)).toEqual([
          stepOf(run, 1, []).equity,
          { step: 2, date: '2024-01-03', equity: 9_999.5, cash: 7_998 },
        ]);
        await s.runs.recordStep(stepOf(run, 3, []));
        expect(await s.runs.positions(run.id)).toEqual(stepOf(run, 3, []).positions);
        const trades = (await s.trades.list({ model_id: m.id, run_id: run.id, limit: 10 })).items;
        expect(trades.map(({ id: _id, ...t }) => t)).toEqual([3, 2, 1].map((n) => stepOf(run, n, []).trades[0]));
        expect(await s.events.byRun(run.id, { limit: 10 })).toEqual([1, 2, 3].map((id) => event(id, m.id, run.id, 'trade')));
      });

      it('records nothing of a step that fails part-way', async () => {
        const m = await modelFor('Atomic');
        const run = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep(stepOf(run, 1, [1]));
        const before = {
          run: await s.runs.byId(run.id),
          positions: await s.runs.positions(run.id),
          equity: await s.runs.equityCurve(run.id),
          trades: await s.trades.list({ model_id: m.id, limit: 10 }),
          events: await s.events.byRun(run.id, { limit: 10 }),
        };
        // The event id is taken, so the step's last write fails after all the others.
        await rejection(s.runs.recordStep(stepOf(run, 2, [2, 1])));
        expect({
          run: await s.runs.byId(run.id),
          positions: await s.runs.positions(run.id),
          equity: await s.runs.equityCurve(run.id),
          trades: await s.trades.list({ model_id: m.id, limit: 10 }),
          events: await s.events.byRun(run.id, { limit: 10 }),
        }).toEqual(before);
      });

      it('stores steps of several runs handed over together, each whole or not at all: one failing fails alone', async () => {
        const runs = await Promise.all(['Together A', 'Together B', 'Together C', 'Together D'].map(async (name) => s.runs.create(runCreate((await modelFor(name)).id))));
        const [a, closed, clashing, d] = runs as [RunRecord, RunRecord, RunRecord, RunRecord];
        await s.runs.recordStep(stepOf(a, 1, [31]));
        await s.runs.finish(closed.id, { status: 'interrupted', ended_at: iso(), error: null, metrics: null, usage: null });
        // Handed over in one turn, as concurrent sessions do: written in one transaction.
        const outcomes = await Promise.allSettled([
          s.runs.recordStep(stepOf(a, 2, [32])),
          s.runs.recordStep(stepOf(closed, 1, [33])),
          s.runs.recordStep(stepOf(clashing, 1, [34, 31])),
          s.runs.recordStep(stepOf(d, 1, [35])),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(RunClosed);
        expect(await s.runs.byId(a.id)).toMatchObject({ step: 2 });
        expect(await s.runs.byId(d.id)).toMatchObject({ step: 1 });
        for (const failed of [closed, clashing]) {
          expect(await s.runs.byId(failed.id)).toMatchObject({ step: 0 });
          expect(await s.runs.equityCurve(failed.id)).toEqual([]);
          expect(await s.events.byRun(failed.id, { limit: 10 })).toEqual([]);
          expect(await s.runs.positions(failed.id)).toEqual([]);
        }
        expect((await s.events.byRun(a.id, { limit: 10 })).map((e) => e.id)).toEqual([31, 32]);
        expect((await s.events.byRun(d.id, { limit: 10 })).map((e) => e.id)).toEqual([35]);
        expect((await s.runs.equityCurve(d.id)).map((p) => p.step)).toEqual([1]);
      });

      it('deletes a run with its trades, events and logs, leaving the model’s other runs', async () => {
        const m = await modelFor('Prune');
        const old = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep(stepOf(old, 1, [1]));
        await s.logs.add({ model_id: m.id, run_id: old.id, level: 'info', message: 'old', created_at: iso() });
        await s.runs.finish(old.id, { status: 'completed', ended_at: iso(), error: null, metrics: null, usage: null });
        const kept = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep(stepOf(kept, 1, [2]));

        await s.runs.delete(old.id);
        expect(await s.runs.byId(old.id)).toBeUndefined();
        expect(await s.runs.positions(old.id)).toEqual([]);
        expect(await s.runs.equityCurve(old.id)).toEqual([]);
        expect(await s.events.byRun(old.id, { limit: 10 })).toEqual([]);
        expect((await s.trades.list({ model_id: m.id, limit: 10 })).items.map((t) => t.run_id)).toEqual([kept.id]);
        expect((await s.logs.list({ model_id: m.id, limit: 10 })).items).toEqual([]);
        expect((await s.events.after([m.id], 0, 10)).map((e) => e.id)).toEqual([2]);
        expect((await s.runs.listByModel(m.id)).map((r) => r.id)).toEqual([kept.id]);
      });
    });

    describe('trades and logs', () => {
      it('pages trades newest first by cursor, per model and run', async () => {
        const u = await user();
        const m = await s.models.create(u.id, model('Pages'));
        const other = await s.models.create(u.id, model('Other'));
        const r1 = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep({ ...stepOf(r1, 1, []), trades: [1, 2, 3].map((n) => trade(r1, 1, { quantity: n })) });
        await s.runs.finish(r1.id, { status: 'completed', ended_at: iso(), error: null, metrics: null, usage: null });
        const r2 = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep({ ...stepOf(r2, 1, []), trades: [4, 5].map((n) => trade(r2, 1, { quantity: n })) });
        const ro = await s.runs.create(runCreate(other.id));
        await s.runs.recordStep({ ...stepOf(ro, 1, []), trades: [trade(ro, 1, { quantity: 99 })] });

        const first = await s.trades.list({ model_id: m.id, limit: 2 });
        expect(first.items.map((t) => t.quantity)).toEqual([5, 4]);
        const second = await s.trades.list({ model_id: m.id, limit: 2, cursor: Number(first.next_cursor) });
        expect(second.items.map((t) => t.quantity)).toEqual([3, 2]);
        const last = await s.trades.list({ model_id: m.id, limit: 2, cursor: Number(second.next_cursor) });
        expect(last).toEqual({ items: [expect.objectContaining({ quantity: 1 })], next_cursor: null });
        expect((await s.trades.list({ model_id: m.id, run_id: r1.id, limit: 10 })).items.map((t) => t.quantity)).toEqual([3, 2, 1]);
      });

      it('counts filled trades of given models since a time', async () => {
        const u = await user();
        const a = await s.models.create(u.id, model('CountA'));
        const b = await s.models.create(u.id, model('CountB'));
        const ra = await s.runs.create(runCreate(a.id));
        const rb = await s.runs.create(runCreate(b.id));
        const at = (t: string, extra: Partial<TradeWrite> = {}) => ({ created_at: t, ...extra });
        await s.runs.recordStep({
          ...stepOf(ra, 1, []),
          trades: [
            trade(ra, 1, at('2024-03-01T09:00:00.000Z')),
            trade(ra, 1, at('2024-03-02T09:00:00.000Z', { action: 'sell' })),
            trade(ra, 1, at('2024-03-02T10:00:00.000Z', { status: 'rejected', reason: 'cash' })),
          ],
        });
        await s.runs.recordStep({ ...stepOf(rb, 1, []), trades: [trade(rb, 1, at('2024-03-03T09:00:00.000Z'))] });

        const since = '2024-03-02T00:00:00.000Z';
        expect(await s.trades.countFilledSince([a.id], since)).toBe(1);
        expect(await s.trades.countFilledSince([a.id, b.id], since)).toBe(2);
        expect(await s.trades.countFilledSince([a.id, b.id], '2024-01-01T00:00:00.000Z')).toBe(3);
        expect(await s.trades.countFilledSince([], since)).toBe(0);
      });

      it('pages logs newest first, per model and run', async () => {
        const u = await user();
        const m = await s.models.create(u.id, model('Logs'));
        const run = await s.runs.create(runCreate(m.id));
        for (const [i, run_id] of [null, run.id, run.id].entries()) {
          await s.logs.add({ model_id: m.id, run_id, level: 'warn', message: `log ${i}`, created_at: iso() });
        }
        const page = await s.logs.list({ model_id: m.id, limit: 2 });
        expect(page.items.map((l) => [l.message, l.run_id])).toEqual([
          ['log 2', run.id],
          ['log 1', run.id],
        ]);
        const rest = await s.logs.list({ model_id: m.id, limit: 2, cursor: Number(page.next_cursor) });
        expect(rest).toEqual({ items: [{ id: expect.any(Number), model_id: m.id, run_id: null, level: 'warn', message: 'log 0', created_at: expect.any(String) }], next_cursor: null });
        expect((await s.logs.list({ model_id: m.id, run_id: run.id, limit: 10 })).items).toHaveLength(2);
      });
    });

    describe('events', () => {
      it('hands events out in id order, per model, after an id and up to a limit', async () => {
        const u = await user();
        const a = await s.models.create(u.id, model('EvA'));
        const b = await s.models.create(u.id, model('EvB'));
        expect(await s.events.maxId()).toBe(0);
        // Stored out of order: ids, not insertion order, decide the order read back.
        for (const [id, m, run] of [
          [5, a.id, 7],
          [1, a.id, 7],
          [4, b.id, null],
          [3, a.id, 8],
          [2, b.id, 9],
        ] as const) {
          await s.events.add(event(id, m, run));
        }
        const ids = (events: StoredEvent[]) => events.map((e) => e.id);
        expect(await s.events.maxId()).toBe(5);
        expect(await s.events.after([a.id], 0, 10)).toEqual([1, 3, 5].map((id) => event(id, a.id, id === 3 ? 8 : 7)));
        expect(ids(await s.events.after([a.id], 1, 10))).toEqual([3, 5]);
        expect(ids(await s.events.after([a.id, b.id], 0, 3))).toEqual([1, 2, 3]);
        expect(ids(await s.events.after([a.id, b.id], 3, 10))).toEqual([4, 5]);
        expect(await s.events.after([], 0, 10)).toEqual([]);
        expect(ids(await s.events.byRun(7, { limit: 10 }))).toEqual([1, 5]);
        expect(ids(await s.events.byRun(7, { limit: 10, after: 1 }))).toEqual([5]);
        expect(ids(await s.events.byRun(7, { limit: 1 }))).toEqual([1]);
        expect(ids(await s.events.recentByModel(a.id, 2))).toEqual([3, 5]);
        expect(ids(await s.events.recentByModel(b.id, 10))).toEqual([2, 4]);
        expect((await s.events.after([b.id], 3, 10))[0]!.run_id).toBeNull();
      });
    });

    describe('market', () => {
      const info = (symbol: string, name = `${symbol} Corp`) => ({ symbol, name, sector: 'Tech', source: 'import' });
      const imports = { name: 'import', source: 'import', provider: null, adjusted: false } as const;
      const yahoo = { name: 'nasdaq-yahoo', source: 'provider', provider: 'yahoo', adjusted: true } as const;
      const fetched = (symbol: string) => ({ symbol, name: symbol, sector: 'Unknown', source: 'yahoo' });

      it('replaces a symbol’s bars whole and reads them back by date range', async () => {
        await s.market.save(imports, [
          { info: info('AAA'), bars: bars(5, 100) },
          { info: info('BBB'), bars: bars(3, 50) },
        ]);
        expect(await s.market.symbols('import')).toEqual([info('AAA'), info('BBB')]);
        expect(await s.market.bars('import', 'AAA')).toEqual(bars(5, 100));
        expect(await s.market.bars('import', 'AAA', '2020-01-02', '2020-01-04')).toEqual(bars(5, 100).slice(1, 4));
        expect(await s.market.bars('import', 'ZZZ')).toEqual([]);

        await s.market.save(imports, [{ info: info('AAA', 'Renamed'), bars: bars(2, 7) }]);
        expect(await s.market.symbols('import')).toEqual([info('AAA', 'Renamed'), info('BBB')]);
        expect(await s.market.bars('import', 'AAA')).toEqual(bars(2, 7));
        expect(await s.market.bars('import', 'BBB')).toEqual(bars(3, 50));
      });

      it('keeps data sets apart: the same ticker in two of them has its own bars', async () => {
        await s.market.save(imports, [{ info: info('AAA'), bars: bars(5, 100) }]);
        await s.market.save(yahoo, [{ info: fetched('AAA'), bars: bars(3, 10) }]);
        expect(await s.market.bars('import', 'AAA')).toEqual(bars(5, 100));
        expect(await s.market.bars('nasdaq-yahoo', 'AAA')).toEqual(bars(3, 10));
        expect(await s.market.symbols('nasdaq-yahoo')).toEqual([fetched('AAA')]);
        expect(await s.market.symbols('nowhere')).toEqual([]);
      });

      it('lists data sets with their kind, symbol count and date span', async () => {
        expect(await s.market.datasets()).toEqual([]);
        await s.market.save(yahoo, [
          { info: fetched('AAA'), bars: bars(5, 100) },
          { info: fetched('BBB'), bars: bars(8, 50).slice(2) },
        ]);
        await s.market.save(imports, [{ info: info('EMPTY'), bars: [] }]);
        const list = await s.market.datasets();
        expect(list.map(({ updated_at: _, ...d }) => d)).toEqual([
          { name: 'import', source: 'import', provider: null, adjusted: false, symbols: 1, first: null, last: null },
          { name: 'nasdaq-yahoo', source: 'provider', provider: 'yahoo', adjusted: true, symbols: 2, first: '2020-01-01', last: '2020-01-08' },
        ]);
        expect(await s.market.dataset('nasdaq-yahoo')).toEqual(list[1]);
        expect(await s.market.dataset('nowhere')).toBeUndefined();
        expect(await s.market.spans('nasdaq-yahoo')).toEqual([
          { symbol: 'AAA', first: '2020-01-01', last: '2020-01-05' },
          { symbol: 'BBB', first: '2020-01-03', last: '2020-01-08' },
        ]);
        expect(await s.market.spans('import')).toEqual([]);
      });

      it('updates a series from its first new bar on, keeping the earlier ones', async () => {
        await s.market.save(yahoo, [{ info: fetched('AAA'), bars: bars(5, 100) }]);
        const later = bars(8, 200).slice(3);
        await s.market.save(yahoo, [{ info: fetched('AAA'), bars: later, keepEarlier: true }]);
        expect(await s.market.bars('nasdaq-yahoo', 'AAA')).toEqual([...bars(3, 100), ...later]);
        expect(await s.market.spans('nasdaq-yahoo')).toEqual([{ symbol: 'AAA', first: '2020-01-01', last: '2020-01-08' }]);
        await s.market.save(yahoo, [{ info: fetched('AAA'), bars: [], keepEarlier: true }]);
        expect(await s.market.bars('nasdaq-yahoo', 'AAA')).toHaveLength(8);
      });

      it('refuses, writing nothing, to mix another provider or adjustment into a data set', async () => {
        await s.market.save(yahoo, [{ info: fetched('AAA'), bars: bars(5, 100) }]);
        const before = await s.market.datasets();
        for (const other of [
          { ...yahoo, provider: 'alpaca' },
          { ...yahoo, adjusted: false },
          { ...imports, name: 'nasdaq-yahoo' },
        ] as const) {
          const e = await rejection(s.market.save(other, [{ info: fetched('BBB'), bars: bars(2, 1) }]));
          expect(e).toBeInstanceOf(DatasetMismatch);
          expect((e as Error).message).toMatch(/^data set nasdaq-yahoo holds adjusted yahoo data, not .*: choose another data set name$/);
        }
        expect(await s.market.symbols('nasdaq-yahoo')).toEqual([fetched('AAA')]);
        expect(await s.market.datasets()).toEqual(before);
      });

      it('stores ten years of bars in one call', async () => {
        await s.market.save(imports, [{ info: info('LONG'), bars: bars(2_600, 10) }]);
        expect(await s.market.bars('import', 'LONG')).toEqual(bars(2_600, 10));
      });

      it('changes nothing when any symbol of a save fails', async () => {
        await s.market.save(imports, [{ info: info('AAA'), bars: bars(5, 100) }]);
        const broken = [...bars(3, 1), bars(3, 1)[0]!];
        await rejection(
          s.market.save(imports, [
            { info: info('AAA', 'Changed'), bars: bars(2, 7) },
            { info: info('BBB'), bars: broken },
          ]),
        );
        expect(await s.market.symbols('import')).toEqual([info('AAA')]);
        expect(await s.market.bars('import', 'AAA')).toEqual(bars(5, 100));
        expect(await s.market.spans('import')).toEqual([{ symbol: 'AAA', first: '2020-01-01', last: '2020-01-05' }]);
        // A failed first write leaves no empty data set behind either.
        await rejection(s.market.save(yahoo, [{ info: fetched('BBB'), bars: broken }]));
        expect((await s.market.datasets()).map((d) => d.name)).toEqual(['import']);
      });

      it('keeps one whole version when saves of a symbol race', async () => {
        const versions = [bars(400, 100), bars(300, 200), bars(500, 300)];
        await Promise.all(versions.map((b) => s.market.save(imports, [{ info: info('AAA'), bars: b }])));
        expect(versions).toContainEqual(await s.market.bars('import', 'AAA'));
      });

      it('keeps intraday bars packed a day per row, replaces the days a save touches, and reads a range of days back', async () => {
        const minutes = (day: string, n: number, base: number) =>
          Array.from({ length: n }, (_, i) => ({
            date: `${new Date(Date.parse(`${day}T14:30:00Z`) + i * 60_000).toISOString().slice(0, 19)}Z`,
            open: base + i / 100,
            high: base + i / 100 + 0.5,
            low: base + i / 100 - 0.5,
            close: base + i / 100 + 0.25,
            volume: 100 + i,
          }));
        await s.market.saveIntraday(yahoo, fetched('AAA'), '1m', [...minutes('2026-11-24', 390, 100), ...minutes('2026-11-25', 390, 110)]);
        await s.market.saveIntraday(yahoo, fetched('AAA'), '1m', minutes('2026-11-25', 10, 120));
        const all = await s.market.intradayBars('nasdaq-yahoo', 'AAA', '1m');
        expect(all).toHaveLength(400);
        expect(all[0]).toEqual(minutes('2026-11-24', 1, 100)[0]);
        expect(all.at(-1)!.close).toBeCloseTo(120.34, 4);
        expect(await s.market.intradayBars('nasdaq-yahoo', 'AAA', '1m', '2026-11-25', '2026-11-25')).toHaveLength(10);
        expect(await s.market.intradayBars('nasdaq-yahoo', 'AAA', '5m')).toEqual([]);
        expect(await s.market.intradaySeries('nasdaq-yahoo')).toEqual([{ symbol: 'AAA', timeframe: '1m', days: 2, first: '2026-11-24', last: '2026-11-25' }]);
        expect((await s.market.symbols('nasdaq-yahoo')).map((x) => x.symbol)).toEqual(['AAA']);
      });
    });

    describe('event search', () => {
      const stored = (id: number, model_id: number, run_id: number, type: string, day: number, data: Record<string, unknown>): StoredEvent => ({
        id,
        model_id,
        run_id,
        type,
        timestamp: `2024-03-${String(day).padStart(2, '0')}T12:00:00.000Z`,
        data: { message: `event ${id}`, ...data },
      });

      it('filters by model, type, run, time and text, newest first, page by page', async () => {
        const u = await user();
        const a = await s.models.create(u.id, model('SearchA'));
        const b = await s.models.create(u.id, model('SearchB'));
        const events = [
          stored(1, a.id, 1, 'status', 1, { message: 'Starting trading session...' }),
          stored(2, a.id, 1, 'trade', 2, { symbol: 'NOVA', reason: null }),
          stored(3, a.id, 1, 'trade', 3, { symbol: 'ORBT', reason: 'Insufficient CASH' }),
          stored(4, a.id, 2, 'error', 4, { message: 'Agent failed: 100%_done "quoted"' }),
          stored(5, b.id, 3, 'trade', 5, { symbol: 'NOVA' }),
          stored(6, a.id, 2, 'trade', 6, { symbol: 'nova' }),
        ];
        for (const e of events) await s.events.add(e);
        const ids = async (q: Partial<Parameters<Storage['events']['search']>[0]>) =>
          (await s.events.search({ modelIds: [a.id], limit: 10, ...q })).items.map((e) => e.id);

        expect(await s.events.search({ modelIds: [a.id], limit: 10 })).toEqual({ items: [6, 4, 3, 2, 1].map((id) => events[id - 1]), next_cursor: null });
        expect(await ids({ modelIds: [a.id, b.id] })).toEqual([6, 5, 4, 3, 2, 1]);
        expect(await ids({ modelIds: [] })).toEqual([]);
        expect(await ids({ types: ['trade'] })).toEqual([6, 3, 2]);
        expect(await ids({ types: ['trade', 'error'] })).toEqual([6, 4, 3, 2]);
        expect(await ids({ runId: 2 })).toEqual([6, 4]);
        expect(await ids({ from: '2024-03-02T00:00:00.000Z', to: '2024-03-04T12:00:00.000Z' })).toEqual([4, 3, 2]);
        // Text matches data values case-insensitively; LIKE wildcards and quotes are literal.
        expect(await ids({ q: 'NoVa' })).toEqual([6, 2]);
        expect(await ids({ q: 'insufficient cash' })).toEqual([3]);
        expect(await ids({ q: '100%_done' })).toEqual([4]);
        expect(await ids({ q: '0%' })).toEqual([4]);
        expect(await ids({ q: '_' })).toEqual([4]);
        expect(await ids({ q: '"quoted"' })).toEqual([4]);
        expect(await ids({ q: 'nothing like it' })).toEqual([]);
        expect(await ids({ q: 'nova', types: ['trade'], modelIds: [a.id, b.id] })).toEqual([6, 5, 2]);

        const first = await s.events.search({ modelIds: [a.id], limit: 2 });
        expect(first.items.map((e) => e.id)).toEqual([6, 4]);
        expect(first.next_cursor).toBe('4');
        const second = await s.events.search({ modelIds: [a.id], limit: 2, cursor: 4 });
        expect(second).toEqual({ items: [events[2], events[1]], next_cursor: '2' });
        expect(await s.events.search({ modelIds: [a.id], limit: 2, cursor: 2 })).toEqual({ items: [events[0]], next_cursor: null });
      });
    });

    describe('admin views', () => {
      const metricsOf = (total_return_pct: number) => ({
        total_return_pct,
        annualized_return_pct: null,
        annualized_volatility_pct: 1,
        sharpe: total_return_pct / 10,
        sortino: null,
        max_drawdown_pct: 1,
        win_rate_pct: null,
        profit_factor: null,
        trade_count: 2,
      });
      const finishRun = async (modelId: number, status: 'completed' | 'failed', ret: number) => {
        const run = await s.runs.create(runCreate(modelId));
        await s.runs.finish(run.id, { status, ended_at: iso(), error: null, metrics: metricsOf(ret), usage: null });
        return run;
      };

      it('lists every account with its model count and no password hash', async () => {
        const a = await user('a@example.com');
        const b = await user('b@example.com');
        await s.models.create(b.id, model('One'));
        await s.models.create(b.id, model('Two'));
        expect(await s.users.list()).toEqual([
          { id: a.id, email: 'a@example.com', display_name: 'a', role: 'admin', created_at: a.created_at, model_count: 0 },
          { id: b.id, email: 'b@example.com', display_name: 'b', role: 'user', created_at: b.created_at, model_count: 2 },
        ]);
      });

      it('changes roles but never demotes the last admin', async () => {
        const a = await user();
        const b = await user();
        expect(await s.users.setRole(b.id, 'admin')).toEqual({ ...b, role: 'admin' });
        expect((await s.users.setRole(a.id, 'user'))?.role).toBe('user');
        const e = await rejection(s.users.setRole(b.id, 'user'));
        expect(e).toBeInstanceOf(LastAdmin);
        expect((await s.users.byId(b.id))?.role).toBe('admin');
        expect((await s.users.setRole(b.id, 'admin'))?.role).toBe('admin');
        expect(await s.users.setRole(b.id + 1000, 'admin')).toBeUndefined();
      });

      it('keeps one admin when two admins demote each other at once', async () => {
        const a = await user();
        const b = await user();
        await s.users.setRole(b.id, 'admin');
        await Promise.allSettled([s.users.setRole(a.id, 'user'), s.users.setRole(b.id, 'user')]);
        expect((await s.users.list()).filter((u) => u.role === 'admin')).toHaveLength(1);
      });

      it("lists every user's models", async () => {
        const a = await s.models.create((await user()).id, model('A'));
        const b = await s.models.create((await user()).id, model('B'));
        expect((await s.models.listAll()).map((m) => [m.id, m.user_id])).toEqual([
          [a.id, a.user_id],
          [b.id, b.user_id],
        ]);
      });

      it('gives the latest completed run of each model', async () => {
        const u = await user();
        const a = await s.models.create(u.id, model('A'));
        const b = await s.models.create(u.id, model('B'));
        const c = await s.models.create(u.id, model('C'));
        await finishRun(a.id, 'completed', 5);
        const latestA = await finishRun(a.id, 'completed', 7);
        await finishRun(a.id, 'failed', 9);
        const latestB = await finishRun(b.id, 'completed', 1);
        await s.runs.create(runCreate(b.id));
        await finishRun(c.id, 'failed', 3);
        const latest = await s.runs.latestCompletedPerModel();
        expect(latest.map((r) => [r.id, r.model_id, r.metrics?.total_return_pct])).toEqual([
          [latestA.id, a.id, 7],
          [latestB.id, b.id, 1],
        ]);
      });

      it('gives the latest run of each asked model, whatever its status', async () => {
        const u = await user();
        const a = await s.models.create(u.id, model('A'));
        const b = await s.models.create(u.id, model('B'));
        const none = await s.models.create(u.id, model('C'));
        await finishRun(a.id, 'completed', 5);
        const failedA = await finishRun(a.id, 'failed', 2);
        await finishRun(b.id, 'completed', 1);
        const runningB = await s.runs.create(runCreate(b.id));
        const latest = await s.runs.latestPerModel([a.id, b.id, none.id]);
        expect(latest.map((r) => [r.id, r.status]).sort()).toEqual([[failedA.id, 'failed'], [runningB.id, 'running']].sort());
        expect(await s.runs.latestPerModel([])).toEqual([]);
      });
    });

    describe('arenas', () => {
      it('keeps an arena with its run ids, lists a user’s newest first in pages, and no one else’s', async () => {
        const a = await user();
        const b = await user();
        const arena = (n: number, userId: number) => ({
          user_id: userId,
          name: `Race ${n}`,
          start_date: '2026-01-02',
          end_date: '2026-03-31',
          pace_ms: 50,
          run_ids: [n, n + 1],
          created_at: `2026-01-0${n}T00:00:00.000Z`,
        });
        const first = await s.arenas.create(arena(1, a.id));
        const second = await s.arenas.create(arena(2, a.id));
        await s.arenas.create(arena(3, b.id));
        expect(await s.arenas.byId(first.id)).toEqual({ ...arena(1, a.id), id: first.id });
        expect(await s.arenas.byId(999_999)).toBeUndefined();
        const page1 = await s.arenas.listByUser(a.id, { limit: 1 });
        expect(page1.items.map((x) => x.id)).toEqual([second.id]);
        const page2 = await s.arenas.listByUser(a.id, { limit: 1, cursor: Number(page1.next_cursor) });
        expect(page2).toEqual({ items: [first], next_cursor: null });
      });
    });

    describe('assistant', () => {
      it('keeps each user’s endpoint, keeping the sealed key unless one is given', async () => {
        const a = await user();
        expect(await s.assistant.endpoint(a.id)).toBeUndefined();
        await s.assistant.putEndpoint(a.id, { base_url: 'https://x/v1', model: 'm1', api_key_secret: 'sealed-1' });
        await s.assistant.putEndpoint(a.id, { base_url: 'https://y/v1', model: 'm2', api_key_secret: undefined });
        expect(await s.assistant.endpoint(a.id)).toMatchObject({ user_id: a.id, base_url: 'https://y/v1', model: 'm2', api_key_secret: 'sealed-1' });
        await s.assistant.putEndpoint(a.id, { base_url: 'https://y/v1', model: 'm2', api_key_secret: null });
        expect((await s.assistant.endpoint(a.id))?.api_key_secret).toBeNull();
        expect(await s.assistant.deleteEndpoint(a.id)).toBe(true);
        expect(await s.assistant.endpoint(a.id)).toBeUndefined();
      });

      it('stores conversations and their messages, lists a user’s by run or model, deletes with messages; usage adds up per day', async () => {
        const a = await user();
        const b = await user();
        const m = await s.models.create(a.id, modelWrite('Asked'));
        const run = await s.runs.create(runCreate(m.id));
        await s.runs.recordStep(stepOf(run, 1, []));
        const aboutRun = await s.assistant.createConversation({ user_id: a.id, model_id: m.id, run_id: run.id, title: 'Asked · run #1' });
        const aboutModel = await s.assistant.createConversation({ user_id: a.id, model_id: m.id, run_id: null, title: 'Asked · all runs' });
        const message = {
          conversation_id: aboutRun.id,
          role: 'assistant' as const,
          content: 'See [trade 1]',
          citations: [{ kind: 'day' as const, date: '2024-01-02', model_id: m.id, run_id: run.id, run_number: 1 }],
          tools_used: [{ name: 'get_metrics', arguments: '{}' }],
          status: 'complete' as const,
          error: null,
          prompt_tokens: 100,
          completion_tokens: 20,
          latency_ms: 345,
          created_at: '2099-01-01T00:00:00.000Z',
        };
        const stored = await s.assistant.addMessage(message);
        expect(await s.assistant.messages(aboutRun.id)).toEqual([{ ...message, id: stored.id }]);
        // Adding a message makes its conversation the most recently active.
        expect((await s.assistant.conversations(a.id, { limit: 10 })).map((c) => c.id)).toEqual([aboutRun.id, aboutModel.id]);
        expect((await s.assistant.conversations(a.id, { run_id: run.id, limit: 10 })).map((c) => c.id)).toEqual([aboutRun.id]);
        expect((await s.assistant.conversations(a.id, { model_id: m.id, run_id: null, limit: 10 })).map((c) => c.id)).toEqual([aboutModel.id]);
        expect(await s.assistant.conversations(b.id, { limit: 10 })).toEqual([]);

        const [trade] = (await s.trades.list({ model_id: m.id, run_id: run.id, limit: 10 })).items;
        expect(await s.assistant.tradeRefs(a.id, [trade!.id, 999_999])).toEqual([{ trade_id: trade!.id, model_id: m.id, run_id: run.id, run_number: 1, date: trade!.date }]);
        expect(await s.assistant.tradeRefs(b.id, [trade!.id])).toEqual([]);

        expect(await s.assistant.deleteConversation(aboutRun.id)).toBe(true);
        expect(await s.assistant.conversation(aboutRun.id)).toBeUndefined();
        expect(await s.assistant.messages(aboutRun.id)).toEqual([]);

        await s.assistant.addUsage(a.id, '2026-11-27', 120);
        await s.assistant.addUsage(a.id, '2026-11-27', 80);
        await s.assistant.addUsage(a.id, '2026-11-28', 5);
        expect(await s.assistant.usage(a.id, '2026-11-27')).toBe(200);
        expect(await s.assistant.usage(a.id, '2026-11-28')).toBe(5);
        expect(await s.assistant.usage(b.id, '2026-11-27')).toBe(0);
      });
    });

    describe('settings', () => {
      const on = (types: string[]) => Object.fromEntries(['trade', 'status', 'session_complete', 'complete', 'error'].map((t) => [t, types.includes(t)]));
      const settings = (sound: string[], desktop: string[]) =>
        ({ notifications: { sound: on(sound), desktop: on(desktop) } }) as Parameters<Storage['settings']['put']>[1];

      it('has nothing for a user who never saved, then keeps the latest save per user', async () => {
        const a = await user();
        const b = await user();
        expect(await s.settings.get(a.id)).toBeUndefined();
        await s.settings.put(a.id, settings(['trade'], []));
        await s.settings.put(a.id, settings([], ['complete', 'error']));
        await s.settings.put(b.id, settings(['error'], []));
        expect(await s.settings.get(a.id)).toEqual(settings([], ['complete', 'error']));
        expect(await s.settings.get(b.id)).toEqual(settings(['error'], []));
      });
    });
  });
}
