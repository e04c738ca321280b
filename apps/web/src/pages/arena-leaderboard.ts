export type RankBy = 'return' | 'sharpe';

export interface ArenaEntry {
  modelId: number;
  returnPct: number | null;
  /** Daily equity seen so far, oldest first. */
  equity: readonly number[];
  /** The run's final Sharpe once it completed; preferred over the live estimate. */
  finalSharpe?: number | null;
}

export interface RankedEntry extends ArenaEntry {
  rank: number;
  sharpe: number | null;
}

/** Annualised Sharpe (risk-free 0, 252 days) of daily equity; null until it means something. */
export function sharpeOf(equity: readonly number[]): number | null {
  const returns: number[] = [];
  for (let i = 1; i < equity.length; i++) if (equity[i - 1]! > 0) returns.push(equity[i]! / equity[i - 1]! - 1);
  if (returns.length < 2) return null;
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
  if (variance <= 0) return null;
  return (mean / Math.sqrt(variance)) * Math.sqrt(252);
}

/** Best first by the chosen figure; entries without one go last; ties keep model id order. */
export function rankLeaderboard(entries: readonly ArenaEntry[], by: RankBy): RankedEntry[] {
  const scored = entries.map((e) => ({ ...e, sharpe: e.finalSharpe ?? sharpeOf(e.equity) }));
  const score = (e: (typeof scored)[number]) => (by === 'return' ? e.returnPct : e.sharpe);
  scored.sort((a, b) => {
    const x = score(a);
    const y = score(b);
    if (x === null || y === null) return x === y ? a.modelId - b.modelId : x === null ? 1 : -1;
    return y - x || a.modelId - b.modelId;
  });
  return scored.map((e, i) => ({ ...e, rank: i + 1 }));
}
