import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { StepWrite } from '../records.js';
import { RunClosed, type Storage, UniqueViolation } from '../storage.js';
import { toRun, type RepositoryContext } from './rows.js';

export function runsRepository(c: RepositoryContext): Storage['runs'] {
  return {
    create: (r) =>
      c.db.transaction().execute(async (tx) => {
        await c.serialise(tx, 'modelRuns', r.model_id);
        const running = await tx
          .selectFrom('runs')
          .select('id')
          .where('model_id', '=', r.model_id)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (running) throw new UniqueViolation('run');
        const last = await tx
          .selectFrom('runs')
          .select((eb) => eb.fn.max('run_number').as('n'))
          .where('model_id', '=', r.model_id)
          .executeTakeFirst();
        const row = await tx
          .insertInto('runs')
          .values({
            ...r,
            config: JSON.stringify(r.config),
            run_number: Number(last?.n ?? 0) + 1,
            status: 'running',
            ended_at: null,
            error: null,
            metrics: null,
            usage: null,
            step: 0,
            last_date: null,
            trade_count: 0,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRun(row);
      }),
    byId: async (id) => {
      const row = await c.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRun(row);
    },
    listByModel: async (modelId) =>
      (await c.db.selectFrom('runs').selectAll().where('model_id', '=', modelId).orderBy('run_number', 'desc').execute()).map(
        toRun,
      ),
    latestByModel: async (modelId) => {
      const row = await c.db
        .selectFrom('runs')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('run_number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRun(row);
    },
    running: async () =>
      (await c.db.selectFrom('runs').selectAll().where('status', '=', 'running').execute()).map(toRun),
    latestPerModel: async (modelIds) => {
      if (modelIds.length === 0) return [];
      const rows = await c.db
        .selectFrom('runs as r')
        .selectAll('r')
        .where('r.model_id', 'in', modelIds)
        .where('r.run_number', '=', (eb) =>
          eb
            .selectFrom('runs as l')
            .select((l) => l.fn.max('l.run_number').as('n'))
            .whereRef('l.model_id', '=', 'r.model_id'),
        )
        .execute();
      return rows.map(toRun);
    },
    latestCompletedPerModel: async () => {
      const rows = await c.db
        .selectFrom('runs as r')
        .selectAll('r')
        .where('r.status', '=', 'completed')
        .where('r.run_number', '=', (eb) =>
          eb
            .selectFrom('runs as l')
            .select((l) => l.fn.max('l.run_number').as('n'))
            .whereRef('l.model_id', '=', 'r.model_id')
            .where('l.status', '=', 'completed'),
        )
        .orderBy('r.model_id')
        .execute();
      return rows.map(toRun);
    },
    finish: async (id, f) => {
      await c.db
        .updateTable('runs')
        .set({
          status: f.status,
          ended_at: f.ended_at,
          error: f.error,
          metrics: f.metrics ? JSON.stringify(f.metrics) : null,
          usage: f.usage ? JSON.stringify(f.usage) : null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    },
    interruptAll: async (endedAt, keep = []) => {
      let q = c.db
        .updateTable('runs')
        .set({ status: 'interrupted', ended_at: endedAt, error: 'The server stopped while this run was in progress' })
        .where('status', '=', 'running');
      if (keep.length > 0) q = q.where('id', 'not in', [...keep]);
      const rows = await q.returningAll().execute();
      return rows.map(toRun);
    },
    liveState: async (runId) => {
      const row = await c.db.selectFrom('live_runs').select(['last_bar', 'pending']).where('run_id', '=', runId).executeTakeFirst();
      return row && { last_bar: row.last_bar, pending: JSON.parse(row.pending) };
    },
    delete: async (id) => {
      await c.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('run_events').where('run_id', '=', id).execute();
        await tx.deleteFrom('logs').where('run_id', '=', id).execute();
        await tx.deleteFrom('live_runs').where('run_id', '=', id).execute();
        await tx.deleteFrom('runs').where('id', '=', id).execute();
      });
    },
    positions: async (runId) =>
      c.db
        .selectFrom('positions')
        .select(['symbol', 'quantity', 'avg_cost', 'last_price'])
        .where('run_id', '=', runId)
        .orderBy('symbol')
        .execute(),
    equityCurve: async (runId) =>
      c.db
        .selectFrom('equity_points')
        .select(['step', 'date', 'equity', 'cash'])
        .where('run_id', '=', runId)
        .orderBy('step')
        .execute(),
    recordStep: (s) => c.db.transaction().execute((tx) => writeStep(tx, s)),
  };
}

async function writeStep(tx: Transaction<Database>, s: StepWrite): Promise<void> {
  // Only a running run takes a step: one closed elsewhere (its owner presumed gone) gets nothing
  // more, and the transaction leaves no part of the step behind.
  const updated = await tx
    .updateTable('runs')
    .set({ cash: s.cash, step: s.step, last_date: s.date, trade_count: s.trade_count })
    .where('id', '=', s.run_id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new RunClosed(s.run_id);
  await tx.deleteFrom('positions').where('run_id', '=', s.run_id).execute();
  if (s.positions.length > 0) {
    await tx
      .insertInto('positions')
      .values(s.positions.map((p) => ({ ...p, run_id: s.run_id })))
      .execute();
  }
  if (s.trades.length > 0) await tx.insertInto('trades').values(s.trades).execute();
  await tx
    .insertInto('equity_points')
    .values({ ...s.equity, run_id: s.run_id })
    .onConflict((oc) => oc.columns(['run_id', 'step']).doUpdateSet({ equity: s.equity.equity, cash: s.equity.cash }))
    .execute();
  if (s.live) {
    const live = { last_bar: s.live.last_bar, pending: JSON.stringify(s.live.pending), updated_at: new Date().toISOString() };
    await tx
      .insertInto('live_runs')
      .values({ run_id: s.run_id, ...live })
      .onConflict((oc) => oc.column('run_id').doUpdateSet(live))
      .execute();
  }
  if (s.events.length > 0) {
    await tx
      .insertInto('run_events')
      .values(s.events.map((e) => ({ ...e, data: JSON.stringify(e.data) })))
      .execute();
  }
}
