import { RotateCw } from 'lucide-react';
import { MessagePage } from './states';
import { Button } from './ui/button';

/** "Couldn't load this page — Retry", inside the app's shell: never the router's developer page. */
export function PageLoadError({ onRetry, retrying = false }: { onRetry: () => void; retrying?: boolean }) {
  return (
    <MessagePage title="Couldn’t load this page" testId="page-load-error">
      <p className="text-muted-foreground">Part of the dashboard did not arrive. Check your connection and try again.</p>
      <Button variant="outline" onClick={onRetry} disabled={retrying} data-testid="page-retry">
        <RotateCw />
        {retrying ? 'Retrying…' : 'Retry'}
      </Button>
    </MessagePage>
  );
}
