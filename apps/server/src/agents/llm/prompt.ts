import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Observation } from '../agent.js';
import type { TradingRules } from '../../domain/trading-rules.js';

const money = (x: number) => x.toFixed(2);

/** The rules of the desk, stated once per day so every conversation stands on its own. */
function systemPrompt(obs: Observation, trading: TradingRules, maxToolCalls: number, instructions: string): string {
  const { risk } = trading;
  const rules = [
    'whole shares only; cash can never go negative; you can only sell shares you hold (no shorting)',
    `at most ${risk.max_orders_per_step} orders per day`,
    `a position may be at most ${risk.max_position_pct}% of equity (larger buys are reduced)`,
    risk.min_cash_pct > 0 ? `keep at least ${risk.min_cash_pct}% of equity in cash` : null,
    risk.stop_loss_pct !== null ? `a holding ${risk.stop_loss_pct}% below its cost is sold automatically at the open` : null,
    risk.max_drawdown_pct !== null ? `no buys while equity is more than ${risk.max_drawdown_pct}% below its peak` : null,
    `commission ${trading.commissionBps} bps and slippage ${trading.slippageBps} bps per order`,
  ].filter((r): r is string => r !== null);
  return [
    'You are a trading agent in Tradewire, a paper-trading simulator. Each trading day you place market orders; they fill at that day\'s open price.',
    `Today is ${obs.date} (step ${obs.step}). Tradable symbols: ${obs.symbols.join(', ')}.`,
    "You know complete daily bars up to yesterday and today's open price; nothing later.",
    `Rules: ${rules.join('; ')}.`,
    `Tools: get_prices and get_portfolio to look, buy and sell to trade (each answers at once with the fill or the reason it was rejected), finish_step with a short summary when you are done. At most ${maxToolCalls} tool calls today.`,
    'Before each action say briefly what you see and why you act: the user watches your text live.',
    instructions.trim() ? `Instructions from the user:\n${instructions.trim()}` : null,
  ]
    .filter((line) => line !== null)
    .join('\n');
}

/** Where the day starts: the portfolio and today's opens, so a simple model can act without tools. */
function dayBrief(obs: Observation): string {
  const positions = [...obs.positions].map(([symbol, quantity]) => `${symbol} ${quantity} shares`);
  const opens = obs.symbols.map((s) => (obs.open.has(s) ? `${s} ${money(obs.open.get(s)!)}` : `${s} not trading today`));
  return [
    `Portfolio on ${obs.date}: cash ${money(obs.cash)}, equity ${money(obs.equity)}.`,
    `Positions: ${positions.length > 0 ? positions.join(', ') : 'none'}.`,
    `Today's opens: ${opens.join(', ')}.`,
    "Decide today's orders.",
  ].join('\n');
}

export function openingMessages(obs: Observation, rules: TradingRules, maxToolCalls: number, instructions: string): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: systemPrompt(obs, rules, maxToolCalls, instructions) },
    { role: 'user', content: dayBrief(obs) },
  ];
}
