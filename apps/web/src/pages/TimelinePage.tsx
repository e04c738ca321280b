import { EventTimelineChart } from '../components/EventTimeline';
import { PageHeader } from '../components/states';
import { Card } from '../components/ui/card';
import { useModelNames } from '../hooks/use-model-names';
import { useAllEvents } from '../stream/hooks';

/** The latest events of every model on one time axis, a lane each, as the stream delivers them. */
export function TimelinePage() {
  const events = useAllEvents();
  const modelName = useModelNames();
  return (
    <div className="mx-auto grid grid-cols-1 max-w-6xl gap-6" data-testid="timeline-page">
      <PageHeader title="Timeline" subtitle="Recent events of all your models, live. Zoom with the buttons or the mouse wheel; click a dot for its detail." />
      <Card className="p-4">
        <EventTimelineChart events={events} modelName={modelName} />
      </Card>
    </div>
  );
}
