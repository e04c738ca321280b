import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { StepWrite } from '../records.js';
import { RunClosed, type Storage, UniqueViolation } from '../storage.js';
import { toRun, type RepositoryContext } from './rows.js';
import { GroupCommit } from './group-commit.js';
import { StatementShapes } from './shapes.js';

export function runsRepository(c: RepositoryContext): Storage['runs'] {
  // Per storage: the SQL a shape compiles to is the dialect's own.
  const shapes = new StatementShapes();
  const steps = new GroupCommit<StepWrite>(c.db, c.writers, (tx, s) => writeStep(tx, shapes, s));
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
    recordStep: (s) => steps.add(s),
  };
}

const POSITION_COLUMNS = ['run_id', 'symbol', 'quantity', 'avg_cost', 'last_price'] as const;
const TRADE_COLUMNS = [
  'run_id', 'model_id', 'step', 'date', 'action', 'symbol', 'quantity', 'price', 'amount', 'commission', 'cash_after', 'status', 'reason', 'created_at',
] as const;
const EVENT_COLUMNS = ['id', 'model_id', 'run_id', 'type', 'timestamp', 'data'] as const;
const EQUITY_COLUMNS = ['run_id', 'step', 'date', 'equity', 'cash'] as const;

/**
 * Rows with their values in one fixed column order, row by row (what a statement runs with),
 * whatever order the caller wrote the keys in; and, for the one time a shape's statement is built,
 * the rows with their keys in that order (the builder takes the columns in the order of the first
 * row's keys).
 */
function laidOut<R extends object>(columns: readonly (keyof R)[], rows: readonly R[]) {
  return {
    rows: () => rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])) as R),
    values: rows.flatMap((r) => columns.map((c) => r[c])),
  };
}

/**
 * One step in one transaction, from statements built once per shape. Positions are upserted;
 * only the symbols no longer held are deleted (those of `previous`, when the caller says what it
 * held before, else every other one).
 */
async function writeStep(tx: Transaction<Database>, shapes: StatementShapes, s: StepWrite): Promise<void> {
  // Only a running run takes a step: one closed elsewhere (its owner presumed gone) gets nothing
  // more, and the transaction leaves no part of the step behind.
  const runUpdate = { cash: s.cash, step: s.step, last_date: s.date, trade_count: s.trade_count };
  const updated = shapes.run(
    tx,
    'step:run',
    () => tx.updateTable('runs').set(runUpdate).where('id', '=', s.run_id).where('status', '=', 'running'),
    [s.cash, s.step, s.date, s.trade_count, s.run_id, 'running'],
  );
  // The rest is sent at once, not one statement per round trip (PostgreSQL pipelines them on the
  // connection); if the run turns out closed, throwing rolls all of it back.
  const writes: Promise<unknown>[] = [];

  const held = s.positions.map((p) => p.symbol);
  const gone = s.previous ? s.previous.filter((sym) => !held.includes(sym)) : null;
  if (gone === null && held.length === 0) {
    writes.push(shapes.run(tx, 'step:positions-none', () => tx.deleteFrom('positions').where('run_id', '=', s.run_id), [s.run_id]));
  } else if (gone === null) {
    writes.push(shapes.run(
      tx,
      `step:positions-kept:${held.length}`,
      () => tx.deleteFrom('positions').where('run_id', '=', s.run_id).where('symbol', 'not in', held),
      [s.run_id, ...held],
    ));
  } else if (gone.length > 0) {
    writes.push(shapes.run(tx, `step:positions-gone:${gone.length}`, () => tx.deleteFrom('positions').where('run_id', '=', s.run_id).where('symbol', 'in', gone), [s.run_id, ...gone]));
  }
  if (s.positions.length > 0) {
    const { rows, values } = laidOut(POSITION_COLUMNS, s.positions.map((p) => ({ ...p, run_id: s.run_id })));
    writes.push(shapes.run(
      tx,
      `step:positions:${s.positions.length}`,
      () =>
        tx
          .insertInto('positions')
          .values(rows())
          .onConflict((oc) =>
            oc.columns(['run_id', 'symbol']).doUpdateSet((eb) => ({
              quantity: eb.ref('excluded.quantity'),
              avg_cost: eb.ref('excluded.avg_cost'),
              last_price: eb.ref('excluded.last_price'),
            })),
          ),
      values,
    ));
  }
  if (s.trades.length > 0) {
    const { rows, values } = laidOut(TRADE_COLUMNS, s.trades);
    writes.push(shapes.run(tx, `step:trades:${s.trades.length}`, () => tx.insertInto('trades').values(rows()), values));
  }
  const equity = laidOut(EQUITY_COLUMNS, [{ ...s.equity, run_id: s.run_id }]);
  writes.push(shapes.run(
    tx,
    'step:equity',
    () =>
      tx
        .insertInto('equity_points')
        .values(equity.rows())
        .onConflict((oc) => oc.columns(['run_id', 'step']).doUpdateSet({ equity: s.equity.equity, cash: s.equity.cash })),
    [...equity.values, s.equity.equity, s.equity.cash],
  ));
  if (s.live) {
    const live = { last_bar: s.live.last_bar, pending: JSON.stringify(s.live.pending), updated_at: new Date().toISOString() };
    writes.push(
      shapes.run(
        tx,
        'step:live',
        () => tx.insertInto('live_runs').values({ run_id: s.run_id, ...live }).onConflict((oc) => oc.column('run_id').doUpdateSet(live)),
        [s.run_id, live.last_bar, live.pending, live.updated_at, live.last_bar, live.pending, live.updated_at],
      ),
    );
  }
  if (s.events.length > 0) {
    const { rows, values } = laidOut(EVENT_COLUMNS, s.events.map((e) => ({ ...e, data: JSON.stringify(e.data) })));
    writes.push(shapes.run(tx, `step:events:${s.events.length}`, () => tx.insertInto('run_events').values(rows()), values));
  }
  // Every statement is awaited before the transaction ends. A closed run says so whatever else
  // failed with it; otherwise the first failure is the cause (those after it only saw it abort).
  const [run, ...rest] = await Promise.allSettled([updated, ...writes]);
  if (run!.status === 'rejected') throw run!.reason;
  if (Number(run!.value.numAffectedRows ?? 0) === 0) throw new RunClosed(s.run_id);
  const failed = rest.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
