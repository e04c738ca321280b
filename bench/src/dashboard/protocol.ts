/** Messages between the dashboard benchmark and its server process, and the events it publishes. */

export interface Session {
  accessToken: string;
  /** Epoch ms; the dashboard ignores a stored session past it. */
  expiresAt: number;
  user: { id: number; email: string; display_name: string; role: string };
}

export type ToServer =
  | { type: 'setup'; models: number; webDist: string }
  | { type: 'start'; ratePerModel: number; durationMs: number }
  | { type: 'exit' };

export type FromServer =
  | { type: 'ready'; port: number; session: Session; modelIds: number[] }
  /** `emitted`: events of the user's models the bus delivered while the benchmark published. */
  | { type: 'done'; emitted: number; wallMs: number; publishErrors: number };

type Kind = 'progress' | 'trade' | 'portfolio';
/** Per model, every 4 events: 2 progress, 1 trade, 1 portfolio (a trading day with a fill). */
const CYCLE: Kind[] = ['progress', 'trade', 'progress', 'portfolio'];
export const TOTAL_STEPS = 10_000;
const SYMBOLS = ['ZNTH', 'QLLX', 'VRDX', 'HLVX', 'MDRQ'];

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The `n`-th event of one model (n from 0), valid against the contract's TradingEvent: what a
 * session sends while trading a simulated day per event pair, from `startDate` on.
 */
export function eventFor(n: number, startDate: string, initialCash = 10_000): { type: Kind; data: Record<string, unknown> } {
  const type = CYCLE[n % CYCLE.length]!;
  const step = 2 + Math.floor(n / 2);
  const date = addDays(startDate, step);
  const equity = round2(initialCash * (1 + 0.05 * Math.sin(step / 25)));
  const cash = round2(initialCash * 0.4);
  const return_pct = round2((equity / initialCash - 1) * 100);
  const symbol = SYMBOLS[Math.floor(n / 4) % SYMBOLS.length]!;
  const price = round2(100 + 10 * Math.sin(step / 7));
  const quantity = 1 + (step % 9);
  if (type === 'progress') {
    return { type, data: { message: `Day ${step} of ${TOTAL_STEPS}`, step, total_steps: TOTAL_STEPS, date, cash, equity, return_pct } };
  }
  if (type === 'trade') {
    const action = step % 3 === 0 ? 'sell' : 'buy';
    const amount = round2(quantity * price);
    return {
      type,
      data: {
        message: `AI executing ${action.toUpperCase()} order: ${quantity} ${symbol} @ ${price.toFixed(2)}`,
        action, date, symbol, quantity, price, amount, commission: 0, cash_after: cash, status: 'filled', reason: null,
      },
    };
  }
  const value = round2(equity - cash);
  const shares = round2(value / price);
  return {
    type,
    data: {
      message: 'Portfolio updated',
      date, cash, equity, return_pct, trade_count: Math.floor(n / 4) + 1,
      positions: [{ symbol, quantity: shares, avg_cost: 100, last_price: price, market_value: value, unrealized_pnl: round2(value - shares * 100) }],
    },
  };
}
