import { useTrades } from '../api/trading';
import { useModelPortfolio } from '../hooks/use-model-portfolio';
import { useTradingStream } from '../stream/hooks';
import { ActivityFeed } from './ActivityFeed';
import { PanelSection } from './PanelSection';
import { PositionsTable } from './PositionsTable';
import { TradesTable } from './TradesTable';
import { Skeleton } from './ui/skeleton';

/** The context panel on a model's pages: its live stream, current positions and latest trades. */
export function ModelActivity({ modelId }: { modelId: number }) {
  const { events } = useTradingStream(modelId);
  const { portfolio } = useModelPortfolio(modelId);
  const trades = useTrades(modelId, { limit: 10 });
  const current = portfolio?.positions;
  return (
    <>
      <PanelSection title="Live stream" testId="model-stream">
        <ActivityFeed events={events} limit={30} emptyText="Waiting for this model's events. Press Start to run it." />
      </PanelSection>
      <PanelSection title="Positions" testId="panel-positions">
        {current ? <PositionsTable positions={current} compact /> : <Skeleton className="h-16" />}
      </PanelSection>
      <PanelSection title="Recent trades" testId="panel-trades">
        {trades.data ? <TradesTable trades={trades.data.items} compact /> : <Skeleton className="h-24" />}
      </PanelSection>
    </>
  );
}
