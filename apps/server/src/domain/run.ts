import { z } from 'zod';
import { AgentSpec, type Bar } from '@tradewire/contract';

/** What a run trades over: loaded and checked before the run is created. */
export interface RunPlan {
  /** The market data set the run trades on. */
  dataset: string;
  symbols: string[];
  /** Trading days of the run, oldest first. */
  calendar: string[];
  /** Per symbol: bars from before the start (for indicators) through the end date. */
  bars: Map<string, Bar[]>;
  /** The bars' resolution: `1d` (the default) or intraday, whose calendar lists bar start instants. */
  timeframe?: '1m' | '5m' | '15m' | '1h' | '1d';
  /** Intraday: close every position on each day's last bar. */
  flatAtClose?: boolean;
}

/** How far a running session has come. */
export interface Progress {
  step: number;
  total_steps: number;
  date: string;
}

/** How a session ends when it is told to end before its last day. */
export type EndReason = 'stopped' | 'interrupted';

/**
 * What a run was started with, kept with it: the model's settings then and the plan's data set
 * and symbols. Read through `RunConfig.parse` at the storage edge: runs stored before a field
 * existed get its default (no data set named, no costs, the run's own starting cash).
 */
export const RunConfig = z.object({
  name: z.string().catch(''),
  /** Null for a run stored before data sets: it traded the model's. */
  dataset: z.string().nullable().catch(null),
  /** Null for a run whose stored agent no longer fits the contract's schema. */
  agent: AgentSpec.nullable().catch(null),
  /** Null for a run stored without it: its starting cash is then the run's cash at creation. */
  initial_cash: z.number().nullable().catch(null),
  symbols: z.array(z.string()).catch([]),
  risk: z.record(z.string(), z.unknown()).catch({}),
  commission_bps: z.number().catch(0),
  slippage_bps: z.number().catch(0),
  /** `live` runs trade forward on the wall clock and resume after a restart. */
  mode: z.enum(['backtest', 'live']).catch('backtest'),
  timeframe: z.enum(['1m', '5m', '15m', '1h', '1d']).catch('1d'),
  /** Intraday runs: every position closed on each day's last bar. */
  flat_at_close: z.boolean().catch(false),
  /** A live run's bar source (provider) and broker; null for backtests. */
  live: z.object({ source: z.string(), broker: z.string() }).nullable().catch(null),
});
export type RunConfig = z.infer<typeof RunConfig>;
