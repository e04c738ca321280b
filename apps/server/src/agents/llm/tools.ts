import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { TradingDesk } from './trading-desk.js';

/** Most bars one get_prices call returns per symbol: keeps prompts small. */
export const MAX_LOOKBACK_DAYS = 60;

export type ToolOutcome = { result: unknown } | { finished: string };

interface Tool<S extends z.ZodType> {
  description: string;
  args: S;
  run(desk: TradingDesk, args: z.output<S>): ToolOutcome;
}
const tool = <S extends z.ZodType>(t: Tool<S>) => t;

const OrderArgs = z.object({
  symbol: z.string().trim().min(1).max(32).describe('Ticker from the tradable list'),
  quantity: z.number().describe('Whole number of shares, above 0'),
  reason: z.string().trim().max(300).optional().describe('Why, in one short line (shown with the trade)'),
});

/** What a buy or sell tool answers: the would-be fill, or the broker's reason for rejecting it. */
function placeOrder(desk: TradingDesk, side: 'buy' | 'sell', { symbol, quantity, reason: why }: z.output<typeof OrderArgs>): ToolOutcome {
  // An order for a symbol the run does not trade is no order at all: refused here, never recorded.
  if (!desk.symbols.includes(symbol)) return { result: { error: `unknown symbol ${symbol}; tradable: ${desk.symbols.join(', ')}` } };
  const fill = desk.place({ symbol, side, quantity, ...(why ? { reason: why } : {}) });
  if (fill.status === 'rejected') return { result: { status: fill.status, reason: fill.reason } };
  const { price, amount, commission, cash_after, reason } = fill;
  return { result: { status: fill.status, quantity: fill.quantity, price, amount, commission, cash_after, note: reason } };
}

/** Each tool's arguments are parsed at the edge: a model's JSON is input like any other. */
const TOOLS: Record<string, Tool<z.ZodType>> = {
  get_prices: tool({
    description: "Daily OHLCV bars before today, oldest first (today's bar is not complete yet).",
    args: z.object({
      symbols: z.array(z.string()).min(1).optional().describe('Tickers to fetch; all tradable ones when omitted'),
      lookback_days: z.number().int().min(1).max(MAX_LOOKBACK_DAYS).default(20).describe('How many trading days back'),
    }),
    run: (desk, { symbols, lookback_days }) => ({ result: desk.prices(symbols ?? desk.symbols, lookback_days) }),
  }),
  get_portfolio: tool({
    description: "Cash, positions and equity at today's opens, including orders placed so far today.",
    args: z.object({}),
    run: (desk) => ({ result: desk.portfolio() }),
  }),
  buy: tool({
    description: "Market buy at today's open plus slippage. The result says whether it fills.",
    args: OrderArgs,
    run: (desk, args) => placeOrder(desk, 'buy', args),
  }),
  sell: tool({
    description: 'Market sell of shares you hold at today\'s open minus slippage. The result says whether it fills.',
    args: OrderArgs,
    run: (desk, args) => placeOrder(desk, 'sell', args),
  }),
  finish_step: tool({
    description: 'End today: call it once you have placed all your orders (or none, to hold).',
    args: z.object({ summary: z.string().default('').describe('One or two sentences: what you did today and why') }),
    run: (_desk, { summary }) => ({ finished: summary }),
  }),
};

/** The tool list in the chat completions format, generated from the same schemas that parse the calls. */
export const tradingTools: ChatCompletionTool[] = Object.entries(TOOLS).map(([name, t]) => {
  const { $schema: _, ...parameters } = z.toJSONSchema(t.args, { io: 'input' });
  return { type: 'function', function: { name, description: t.description, parameters } };
});

/** Runs one tool call; bad JSON, bad arguments or an unknown tool become an error the model can read. */
export function runTool(desk: TradingDesk, name: string, rawArgs: string): ToolOutcome {
  const t = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
  if (!t) return { result: { error: `unknown tool "${name}"; use one of ${Object.keys(TOOLS).join(', ')}` } };
  let json: unknown;
  try {
    // `\u0000` escapes decode to NUL characters, which no text column can hold: dropped.
    json = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\0', '') : value));
  } catch {
    return { result: { error: `arguments are not valid JSON: ${rawArgs.slice(0, 200)}` } };
  }
  const parsed = t.args.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
    return { result: { error: `invalid arguments: ${issues.join('; ')}` } };
  }
  return t.run(desk, parsed.data);
}
