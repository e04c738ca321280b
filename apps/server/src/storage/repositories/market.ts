import { packBars, unpackBars } from '../../market/intraday-codec.js';
import { claimDataset, toDataset, toSymbolSplits, writeSeries } from '../market-rows.js';
import type { Storage } from '../storage.js';
import { type Db, type RepositoryContext } from './rows.js';

export function marketRepository(c: RepositoryContext): Storage['market'] {
  return {
    datasets: async () => (await datasetQuery(c.db).execute()).map(toDataset),
    dataset: async (name) => {
      const row = await datasetQuery(c.db).where('d.name', '=', name).executeTakeFirst();
      return row && toDataset(row);
    },
    symbols: (dataset) =>
      c.db
        .selectFrom('market_symbols')
        .select(['symbol', 'name', 'sector', 'source'])
        .where('dataset', '=', dataset)
        .orderBy('symbol')
        .execute(),
    bars: (dataset, symbol, from, to) => {
      let q = c.db
        .selectFrom('market_bars')
        .select(['date', 'open', 'high', 'low', 'close', 'volume'])
        .where('dataset', '=', dataset)
        .where('symbol', '=', symbol);
      if (from) q = q.where('date', '>=', from);
      if (to) q = q.where('date', '<=', to);
      return q.orderBy('date').execute();
    },
    spans: async (dataset) => {
      const rows = await c.db
        .selectFrom('market_symbols')
        .select(['symbol', 'first_date', 'last_date'])
        .where('dataset', '=', dataset)
        .where('bar_count', '>', 0)
        .orderBy('symbol')
        .execute();
      return rows.map((r) => ({ symbol: r.symbol, first: r.first_date!, last: r.last_date! }));
    },
    splitAdjusted: async (dataset) => {
      const rows = await c.db
        .selectFrom('market_symbols')
        .select(['symbol', 'split_adjustments'])
        .where('dataset', '=', dataset)
        .where('split_adjustments', 'is not', null)
        .orderBy('symbol')
        .execute();
      return rows.map(toSymbolSplits);
    },
    save: (dataset, items) =>
      c.db.transaction().execute(async (tx) => {
        await c.serialise(tx, 'market');
        await claimDataset(tx, dataset);
        for (const item of items) await writeSeries(tx, dataset.name, item);
      }),
    saveIntraday: (dataset, info, timeframe, bars) =>
      c.db.transaction().execute(async (tx) => {
        await c.serialise(tx, 'market');
        await claimDataset(tx, dataset);
        await tx
          .insertInto('market_symbols')
          .values({ ...info, dataset: dataset.name, first_date: null, last_date: null, bar_count: 0, split_adjustments: null })
          .onConflict((oc) => oc.columns(['dataset', 'symbol']).doNothing())
          .execute();
        const byDay = new Map<string, typeof bars>();
        for (const b of bars) {
          const day = b.date.slice(0, 10);
          if (!byDay.has(day)) byDay.set(day, []);
          byDay.get(day)!.push(b);
        }
        for (const [day, dayBars] of byDay) {
          const row = { bar_count: dayBars.length, bars: Buffer.from(packBars([...dayBars].sort((a, b) => (a.date < b.date ? -1 : 1)))) };
          await tx
            .insertInto('market_intraday')
            .values({ dataset: dataset.name, symbol: info.symbol, timeframe, day, ...row })
            .onConflict((oc) => oc.columns(['dataset', 'symbol', 'timeframe', 'day']).doUpdateSet(row))
            .execute();
        }
      }),
    intradayBars: async (dataset, symbol, timeframe, from, to) => {
      let q = c.db
        .selectFrom('market_intraday')
        .select('bars')
        .where('dataset', '=', dataset)
        .where('symbol', '=', symbol)
        .where('timeframe', '=', timeframe);
      if (from) q = q.where('day', '>=', from);
      if (to) q = q.where('day', '<=', to);
      const rows = await q.orderBy('day').execute();
      return rows.flatMap((r) => unpackBars(r.bars));
    },
    intradaySeries: async (dataset) => {
      const rows = await c.db
        .selectFrom('market_intraday')
        .select((eb) => ['symbol', 'timeframe', eb.fn.countAll<number>().as('days'), eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
        .where('dataset', '=', dataset)
        .groupBy(['symbol', 'timeframe'])
        .orderBy('symbol')
        .orderBy('timeframe')
        .execute();
      return rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe, days: Number(r.days), first: r.first, last: r.last }));
    },
  };
}

/** Data sets with their symbol counts and date spans, from the per-symbol summaries. */
function datasetQuery(db: Db) {
  return db
    .selectFrom('market_datasets as d')
    .leftJoin('market_symbols as s', 's.dataset', 'd.name')
    .select((eb) => [
      'd.name',
      'd.source',
      'd.provider',
      'd.adjusted',
      'd.updated_at',
      eb.fn.count<number>('s.symbol').as('symbols'),
      eb.fn.min('s.first_date').as('first'),
      eb.fn.max('s.last_date').as('last'),
    ])
    .groupBy(['d.name', 'd.source', 'd.provider', 'd.adjusted', 'd.updated_at'])
    .orderBy('d.name');
}
