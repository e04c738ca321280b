import type { ReactNode } from 'react';
import { Copy } from 'lucide-react';
import { toast } from 'sonner';
import type { AssistantMessage } from '@tradewire/contract';
import { fmt } from '../../lib/format';
import { Button } from '../ui/button';
import { AssistantMarkdown } from './AssistantMarkdown';

/** How a conversation's messages read: questions as bubbles, answers as Markdown with their cost. */

/** The tools the assistant reads data with, as the user is told while it works. */
export const TOOL_WORDS: Record<string, string> = {
  list_runs: 'listing runs',
  get_metrics: 'reading metrics',
  get_equity_curve: 'reading the equity curve',
  list_trades: 'reading trades',
  get_round_trips: 'reading closed trades',
  get_decision_log: 'reading the decision log',
  get_positions_on: 'reading positions',
  get_bars: 'reading prices',
  compare_runs: 'comparing runs',
};

/** Questions a trader asks first, for a run or for a model across its runs. */
export function suggestedQuestions(runNumber: number | null): string[] {
  if (runNumber === null) return ['Which run did best, and why?', 'Compare my last two runs', 'What do the losing runs have in common?'];
  return [
    'Which three trades hurt most and why?',
    'Which trades made most of the return?',
    'Why did it lose in its worst month?',
    ...(runNumber > 1 ? [`Compare with run #${runNumber - 1}`] : []),
  ];
}

/** The server's messages with those seen on the stream, once each, in the order they were stored. */
export function mergeMessages(server: AssistantMessage[], seen: AssistantMessage[]): AssistantMessage[] {
  const byId = new Map(server.map((m) => [m.id, m]));
  for (const m of seen) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export function Bubble({ role, children }: { role: 'user' | 'assistant'; children: ReactNode }) {
  return role === 'user' ? (
    <p className="max-w-[85%] justify-self-end rounded-lg bg-muted px-3 py-2 text-sm whitespace-pre-wrap" data-testid="assistant-question">
      {children}
    </p>
  ) : (
    <div>{children}</div>
  );
}

export function MessageView({ message: m }: { message: AssistantMessage }) {
  if (m.role === 'user') return <Bubble role="user">{m.content}</Bubble>;
  const copy = () =>
    navigator.clipboard?.writeText(m.content).then(
      () => toast.success('Answer copied'),
      () => toast.error('Could not copy'),
    );
  return (
    <div className="grid gap-1" data-testid="assistant-answer" data-status={m.status}>
      {m.content && <AssistantMarkdown content={m.content} citations={m.citations} />}
      {m.status === 'failed' && (
        <p role="alert" className="text-sm text-loss" data-testid="assistant-error">
          The assistant's endpoint failed: {m.error}
        </p>
      )}
      {m.status === 'stopped' && <p className="text-xs text-subtle">Stopped.</p>}
      <div className="flex flex-wrap items-center gap-2 text-xs text-subtle">
        {(m.prompt_tokens > 0 || m.completion_tokens > 0) && <span>{fmt.count(m.prompt_tokens + m.completion_tokens)} tokens</span>}
        {m.latency_ms !== null && <span>{(m.latency_ms / 1000).toFixed(1)} s</span>}
        {m.tools_used.length > 0 && <span>{m.tools_used.length} data lookups</span>}
        {m.content && (
          <Button variant="ghost" size="sm" onClick={() => void copy()} aria-label="Copy the answer" data-testid="assistant-copy">
            <Copy />
          </Button>
        )}
      </div>
    </div>
  );
}
