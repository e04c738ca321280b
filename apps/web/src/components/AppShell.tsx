import { useState } from 'react';
import { Activity, Menu } from 'lucide-react';
import { Navigate, Outlet, useLocation, useMatch } from 'react-router';
import { useMe } from '../api/auth';
import { useSession } from '../api/auth-store';
import { useLiveUpdates } from '../hooks/use-live-updates';
import { DESKTOP, useMediaQuery, WIDE } from '../hooks/use-media-query';
import { useModelNames } from '../hooks/use-model-names';
import { useNotifier } from '../notify/use-notifier';
import { useWatch } from '../stream/hooks';
import { StreamProvider } from '../stream/StreamProvider';
import { ConnectionIndicator } from './ConnectionIndicator';
import { ContextPanel, type PanelContext } from './ContextPanel';
import { NavigationSidebar } from './NavigationSidebar';
import { Button } from './ui/button';
import { Sheet, SheetContent, SheetTitle } from './ui/sheet';

/** Signed-in pages: one stream per user for the whole tab, sidebar, header and context panel. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return (
    <StreamProvider key={session.user.id}>
      <Shell />
    </StreamProvider>
  );
}

function Shell() {
  useMe();
  // The dashboard shows every model (badges, cards, toasts), so the one connection covers all,
  // including models created later.
  useWatch('all');
  const modelName = useModelNames();
  useLiveUpdates(modelName);
  useNotifier(modelName);

  const desktop = useMediaQuery(DESKTOP);
  const wide = useMediaQuery(WIDE);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [sheetOpen, setSheetOpen] = useState(false);
  const modelMatch = useMatch('/models/:id/*');
  const modelId = Number(modelMatch?.params.id);
  const context: PanelContext = Number.isInteger(modelId) && modelId > 0 ? { kind: 'model', modelId } : { kind: 'dashboard' };

  return (
    <div className="flex h-dvh overflow-hidden bg-background">
      {desktop && (
        <aside className="w-60 shrink-0 border-r border-border">
          <NavigationSidebar />
        </aside>
      )}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center gap-2 border-b border-border px-3 sm:px-4">
          {!desktop && (
            <Sheet open={drawerOpen} onOpenChange={setDrawerOpen}>
              <Button size="icon" variant="ghost" aria-label="Open navigation" data-testid="open-sidebar" onClick={() => setDrawerOpen(true)}>
                <Menu />
              </Button>
              <SheetContent side="left">
                <SheetTitle className="sr-only">Navigation</SheetTitle>
                <NavigationSidebar onNavigate={() => setDrawerOpen(false)} />
              </SheetContent>
            </Sheet>
          )}
          {!desktop && <span className="font-semibold tracking-tight">Tradewire</span>}
          <div className="ml-auto flex items-center gap-2">
            <ConnectionIndicator />
            {!wide && (
              <Sheet open={sheetOpen} onOpenChange={setSheetOpen}>
                <Button
                  size="icon"
                  variant="ghost"
                  aria-label={context.kind === 'model' ? 'Open model activity' : 'Open recent activity'}
                  data-testid="open-context-panel"
                  onClick={() => setSheetOpen(true)}
                >
                  <Activity />
                </Button>
                <SheetContent side="bottom">
                  <SheetTitle className="px-4 pt-4 text-sm font-medium">Activity</SheetTitle>
                  <div className="min-h-0 overflow-y-auto">
                    <ContextPanel context={context} />
                  </div>
                </SheetContent>
              </Sheet>
            )}
          </div>
        </header>
        <div className="flex min-h-0 flex-1">
          <main className="min-w-0 flex-1 overflow-x-hidden overflow-y-auto p-4 md:p-6" data-testid="main">
            <Outlet />
          </main>
          {wide && (
            <aside className="w-80 shrink-0 overflow-y-auto border-l border-border">
              <ContextPanel context={context} />
            </aside>
          )}
        </div>
      </div>
    </div>
  );
}
