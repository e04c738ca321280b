import type { AgentKind } from '@tradewire/contract';

/** What each agent kind is called and does, for people; `actor` starts a sentence ("SMA crossover buys…"). */
export const AGENT_KINDS: { kind: AgentKind; label: string; actor: string; description: string }[] = [
  { kind: 'buy_and_hold', label: 'Buy & hold', actor: 'Buy & hold', description: 'Buys the allowed symbols on day one and holds them.' },
  {
    kind: 'sma_crossover',
    label: 'SMA crossover',
    actor: 'SMA crossover',
    description: 'Buys when the fast average crosses above the slow one, sells on the way down.',
  },
  { kind: 'rsi_mean_reversion', label: 'RSI mean reversion', actor: 'RSI mean reversion', description: 'Buys oversold, sells overbought.' },
  { kind: 'random', label: 'Random', actor: 'Random agent', description: 'A seeded coin flip: a baseline to beat.' },
  { kind: 'llm', label: 'LLM agent', actor: 'LLM agent', description: 'A language model with tools for prices, portfolio and orders.' },
  {
    kind: 'rules',
    label: 'Rule-based strategy',
    actor: 'Rule-based strategy',
    description: 'Your own entry and exit rules over indicators, with stops: made in the strategy builder.',
  },
];

/** The kind's name for people; an id the dashboard does not know yet is shown as it is. */
export const agentLabel = (kind: AgentKind | string) => AGENT_KINDS.find((k) => k.kind === kind)?.label ?? kind;

/** Who acts in an event's sentence: the agent kind, or "The model" when it is not known. */
export const agentActor = (kind: AgentKind | string | null | undefined) => AGENT_KINDS.find((k) => k.kind === kind)?.actor ?? 'The model';
