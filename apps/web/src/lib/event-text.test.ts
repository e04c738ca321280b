import { describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { describeEvent } from './event-text';
import { MINUS } from './format';

const envelope = { id: '1', timestamp: '2026-10-01T14:00:00.000Z', model_id: 1, run_id: 1 } as const;
const trade = (data: Partial<Extract<TradingEvent, { type: 'trade' }>['data']>): TradingEvent => ({
  ...envelope,
  type: 'trade',
  data: {
    message: 'AI executing BUY order: 10 ZNTH @ 123.45',
    action: 'buy',
    date: '2026-10-01',
    symbol: 'ZNTH',
    quantity: 10,
    price: 123.45,
    amount: 1234.5,
    commission: 0,
    cash_after: 8765.5,
    status: 'filled',
    reason: null,
    ...data,
  },
});

describe('describeEvent', () => {
  it('names the agent kind that acted, from the trade’s fields, never "AI executing" for a rule', () => {
    expect(describeEvent(trade({}), 'sma_crossover')).toBe('SMA crossover buys 10 ZNTH at $123.45 ($1,234.50)');
    expect(describeEvent(trade({ action: 'sell' }), 'llm')).toBe('LLM agent sells 10 ZNTH at $123.45 ($1,234.50)');
    expect(describeEvent(trade({}), 'random')).toBe('Random agent buys 10 ZNTH at $123.45 ($1,234.50)');
    expect(describeEvent(trade({}), null)).toBe('The model buys 10 ZNTH at $123.45 ($1,234.50)');
    for (const kind of ['buy_and_hold', 'sma_crossover', 'rsi_mean_reversion', 'random'] as const) expect(describeEvent(trade({}), kind)).not.toMatch(/\bAI\b/);
  });

  it('says what a rejected order wanted and why, and keeps a hold’s reasoning', () => {
    expect(describeEvent(trade({ status: 'rejected', reason: 'insufficient cash' }), 'rsi_mean_reversion')).toBe(
      'RSI mean reversion wanted to buy 10 ZNTH: rejected, insufficient cash',
    );
    const hold = trade({ action: 'hold', symbol: null, quantity: 0, price: 0, amount: 0, message: 'AI decided to HOLD positions: fast SMA below slow' });
    expect(describeEvent(hold, 'sma_crossover')).toBe('SMA crossover holds: fast SMA below slow');
    expect(describeEvent(trade({ action: 'hold', symbol: null, quantity: 0, message: 'hold' }), 'buy_and_hold')).toBe('Buy & hold holds');
  });

  it('words progress, portfolio and outcomes in the dashboard’s formats, the minus as U+2212', () => {
    const progress: TradingEvent = {
      ...envelope,
      type: 'progress',
      data: { message: 'Step 3/20: 2026-10-03', step: 3, total_steps: 20, date: '2026-10-03', cash: 5000, equity: 9950, return_pct: -0.5 },
    };
    expect(describeEvent(progress, 'llm')).toBe(`Day 3 of 20 · Oct 3, 2026 · equity $9,950.00 (${MINUS}0.50%)`);
    const complete: TradingEvent = {
      ...envelope,
      type: 'complete',
      data: {
        message: 'Run #1 completed',
        status: 'completed',
        metrics: {
          total_return_pct: 2.5,
          annualized_return_pct: null,
          annualized_volatility_pct: 10,
          sharpe: 1.1,
          sortino: null,
          max_drawdown_pct: 3,
          win_rate_pct: null,
          profit_factor: null,
          trade_count: 4,
        },
      },
    };
    expect(describeEvent(complete, 'llm')).toBe('Run completed · +2.50%');
    const error: TradingEvent = { ...envelope, type: 'error', data: { message: 'Agent error: cannot reach http://x' } };
    expect(describeEvent(error, 'llm')).toBe('Agent error: cannot reach http://x');
  });
});
