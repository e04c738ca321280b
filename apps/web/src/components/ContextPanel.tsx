import { type ReactNode, useDeferredValue } from 'react';
import { useTrades } from '../api/trading';
import { useModelPortfolio } from '../hooks/use-model-portfolio';
import { useModelNames } from '../hooks/use-model-names';
import { useAllEvents, useTradingStream } from '../stream/hooks';
import { ActivityFeed } from './ActivityFeed';
import { PositionsTable } from './PositionsTable';
import { TradesTable } from './TradesTable';
import { Skeleton } from './ui/skeleton';

export type PanelContext = { kind: 'dashboard' } | { kind: 'model'; modelId: number };

/** The right-hand panel: every model's activity on the dashboard, one model's on its page. */
export function ContextPanel({ context }: { context: PanelContext }) {
  return (
    <div className="flex min-h-0 flex-col gap-6 p-4" data-testid="context-panel" data-context={context.kind}>
      {context.kind === 'dashboard' ? <DashboardActivity /> : <ModelActivity modelId={context.modelId} />}
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="min-w-0" data-testid={testId}>
      <h2 className="mb-2 text-xs font-medium tracking-wide text-subtle uppercase">{title}</h2>
      {children}
    </section>
  );
}

function DashboardActivity() {
  // Drawn between frames, apart from the cards that the same delivery moves.
  const events = useDeferredValue(useAllEvents());
  const modelName = useModelNames();
  return (
    <Section title="Recent activity" testId="recent-activity">
      <ActivityFeed events={events} modelName={modelName} />
    </Section>
  );
}

function ModelActivity({ modelId }: { modelId: number }) {
  const { events } = useTradingStream(modelId);
  const { portfolio } = useModelPortfolio(modelId);
  const trades = useTrades(modelId, { limit: 10 });
  const current = portfolio?.positions;
  return (
    <>
      <Section title="Live stream" testId="model-stream">
        <ActivityFeed events={events} limit={30} emptyText="Waiting for this model's events. Press Start to run it." />
      </Section>
      <Section title="Positions" testId="panel-positions">
        {current ? <PositionsTable positions={current} compact /> : <Skeleton className="h-16" />}
      </Section>
      <Section title="Recent trades" testId="panel-trades">
        {trades.data ? <TradesTable trades={trades.data.items} compact /> : <Skeleton className="h-24" />}
      </Section>
    </>
  );
}
