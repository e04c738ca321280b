import { CompiledQuery, type Compilable, type QueryResult, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/** Most statement shapes kept; more (which the step path never needs) are built every time. */
const MAX_SHAPES = 2_000;

/**
 * Statements of the per-step path, built by Kysely once per shape (a table and a row count) and
 * afterwards run from their SQL text with the parameters laid out as Kysely lays them out: query
 * building was a quarter of the engine's time. The first build of a shape checks that layout.
 * One per storage: a shape's SQL is its dialect's.
 */
export class StatementShapes {
  private readonly sql = new Map<string, string>();

  async run(tx: Transaction<Database>, shape: string, build: () => Compilable, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    const known = this.sql.get(shape);
    if (known !== undefined) return tx.executeQuery(CompiledQuery.raw(known, [...parameters]));
    const compiled = build().compile();
    if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, i) => p !== parameters[i])) {
      throw new Error(`statement ${shape}: its parameters are not laid out as the query builder lays them out`);
    }
    if (this.sql.size < MAX_SHAPES) this.sql.set(shape, compiled.sql);
    return tx.executeQuery(compiled);
  }
}
