import type { AgentKind } from '@tradewire/contract';

/** What each agent kind is called and does, for people. */
export const AGENT_KINDS: { kind: AgentKind; label: string; description: string }[] = [
  { kind: 'buy_and_hold', label: 'Buy & hold', description: 'Buys the allowed symbols on day one and holds them.' },
  { kind: 'sma_crossover', label: 'SMA crossover', description: 'Buys when the fast average crosses above the slow one, sells on the way down.' },
  { kind: 'rsi_mean_reversion', label: 'RSI mean reversion', description: 'Buys oversold, sells overbought.' },
  { kind: 'random', label: 'Random', description: 'A seeded coin flip: a baseline to beat.' },
  { kind: 'llm', label: 'LLM agent', description: 'A language model with tools for prices, portfolio and orders.' },
];

export const agentLabel = (kind: AgentKind) => AGENT_KINDS.find((k) => k.kind === kind)?.label ?? kind;
