import type { ModelSnapshot, Portfolio, Run, TradingEvent, TradingStatus } from '@tradewire/contract';

export type Progress = NonNullable<TradingStatus['progress']>;

/** What the dashboard knows of one model from the stream: snapshots, then changes. */
export interface ModelLive {
  status: 'idle' | 'running';
  /** The current or last run as the snapshot described it; null when unknown. */
  run: Run | null;
  runId: number | null;
  portfolio: Portfolio | null;
  progress: Progress | null;
  lastError: string | null;
  /** `live` while (or when last) a live run trades: from the snapshot's run or a step's progress. */
  mode: 'live' | 'backtest' | null;
}

export const EMPTY_LIVE: ModelLive = {
  status: 'idle',
  run: null,
  runId: null,
  portfolio: null,
  progress: null,
  lastError: null,
  mode: null,
};

export function fromSnapshot(s: ModelSnapshot, previous: ModelLive | undefined): ModelLive {
  const sameRun = previous?.runId != null && previous.runId === s.run?.id;
  return {
    status: s.status,
    run: s.run,
    runId: s.run?.id ?? null,
    portfolio: s.portfolio,
    // Progress is not in the snapshot: keep what we had for the same, still running run.
    progress: sameRun && s.status === 'running' ? (previous?.progress ?? null) : null,
    lastError: sameRun ? (previous?.lastError ?? null) : null,
    mode: s.run?.mode ?? (sameRun ? (previous?.mode ?? null) : null),
  };
}

/** The next live state after one event (never `connected`: snapshots go through fromSnapshot). */
export function applyEvent(live: ModelLive, e: TradingEvent): ModelLive {
  const newRun = e.run_id !== null && e.run_id !== live.runId;
  const base: ModelLive = newRun ? { ...live, runId: e.run_id, run: null, progress: null, lastError: null, mode: null } : live;
  switch (e.type) {
    case 'status': {
      const s = e.data.status;
      if (!s) return base;
      return { ...base, status: s === 'running' ? 'running' : 'idle', run: base.run && { ...base.run, status: s } };
    }
    case 'progress': {
      const { step, total_steps, date, cash, equity, return_pct } = e.data;
      // Prices move equity every day; positions only change on `portfolio` events.
      const portfolio = base.portfolio && !newRun ? { ...base.portfolio, date, cash, equity, return_pct } : base.portfolio;
      return { ...base, status: 'running', progress: { step, total_steps, date }, portfolio, mode: e.data.mode ?? base.mode ?? 'backtest' };
    }
    case 'portfolio': {
      const { message: _message, ...portfolio } = e.data;
      return { ...base, portfolio };
    }
    case 'complete':
      return {
        ...base,
        status: 'idle',
        run: base.run && { ...base.run, status: e.data.status, metrics: e.data.metrics, ended_at: e.timestamp },
      };
    case 'session_complete':
      return { ...base, status: 'idle' };
    case 'error':
      return { ...base, lastError: e.data.message };
    default:
      return base;
  }
}
