import type { MarketData } from '../market/market-data.js';
import { recordedFills, recordedRoundTrips } from '../services/results.js';
import type { ModelRecord, RunRecord, TradeRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';

/**
 * The data one user's assistant may read: every lookup is scoped to runs of that user's own
 * models, whatever id the model asks for (an admin's assistant sees only the admin's runs too).
 * A run of anyone else reads exactly like a run that does not exist.
 */
export class RunData {
  private readonly fillsByRun = new Map<number, Promise<TradeRecord[]>>();

  constructor(
    private readonly deps: { storage: Storage; market: MarketData },
    readonly userId: number,
  ) {}

  /** The run with its model, or null when it is not one of the user's. */
  async run(runId: number): Promise<{ run: RunRecord; model: ModelRecord } | null> {
    const run = await this.deps.storage.runs.byId(runId);
    const model = run && (await this.deps.storage.models.byId(run.model_id));
    if (!run || !model || model.user_id !== this.userId) return null;
    return { run, model };
  }

  /** The user's model, or null. */
  async model(modelId: number): Promise<ModelRecord | null> {
    const model = await this.deps.storage.models.byId(modelId);
    return model && model.user_id === this.userId ? model : null;
  }

  runs(modelId: number): Promise<RunRecord[]> {
    return this.deps.storage.runs.listByModel(modelId);
  }

  /** Every trade of the run, in the order executed (read once per answer). */
  fills(run: RunRecord): Promise<TradeRecord[]> {
    let fills = this.fillsByRun.get(run.id);
    if (!fills) this.fillsByRun.set(run.id, (fills = recordedFills(this.deps.storage, run)));
    return fills;
  }

  roundTrips(run: RunRecord) {
    return recordedRoundTrips(this.deps.storage, run);
  }

  equityCurve(run: RunRecord) {
    return this.deps.storage.runs.equityCurve(run.id);
  }

  /** The hold decisions (with the agent's reasoning) the run recorded between two dates. */
  async decisions(run: RunRecord, from: string, to: string, limit: number): Promise<{ date: string; reasoning: string }[]> {
    const out: { date: string; reasoning: string }[] = [];
    let after: number | undefined;
    for (;;) {
      const rows = await this.deps.storage.events.byRun(run.id, { limit: 500, after });
      for (const e of rows) {
        const data = e.data as { date?: unknown; reasoning?: unknown };
        if (e.type !== 'decision' || typeof data.date !== 'string' || data.date < from || data.date > to) continue;
        out.push({ date: data.date, reasoning: typeof data.reasoning === 'string' ? data.reasoning : '' });
        if (out.length >= limit) return out;
      }
      if (rows.length < 500) return out;
      after = rows.at(-1)!.id;
    }
  }

  /**
   * The run's log lines about days between two dates, oldest first: an LLM agent logs each call
   * with the day it decided (`2026-03-04 LLM call 1: …; reasoning: …`), tool failures too.
   */
  async dayLogs(run: RunRecord, from: string, to: string, limit: number): Promise<{ date: string; level: string; message: string }[]> {
    const out: { date: string; level: string; message: string }[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await this.deps.storage.logs.list({ model_id: run.model_id, run_id: run.id, limit: 500, cursor });
      for (const l of page.items) {
        const date = /^(\d{4}-\d{2}-\d{2})\b/.exec(l.message)?.[1];
        if (date && date >= from && date <= to) out.push({ date, level: l.level, message: l.message });
      }
      if (page.next_cursor === null) break;
      cursor = Number(page.next_cursor);
    }
    // Pages come newest first; the model reads a day's story forwards.
    return out.reverse().slice(0, limit);
  }

  /** Bars of a symbol the run traded, from the run's own data set; null when that data set is gone. */
  async bars(run: RunRecord, symbol: string, from: string, to: string) {
    const market = await this.deps.market.forDataset(run.config.dataset ?? 'simulated');
    return market ? market.bars(symbol, from, to) : null;
  }
}
