import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/** Most writes one transaction takes. */
const MAX_BATCH = 64;

const SAVEPOINT = CompiledQuery.raw('SAVEPOINT grouped');
const RELEASE = CompiledQuery.raw('RELEASE SAVEPOINT grouped');
const ROLLBACK = CompiledQuery.raw('ROLLBACK TO SAVEPOINT grouped');

interface Waiting<T> {
  item: T;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Group commit: writes that arrive while a transaction is writing wait, and are written together
 * in the next one, in the order they arrived, each in a savepoint of its own: one that fails (a
 * run closed meanwhile) is undone alone and fails alone, the others commit. A commit is what a
 * step costs most (its pages written to the WAL, PostgreSQL's flush), so concurrent runs share
 * one; a write that finds nothing else to go with goes alone.
 */
export class GroupCommit<T> {
  private readonly queue: Waiting<T>[] = [];
  private writing = 0;
  private scheduled = false;

  /**
   * `lanes`: transactions writing at once (SQLite: 1, its one connection; PostgreSQL: a few of
   * its pool's). The caller never has two writes of one run waiting at once (a session hands a
   * step over once the previous one is stored), so lanes never reorder a run's steps.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lanes: number,
    private readonly write: (tx: Transaction<Database>, item: T) => Promise<void>,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  /**
   * Starts a lane once this turn of the event loop is over: sessions playing together hand their
   * steps over in the same turn, so they are written together.
   */
  private kick() {
    if (this.scheduled || this.writing >= this.lanes) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.queue.length > 0) void this.drain();
    });
  }

  private async drain() {
    this.writing++;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      if (batch.length === 1) await this.alone(batch[0]!);
      else await this.together(batch);
    }
    this.writing--;
  }

  private async alone(w: Waiting<T>) {
    try {
      await this.db.transaction().execute((tx) => this.write(tx, w.item));
      w.resolve();
    } catch (e) {
      w.reject(e);
    }
  }

  private async together(batch: Waiting<T>[]) {
    const failures = new Map<Waiting<T>, unknown>();
    try {
      await this.db.transaction().execute(async (tx) => {
        for (const w of batch) {
          // Sent ahead of the write's statements, not waited for alone (PostgreSQL pipelines them).
          const saved = tx.executeQuery(SAVEPOINT);
          try {
            await this.write(tx, w.item);
            await saved;
          } catch (e) {
            await saved.catch(() => undefined);
            failures.set(w, e);
            await tx.executeQuery(ROLLBACK);
          }
          await tx.executeQuery(RELEASE);
        }
      });
    } catch (e) {
      // The commit failed (or the connection did): none of them is known stored.
      for (const w of batch) w.reject(e);
      return;
    }
    for (const w of batch) {
      if (failures.has(w)) w.reject(failures.get(w));
      else w.resolve();
    }
  }
}
