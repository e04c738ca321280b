import { lazy, Suspense, type ComponentProps } from 'react';
import { Skeleton } from '../ui/skeleton';

/** The panel and its Markdown renderer load when the Ask tab first opens, not with the page. */
const Panel = lazy(async () => ({ default: (await import('./AssistantPanel')).AssistantPanel }));

export function LazyAssistantPanel(props: ComponentProps<typeof Panel>) {
  return (
    <Suspense fallback={<Skeleton className="h-40" />}>
      <Panel {...props} />
    </Suspense>
  );
}
