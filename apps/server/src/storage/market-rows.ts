// The market repository's row work inside its transactions, the same for SQLite and PostgreSQL.
import type { Transaction } from 'kysely';
import type { DatasetRecord, DatasetWrite, SeriesWrite, SymbolSplits } from './records.js';
import type { Database } from './schema.js';
import { DatasetMismatch } from './storage.js';

const now = () => new Date().toISOString();

export const toDataset = (r: {
  name: string;
  source: DatasetRecord['source'];
  provider: DatasetRecord['provider'];
  adjusted: number;
  updated_at: string;
  symbols: number | string | bigint;
  first: string | null;
  last: string | null;
}): DatasetRecord => ({
  name: r.name,
  source: r.source,
  provider: r.provider,
  adjusted: Number(r.adjusted) === 1,
  symbols: Number(r.symbols),
  first: r.first,
  last: r.last,
  updated_at: r.updated_at,
});

export const toSymbolSplits = (r: { symbol: string; split_adjustments: string | null }): SymbolSplits => ({
  symbol: r.symbol,
  splits: r.split_adjustments ? JSON.parse(r.split_adjustments) : [],
});

const describeData = (d: Pick<DatasetWrite, 'source' | 'provider' | 'adjusted'>) =>
  d.source === 'import' ? 'imported files' : `${d.adjusted ? 'adjusted' : 'unadjusted'} ${d.provider} data`;

/** Creates the data set, or checks that it holds the same kind of data and marks it updated. */
export async function claimDataset(tx: Transaction<Database>, d: DatasetWrite): Promise<void> {
  const ts = now();
  const existing = await tx.selectFrom('market_datasets').selectAll().where('name', '=', d.name).executeTakeFirst();
  if (!existing) {
    await tx
      .insertInto('market_datasets')
      .values({ name: d.name, source: d.source, provider: d.provider, adjusted: d.adjusted ? 1 : 0, created_at: ts, updated_at: ts })
      .execute();
    return;
  }
  const held = { source: existing.source, provider: existing.provider, adjusted: Number(existing.adjusted) === 1 };
  if (held.source !== d.source || held.provider !== d.provider || held.adjusted !== d.adjusted) {
    throw new DatasetMismatch(`data set ${d.name} holds ${describeData(held)}, not ${describeData(d)}: choose another data set name`);
  }
  await tx.updateTable('market_datasets').set({ updated_at: ts }).where('name', '=', d.name).execute();
}

/** Writes one symbol's bars and refreshes its stored span. */
export async function writeSeries(tx: Transaction<Database>, dataset: string, { info, bars, keepEarlier, splitAdjusted }: SeriesWrite): Promise<void> {
  const stale = tx.deleteFrom('market_bars').where('dataset', '=', dataset).where('symbol', '=', info.symbol);
  // An update replaces from its first bar on, so repeating one (two refreshes racing) is harmless.
  if (!keepEarlier) await stale.execute();
  else if (bars.length > 0) await stale.where('date', '>=', bars[0]!.date).execute();
  const splits = splitAdjusted && splitAdjusted.length > 0 ? JSON.stringify(splitAdjusted) : null;
  const kept = keepEarlier && splitAdjusted === undefined;
  await tx
    .insertInto('market_symbols')
    .values({ ...info, dataset, first_date: null, last_date: null, bar_count: 0, split_adjustments: splits })
    .onConflict((oc) =>
      oc.columns(['dataset', 'symbol']).doUpdateSet({ name: info.name, sector: info.sector, source: info.source, ...(!kept && { split_adjustments: splits }) }),
    )
    .execute();
  // Chunked so a 10-year file stays under the bound-parameter limit.
  for (let i = 0; i < bars.length; i += 500) {
    await tx
      .insertInto('market_bars')
      .values(bars.slice(i, i + 500).map((b) => ({ ...b, dataset, symbol: info.symbol })))
      .execute();
  }
  const span = await tx
    .selectFrom('market_bars')
    .select((eb) => [eb.fn.min('date').as('first'), eb.fn.max('date').as('last'), eb.fn.countAll<number>().as('n')])
    .where('dataset', '=', dataset)
    .where('symbol', '=', info.symbol)
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('market_symbols')
    .set({ first_date: span.first, last_date: span.last, bar_count: Number(span.n) })
    .where('dataset', '=', dataset)
    .where('symbol', '=', info.symbol)
    .execute();
}
