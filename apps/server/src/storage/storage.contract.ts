import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelWrite } from './records.js';
import { type Storage, UniqueViolation } from './storage.js';

const model = (name: string, extra: Partial<ModelWrite> = {}): ModelWrite => ({
  name,
  description: '',
  agent_kind: 'sma_crossover',
  agent_params: { fast: 10, slow: 30 },
  agent_secret: null,
  initial_cash: 10_000,
  allowed_symbols: [],
  risk: { max_position_pct: 25, max_orders_per_step: 5, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 },
  commission_bps: 0,
  slippage_bps: 5,
  ...extra,
});

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
          agent_kind: 'llm',
          agent_params: { base_url: 'http://localhost:11434/v1', model: 'llama3', temperature: 0.2, nested: { a: [1, 2] } },
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
          agent_kind: 'random',
          agent_params: { seed: 1, probability: 0.5 },
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
        const runFor = (model_id: number) =>
          s.runs.create({
            model_id,
            start_date: '2024-01-02',
            end_date: '2024-12-31',
            pace_ms: 0,
            config: { name: 'x' },
            started_at: iso(),
            cash: 10_000,
            total_steps: 250,
          });
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
  });
}
