import { describe, expect, it } from 'vitest';
import { type FilledTrade, computeMetrics } from './metrics.js';

const curve = (...equities: number[]) =>
  equities.map((equity, i) => ({ date: `2024-01-${String(i + 1).padStart(2, '0')}`, equity }));

describe('computeMetrics', () => {
  it('computes returns, risk and drawdown of an equity curve by hand', () => {
    // Equity 100 -> 110 -> 99 -> 118.8: daily returns +0.10, -0.10, +0.20.
    //   total return       118.8 / 100 - 1 = 18.8%
    //   mean               0.2 / 3 = 0.0666…
    //   sample variance    ((0.0333…)² + (-0.1666…)² + (0.1333…)²) / 2 = (0.00111 + 0.02778 + 0.01778) / 2 = 0.02333…
    //   volatility         sqrt(0.02333… * 252) = sqrt(5.88) = 2.424871 -> 242.4871%
    //   Sharpe             0.0666… / sqrt(0.02333…) * sqrt(252) = sqrt(0.00444… / 0.02333… * 252) = sqrt(48) = 6.9282
    //   downside deviation sqrt((0 + 0.01 + 0) / 3) = sqrt(0.00333…)
    //   Sortino            0.0666… / sqrt(0.00333…) * sqrt(252) = sqrt(0.00444… / 0.00333… * 252) = sqrt(336) = 18.3303
    //   max drawdown       110 -> 99 = 11 / 110 = 10%
    //   annualised         1.188^(252 / 3) - 1 = 1.188^84 - 1
    const m = computeMetrics(curve(100, 110, 99, 118.8), []);

    expect(m.total_return_pct).toBe(18.8);
    expect(m.annualized_volatility_pct).toBe(242.4871);
    expect(m.sharpe).toBe(6.9282);
    expect(m.sortino).toBe(18.3303);
    expect(m.max_drawdown_pct).toBe(10);
    expect(m.annualized_return_pct).toBeCloseTo((1.188 ** 84 - 1) * 100, 0);
  });

  it('annualises over 252 trading days', () => {
    // 252 daily returns (one year) ending 10% up: 1.1^(252/252) - 1 = 10%.
    expect(computeMetrics(curve(...Array<number>(252).fill(100), 110), []).annualized_return_pct).toBe(10);
    // 126 daily returns (half a year) ending 21% up: 1.21^(252/126) - 1 = 1.4641 - 1 = 46.41%.
    expect(computeMetrics(curve(...Array<number>(126).fill(100), 121), []).annualized_return_pct).toBe(46.41);
  });

  it('takes the deepest fall from any peak as the max drawdown', () => {
    // Falls: 120 -> 90 = 25%, then from the new peak 130 -> 65 = 50%; the recovery to 70 changes nothing.
    expect(computeMetrics(curve(100, 120, 90, 130, 65, 70), []).max_drawdown_pct).toBe(50);
  });

  it('reports a flat curve as no return and no risk, with undefined ratios', () => {
    expect(computeMetrics(curve(100, 100, 100), [])).toEqual({
      total_return_pct: 0,
      annualized_return_pct: 0,
      annualized_volatility_pct: 0,
      sharpe: null,
      sortino: null,
      max_drawdown_pct: 0,
      win_rate_pct: null,
      profit_factor: null,
      trade_count: 0,
    });
  });

  it('leaves Sharpe undefined when steady growth has no dispersion, and Sortino when nothing fell', () => {
    // Returns of exactly 10% a day differ only by float noise.
    const m = computeMetrics(curve(100, 110, 121, 133.1), []);

    expect(m.total_return_pct).toBe(33.1);
    expect(m.annualized_volatility_pct).toBe(0);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
  });

  it('handles a single point, an empty curve and a wiped-out account', () => {
    const none = { total_return_pct: 0, annualized_return_pct: 0, annualized_volatility_pct: 0, sharpe: null, sortino: null, max_drawdown_pct: 0 };
    expect(computeMetrics(curve(100), [])).toMatchObject(none);
    expect(computeMetrics([], [])).toMatchObject(none);
    expect(computeMetrics(curve(100, 0), [])).toMatchObject({ total_return_pct: -100, annualized_return_pct: -100, max_drawdown_pct: 100 });
  });

  it('scores closed trades against the average cost, net of commissions', () => {
    const trades: FilledTrade[] = [
      { symbol: 'ACME', action: 'buy', quantity: 10, price: 10, commission: 1 }, // cost 101
      { symbol: 'ACME', action: 'buy', quantity: 10, price: 12, commission: 1 }, // cost 121: 222 for 20, 11.10 each
      { symbol: 'ACME', action: 'sell', quantity: 5, price: 13, commission: 0.5 }, // 65 - 0.5 - 5 * 11.10 = +9
      { symbol: 'BETA', action: 'buy', quantity: 4, price: 50, commission: 0 },
      { symbol: 'ACME', action: 'sell', quantity: 15, price: 10, commission: 1.5 }, // 150 - 1.5 - 15 * 11.10 = -18
      { symbol: 'BETA', action: 'sell', quantity: 4, price: 55, commission: 0 }, // 220 - 200 = +20
    ];
    // FIFO would have scored the ACME sells +14 and -23; average cost gives +9 and -18.
    // Win rate 2 of 3 = 66.6667%; profit factor (9 + 20) / 18 = 1.6111.
    const m = computeMetrics(curve(1000, 1011), trades);

    expect(m.win_rate_pct).toBe(66.6667);
    expect(m.profit_factor).toBe(1.6111);
    expect(m.trade_count).toBe(6);
  });

  it('leaves the profit factor undefined when no trade lost, and the win rate when none closed', () => {
    const win = computeMetrics(curve(100, 105), [
      { symbol: 'ACME', action: 'buy', quantity: 1, price: 100, commission: 0 },
      { symbol: 'ACME', action: 'sell', quantity: 1, price: 105, commission: 0 },
    ]);
    expect(win).toMatchObject({ win_rate_pct: 100, profit_factor: null, trade_count: 2 });

    const open = computeMetrics(curve(100, 105), [{ symbol: 'ACME', action: 'buy', quantity: 1, price: 100, commission: 0 }]);
    expect(open).toMatchObject({ win_rate_pct: null, profit_factor: null, trade_count: 1 });
  });
});
