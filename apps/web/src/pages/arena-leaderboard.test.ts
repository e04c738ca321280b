import { describe, expect, it } from 'vitest';
import { rankLeaderboard, sharpeOf } from './arena-leaderboard';

describe('rankLeaderboard', () => {
  const steady = { modelId: 1, returnPct: 2, equity: [100, 100.5, 101, 101.5, 102] };
  const wild = { modelId: 2, returnPct: 5, equity: [100, 110, 95, 112, 105] };
  const loser = { modelId: 3, returnPct: -3, equity: [100, 99, 98, 97.5, 97] };
  const fresh = { modelId: 4, returnPct: null, equity: [] };

  it('ranks by return, best first, with unknown returns last', () => {
    expect(rankLeaderboard([loser, fresh, steady, wild], 'return').map((e) => [e.rank, e.modelId])).toEqual([
      [1, 2],
      [2, 1],
      [3, 3],
      [4, 4],
    ]);
  });

  it('ranks by Sharpe of the daily equity: a steady climb beats a wild ride with more return', () => {
    const ranked = rankLeaderboard([wild, loser, steady, fresh], 'sharpe');
    expect(ranked.map((e) => e.modelId)).toEqual([1, 2, 3, 4]);
    expect(ranked[3]!.sharpe).toBeNull();
  });

  it("prefers a completed run's final Sharpe over the live estimate", () => {
    expect(rankLeaderboard([steady, loser], 'sharpe').map((e) => e.modelId)).toEqual([1, 3]);
    const ranked = rankLeaderboard([{ ...steady, finalSharpe: -1000 }, loser], 'sharpe');
    expect(ranked.map((e) => [e.modelId, e.sharpe])).toEqual([
      [3, expect.any(Number)],
      [1, -1000],
    ]);
  });

  it('re-ranks as new equity arrives and breaks ties by model id', () => {
    const a = { modelId: 7, returnPct: 1, equity: [] };
    const b = { modelId: 5, returnPct: 1, equity: [] };
    expect(rankLeaderboard([a, b], 'return').map((e) => e.modelId)).toEqual([5, 7]);
    expect(rankLeaderboard([{ ...a, returnPct: 1.5 }, b], 'return').map((e) => e.modelId)).toEqual([7, 5]);
  });
});

describe('sharpeOf', () => {
  it('is null with too little or flat data, and matches the formula otherwise', () => {
    expect(sharpeOf([100, 101])).toBeNull();
    expect(sharpeOf([100, 100, 100, 100])).toBeNull();
    const r = [0.01, -0.005, 0.02];
    const mean = r.reduce((s, x) => s + x, 0) / 3;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const eq = [100, 101, 101 * 0.995, 101 * 0.995 * 1.02];
    expect(sharpeOf(eq)).toBeCloseTo((mean / sd) * Math.sqrt(252), 6);
  });
});
