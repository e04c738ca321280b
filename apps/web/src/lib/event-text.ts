import type { AgentKind, TradingEvent } from '@tradewire/contract';
import { agentActor } from './agents';
import { fmt } from './format';

const VERB = { buy: 'buys', sell: 'sells', hold: 'holds' } as const;
const INFINITIVE = { buy: 'buy', sell: 'sell', hold: 'hold' } as const;
const OUTCOME = { completed: 'completed', stopped: 'stopped', failed: 'failed', interrupted: 'was interrupted', running: 'is running' } as const;

/** The part of a server message after its first ": " (a hold's reasoning), if any. */
const afterColon = (message: string) => {
  const i = message.indexOf(': ');
  return i >= 0 ? message.slice(i + 2).trim() : '';
};

/**
 * The one line a person reads for an event, built from its data fields in the dashboard's
 * formats, with the agent kind as the actor: "SMA crossover buys 10 ZNTH at $123.45", never
 * "AI executing…" for a rule. Types whose data is only a message keep the server's words.
 */
export function describeEvent(e: TradingEvent, kind: AgentKind | null | undefined): string {
  const actor = agentActor(kind);
  switch (e.type) {
    case 'trade': {
      const d = e.data;
      if (d.action === 'hold') {
        const why = afterColon(d.message);
        return why ? `${actor} holds: ${why}` : `${actor} holds`;
      }
      const what = `${fmt.quantity(d.quantity)} ${d.symbol ?? ''}`.trim();
      if (d.status === 'rejected') return `${actor} wanted to ${INFINITIVE[d.action]} ${what}: rejected, ${d.reason ?? 'no reason given'}`;
      return `${actor} ${VERB[d.action]} ${what} at ${fmt.money(d.price)} (${fmt.money(d.amount)})`;
    }
    case 'decision': {
      const held = e.data.held.length;
      const what = held === 0 ? 'stays in cash' : `holds ${fmt.count(held)} ${held === 1 ? 'position' : 'positions'}`;
      const lines = e.data.reasoning.split('\n').filter((l) => l.trim() !== '');
      // One line per model-day: a reason per symbol is folded into a count (the row opens to them).
      if (lines.length > 1) return `${actor} ${what} · ${fmt.count(lines.length)} symbols weighed, no order`;
      return lines[0] ? `${actor} ${what}: ${lines[0].trim()}` : `${actor} ${what}`;
    }
    case 'progress':
      if (e.data.mode === 'live') return `Bar ${fmt.count(e.data.step)} · ${fmt.dateTime(e.data.date)} · equity ${fmt.money(e.data.equity)} (${fmt.pct(e.data.return_pct)})`;
      return `Day ${fmt.count(e.data.step)} of ${fmt.count(e.data.total_steps)} · ${fmt.date(e.data.date)} · equity ${fmt.money(e.data.equity)} (${fmt.pct(e.data.return_pct)})`;
    case 'portfolio':
      return `Equity ${fmt.money(e.data.equity)} (${fmt.pct(e.data.return_pct)}), cash ${fmt.money(e.data.cash)}`;
    case 'complete': {
      if (e.data.status === 'failed') return `Run failed: ${afterColon(e.data.message) || 'no reason given'}`;
      const result = e.data.metrics ? ` · ${fmt.pct(e.data.metrics.total_return_pct)}` : '';
      return `Run ${OUTCOME[e.data.status]}${result}`;
    }
    case 'reasoning':
      return e.data.text || e.data.message;
    default:
      return e.data.message;
  }
}
