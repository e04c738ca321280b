import type { Bar } from '@tradewire/contract';

/** What a run trades over: loaded and checked before the run is created. */
export interface RunPlan {
  /** The market data set the run trades on. */
  dataset: string;
  symbols: string[];
  /** Trading days of the run, oldest first. */
  calendar: string[];
  /** Per symbol: bars from before the start (for indicators) through the end date. */
  bars: Map<string, Bar[]>;
}

/** How far a running session has come. */
export interface Progress {
  step: number;
  total_steps: number;
  date: string;
}

/** How a session ends when it is told to end before its last day. */
export type EndReason = 'stopped' | 'interrupted';
