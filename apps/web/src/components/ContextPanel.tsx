import { lazy, Suspense, useDeferredValue } from 'react';
import { useModelNames } from '../hooks/use-model-names';
import { useAllEvents } from '../stream/hooks';
import { ActivityFeed } from './ActivityFeed';
import { PanelSection } from './PanelSection';
import { Skeleton } from './ui/skeleton';

/** A model's panel (its positions and trades tables) loads with the first model page, not with the dashboard. */
const ModelActivity = lazy(async () => ({ default: (await import('./ModelActivity')).ModelActivity }));

export type PanelContext = { kind: 'dashboard' } | { kind: 'model'; modelId: number };

/** The right-hand panel: every model's activity on the dashboard, one model's on its page. */
export function ContextPanel({ context }: { context: PanelContext }) {
  return (
    <div className="flex min-h-0 flex-col gap-6 p-4" data-testid="context-panel" data-context={context.kind}>
      {context.kind === 'dashboard' ? (
        <DashboardActivity />
      ) : (
        <Suspense fallback={<Skeleton className="h-40" />}>
          <ModelActivity modelId={context.modelId} />
        </Suspense>
      )}
    </div>
  );
}

function DashboardActivity() {
  // Drawn between frames, apart from the cards that the same delivery moves.
  const events = useDeferredValue(useAllEvents());
  const modelName = useModelNames();
  return (
    <PanelSection title="Recent activity" testId="recent-activity">
      <ActivityFeed events={events} modelName={modelName} />
    </PanelSection>
  );
}
