import { describe, expect, it } from 'vitest';
import { RuleDocument, type Bar } from '@tradewire/contract';
import { orderLog, replay, replayBars, tradingDays } from '../../test/market-replay.js';
import { positionSizing } from '../position-sizing.js';
import { createRulesAgent } from './rules-agent.js';

/** A rule document as a client writes it (defaults left out), parsed by the contract. */
const rulesAgent = (doc: unknown, costs: { slippageBps?: number; commissionBps?: number } = {}) =>
  createRulesAgent(RuleDocument.parse(doc), positionSizing(costs));

const sma = (period: number) => ({ kind: 'sma', period });
const rsi = (period: number) => ({ kind: 'rsi', period });
const constant = (value: number) => ({ kind: 'constant', value });
const close = { kind: 'price', field: 'close' };
const compare = (left: unknown, op: string, right: unknown) => ({ kind: 'compare', left, op, right });
const allEquity = { kind: 'percent_of_equity', percent: 100 };
const oneSet = (set: Record<string, unknown>) => ({ version: 1, rule_sets: [set] });

/** Bars from [open, high, low, close] rows on consecutive days. */
const barsOf = (rows: [number, number, number, number][]): Bar[] => {
  const days = tradingDays(rows.length);
  return rows.map(([open, high, low, close], i) => ({ date: days[i]!, open, high, low, close, volume: 1_000 }));
};

describe('rules agent', () => {
  // Same path as the sma_crossover test: SMA(2) and SMA(3) are equal (7) on day 5's close and SMA(2)
  // is above (9 > 8) on day 6's: the cross is on day 6's bar, so the buy is at day 7's open (12).
  // SMA(2) falls below on day 9's close (8.5 < 9.67): sell at day 10's open (5).
  const CROSSING = [10, 9, 8, 7, 6, 8, 10, 12, 10, 7, 5];

  it('fires a cross on the exact bar it happens, from equal the bar before', async () => {
    const agent = rulesAgent(
      oneSet({
        entries: [{ when: compare(sma(2), 'crosses_above', sma(3)), buy: allEquity }],
        exits: [{ when: compare(sma(2), 'crosses_below', sma(3)) }],
      }),
    );
    const steps = await replay(agent, { ACME: CROSSING });

    expect(orderLog(steps)).toEqual(['2024-01-08 buy 833 ACME', '2024-01-11 sell 833 ACME']);
    expect(steps[2]!.decision.reasoning).toBe('ACME: entry rule 1: SMA(3) not ready (2 of 3 bars) → hold');
    expect(steps[6]!.decision.reasoning).toBe('ACME: entry rule 1: SMA(2) 7.00 ≤ SMA(3) 7.00, no cross above → hold');
    expect(steps[7]!.decision.reasoning).toBe('ACME: Entry rule 1: SMA(2) 9.00 crossed above SMA(3) 8.00 (was 7.00 ≤ 7.00) → buy 833');
    expect(steps[8]!.decision.reasoning).toBe(
      'ACME: holding 833 (entry 12.00, 1 day, P/L -16.67%); exit rule 1: SMA(2) 11.00 ≥ SMA(3) 10.00, no cross below → hold',
    );
    expect(steps[10]!.decision.reasoning).toBe('ACME: Exit rule 1: SMA(2) 8.50 crossed below SMA(3) 9.67 (was 11.00 ≥ 10.67) → sell 833');
    // Each order carries the rule and values that fired it: its fill's reason, a round trip's entry and exit.
    expect(steps[7]!.decision.orders.map((o) => o.reason)).toEqual(['Entry rule 1: SMA(2) 9.00 crossed above SMA(3) 8.00 (was 7.00 ≤ 7.00)']);
    expect(steps[10]!.decision.orders.map((o) => o.reason)).toEqual(['Exit rule 1: SMA(2) 8.50 crossed below SMA(3) 9.67 (was 11.00 ≥ 10.67)']);
  });

  // RSI(2) of the swing (see rsi-mean-reversion.test.ts): 0 on days 2 and 3, 66.67 on day 4;
  // SMA(3): 9 on day 2, 8 on day 3.
  const SWING = [10, 9, 8, 7, 9, 11, 12];

  it('evaluates nested AND/OR groups and names the branch that fired', async () => {
    const agent = rulesAgent(
      oneSet({
        entries: [
          {
            when: { kind: 'all', conditions: [compare(rsi(2), 'below', constant(30)), { kind: 'any', conditions: [compare(close, 'above', sma(3)), compare(close, 'below', constant(7.5))] }] },
            buy: allEquity,
          },
        ],
        exits: [
          {
            when: {
              kind: 'any',
              conditions: [compare(rsi(2), 'above', constant(70)), { kind: 'all', conditions: [compare({ kind: 'position', field: 'unrealised_pl_pct' }, 'above', constant(20))] }],
            },
          },
        ],
      }),
    );
    const steps = await replay(agent, { ACME: SWING });

    expect(orderLog(steps)).toEqual(['2024-01-05 buy 1111 ACME', '2024-01-06 sell 1111 ACME']);
    // Day 3 sees close 8, RSI 0, SMA(3) 9: the OR fails on both sides.
    expect(steps[3]!.decision.reasoning).toBe('ACME: entry rule 1: (close 8.00 ≤ SMA(3) 9.00 and close 8.00 ≥ 7.5) → hold');
    // Day 4 sees close 7 and SMA(3) 8: the OR holds through its second branch.
    expect(steps[4]!.decision.reasoning).toBe('ACME: Entry rule 1: RSI(2) 0.00 < 30 AND close 7.00 < 7.5 → buy 1111');
    // Day 5 opens at 11 against an entry at 9 (+22.22 %) while RSI(2) is 66.67.
    expect(steps[5]!.decision.reasoning).toBe('ACME: Exit rule 1: P/L % 22.22 > 20 → sell 1111');
  });

  it('sells first and sizes buys on the cash the sells free, across rule sets', async () => {
    const agent = rulesAgent({
      version: 1,
      rule_sets: [
        { symbols: ['ACME'], entries: [{ when: compare(close, 'below', constant(11)), buy: allEquity }], exits: [{ when: compare(close, 'above', constant(15)) }] },
        { entries: [{ when: compare(close, 'above', constant(15)), buy: allEquity }] },
      ],
    });
    const steps = await replay(agent, { ACME: [10, 10, 20, 20], BOLT: [16, 16, 16, 16] });

    expect(orderLog(steps)).toEqual(['2024-01-02 buy 1000 ACME', '2024-01-04 sell 1000 ACME', '2024-01-04 buy 1250 BOLT']);
    expect(steps[1]!.decision.reasoning).toBe(
      'ACME: Set 1 entry rule 1: close 10.00 < 11 → buy 1000\nBOLT: Set 2 entry rule 1: close 16.00 > 15, but 100% of equity capped by cash buys no whole share at 16.00 → hold',
    );
    // ACME's 1000 shares sell at 20 before BOLT is sized: 20000 of cash buys 1250 at 16.
    expect(steps[3]!.decision.reasoning).toBe('ACME: Set 1 exit rule 1: close 20.00 > 15 → sell 1000\nBOLT: Set 2 entry rule 1: close 16.00 > 15 → buy 1250');
    expect(steps[3]!.decision.orders.map((o) => o.side)).toEqual(['sell', 'buy']);
  });

  it('follows a trailing stop up and sells when the open falls to it, then can enter again', async () => {
    const bars = barsOf([
      [100, 101, 99, 100],
      [100, 105, 99, 104], // buy 10 at 100
      [104, 112, 103, 110], // highest high 105 -> stop 94.50
      [109, 111, 100, 101], // highest high 112 -> stop 100.80
      [100, 102, 98, 99], // open 100 ≤ 100.80: sell
      [99, 100, 98, 99], // flat again: the entry rule buys anew
    ]);
    const agent = rulesAgent(
      oneSet({ entries: [{ when: compare(close, 'above', constant(0)), buy: { kind: 'shares', quantity: 10 } }], stops: { trailing_stop_pct: 10 } }),
    );
    const steps = await replayBars(agent, new Map([['ACME', bars]]));

    expect(orderLog(steps)).toEqual(['2024-01-02 buy 10 ACME', '2024-01-05 sell 10 ACME', '2024-01-06 buy 10 ACME']);
    expect(steps[0]!.decision.reasoning).toBe('ACME: entry rule 1: close not known yet (0 of 1 bars) → hold');
    expect(steps[3]!.decision.reasoning).toBe('ACME: holding 10 (entry 100.00, 2 days, P/L +9.00%); no stop reached → hold');
    expect(steps[4]!.decision.reasoning).toBe('ACME: Trailing stop: open 100.00 ≤ 100.80 (high 112.00 − 10%) → sell 10');
  });

  // ATR(2) of these bars (Wilder): true ranges 2, 6, 9, 11 -> 4 after bar 1, 6.5 after bar 2, 8.75 after bar 3.
  const ATR_BARS: [number, number, number, number][] = [
    [100, 101, 99, 100],
    [100, 105, 99, 104],
    [104, 112, 103, 110], // buy: 1 % of 10000 over 2 × ATR 4 = 12.5 -> 12 shares; risk stop 104 − 8 = 96
    [109, 111, 100, 101], // ATR trailing: 112 − 1 × 6.5 = 105.5 under the open 109
    [100, 102, 98, 99], // 112 − 1 × 8.75 = 103.25: the open 100 is below
  ];

  it('sizes a risk-based buy on ATR and trails an ATR stop from the highest high', async () => {
    const agent = rulesAgent(
      oneSet({
        entries: [{ when: compare(close, 'above', constant(0)), buy: { kind: 'risk_atr', risk_pct: 1, atr_period: 2, atr_multiple: 2 } }],
        stops: { trailing_atr: { period: 2, multiple: 1 } },
      }),
    );
    const steps = await replayBars(agent, new Map([['ACME', barsOf(ATR_BARS)]]));

    expect(orderLog(steps)).toEqual(['2024-01-03 buy 12 ACME', '2024-01-05 sell 12 ACME']);
    expect(steps[1]!.decision.reasoning).toBe('ACME: Entry rule 1: close 100.00 > 0, but ATR(2) not ready (1 of 2 bars) → hold');
    expect(steps[2]!.decision.reasoning).toBe('ACME: Entry rule 1: close 104.00 > 0 → buy 12 (risk 1% of equity over 2 × ATR(2) 4.00)');
    expect(steps[4]!.decision.reasoning).toBe('ACME: ATR trailing stop: open 100.00 ≤ 103.25 (high 112.00 − 1 × ATR(2) 8.75) → sell 12');
  });

  it('sells at the stop a risk-based buy set, before any trailing stop', async () => {
    const rows = ATR_BARS.map((row) => [...row] as [number, number, number, number]);
    rows[3] = [95, 111, 94, 101];
    const agent = rulesAgent(
      oneSet({
        entries: [{ when: compare(close, 'above', constant(0)), buy: { kind: 'risk_atr', risk_pct: 1, atr_period: 2, atr_multiple: 2 } }],
        stops: { trailing_atr: { period: 2, multiple: 1 } },
      }),
    );
    const steps = await replayBars(agent, new Map([['ACME', barsOf(rows)]]));

    // Flat again, it buys anew: 1 % of 9892 over 2 × ATR(2) 11.75 (true range 17 on bar 3) = 4.2 -> 4 shares.
    expect(orderLog(steps)).toEqual(['2024-01-03 buy 12 ACME', '2024-01-04 sell 12 ACME', '2024-01-05 buy 4 ACME']);
    expect(steps[3]!.decision.reasoning).toBe('ACME: Risk stop: open 95.00 ≤ 96.00 (entry 104.00 − 2 × ATR(2) 4.00) → sell 12');
  });

  const DIP = [10, 9, 9.5, 10, 10.3, 10.3];

  it('takes profit when the open reaches the target over the entry', async () => {
    const agent = rulesAgent(oneSet({ entries: [{ when: compare(close, 'below', constant(9.5)), buy: allEquity }], stops: { take_profit_pct: 8 } }));
    const steps = await replay(agent, { ACME: DIP });

    // Bought at day 2's open 9.5; the target is 9.5 × 1.08 = 10.26, first reached by day 4's open.
    expect(orderLog(steps)).toEqual(['2024-01-03 buy 1052 ACME', '2024-01-05 sell 1052 ACME']);
    expect(steps[3]!.decision.reasoning).toBe('ACME: holding 1052 (entry 9.50, 1 day, P/L +5.26%); no stop reached → hold');
    expect(steps[4]!.decision.reasoning).toBe('ACME: Take-profit: open 10.30 ≥ 10.26 (entry 9.50 + 8%) → sell 1052');
  });

  it('sells after the maximum holding days, counted in complete bars since the entry day', async () => {
    const agent = rulesAgent(oneSet({ entries: [{ when: compare(close, 'below', constant(9.5)), buy: allEquity }], stops: { max_holding_days: 3 } }));
    const steps = await replay(agent, { ACME: [10, 9, 9.6, 9.6, 9.6, 9.6, 9.6] });

    expect(orderLog(steps)).toEqual(['2024-01-03 buy 1041 ACME', '2024-01-06 sell 1041 ACME']);
    expect(steps[4]!.decision.reasoning).toBe('ACME: holding 1041 (entry 9.60, 2 days, P/L +0.00%); no stop reached → hold');
    expect(steps[5]!.decision.reasoning).toBe('ACME: Time stop: held 3 of 3 days → sell 1041');
  });

  it('sells part of a position, in whole shares', async () => {
    const agent = rulesAgent(
      oneSet({
        entries: [{ when: compare(close, 'below', constant(9.5)), buy: { kind: 'shares', quantity: 3 } }],
        exits: [{ when: compare({ kind: 'position', field: 'held_days' }, 'above', constant(0)), sell: { kind: 'part', percent: 40 } }],
      }),
    );
    const steps = await replay(agent, { ACME: [10, 9, 9.6, 9.6, 9.6] });

    expect(orderLog(steps)).toEqual(['2024-01-03 buy 3 ACME', '2024-01-04 sell 1 ACME']);
    expect(steps[3]!.decision.reasoning).toBe('ACME: Exit rule 1: held days 1 > 0 → sell 1 of 3');
    expect(steps[4]!.decision.reasoning).toBe('ACME: Exit rule 1: held days 2 > 0, but 40% of 2 is no whole share → hold');
  });

  it('leaves alone symbols no rule set names, and days a symbol does not trade', async () => {
    const agent = rulesAgent(oneSet({ symbols: ['ACME'], entries: [{ when: compare(close, 'below', constant(5)), buy: allEquity }] }));
    const steps = await replay(agent, { ACME: [10, null, 10], BOLT: [10, 10, 10] });

    expect(steps[1]!.decision.reasoning).toBe('ACME: not trading today → hold\nBOLT: in no rule set → hold');
    expect(steps[2]!.decision.reasoning).toBe('ACME: entry rule 1: close 10.00 ≥ 5 → hold\nBOLT: in no rule set → hold');
  });

  it('takes over a position it did not open at the first open it sees', async () => {
    const agent = rulesAgent(oneSet({ entries: [{ when: compare(close, 'below', constant(5)), buy: allEquity }], stops: { stop_loss_pct: 10 } }));
    const bars = barsOf([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [89, 89, 89, 89],
    ]);
    const observation = (i: number) => ({
      date: bars[i]!.date,
      step: i + 1,
      symbols: ['ACME'],
      history: new Map([['ACME', bars.slice(0, i)]]),
      open: new Map([['ACME', bars[i]!.open]]),
      cash: 0,
      positions: new Map([['ACME', 5]]),
      equity: 500,
      preview: () => ({ book: { cash: 0, holdings: new Map(), peakEquity: 0 }, fills: [], orderIndex: [] }),
    });

    expect((await agent.decide(observation(1))).reasoning).toBe('ACME: holding 5 (entry 100.00, 0 days, P/L +0.00%); no stop reached → hold');
    const decision = await agent.decide(observation(2));
    expect(decision.orders).toEqual([{ symbol: 'ACME', side: 'sell', quantity: 5, reason: 'Stop-loss: open 89.00 ≤ 90.00 (entry 100.00 − 10%)' }]);
    expect(decision.reasoning).toBe('ACME: Stop-loss: open 89.00 ≤ 90.00 (entry 100.00 − 10%) → sell 5');
  });
});
