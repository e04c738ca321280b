import { useState } from 'react';
import { Activity, Menu } from 'lucide-react';
import { Navigate, Outlet, useLocation, useMatch } from 'react-router';
import { useMe } from '../api/auth';
import { useSession } from '../api/auth-store';
import { useLiveUpdates } from '../hooks/use-live-updates';
import { DESKTOP, useMediaQuery, WIDE } from '../hooks/use-media-query';
import { useAgentKinds } from '../hooks/use-agent-kinds';
import { useModelNames } from '../hooks/use-model-names';
import { useNotifier } from '../notify/use-notifier';
import { useWatch } from '../stream/hooks';
import { StreamProvider } from '../stream/StreamProvider';
import { ConnectionIndicator } from './ConnectionIndicator';
import { ContextPanel, type PanelContext } from './ContextPanel';
import { NavigationSidebar } from './NavigationSidebar';
import { Button } from './ui/button';
import { LazySheet } from './ui/lazy-sheet';
import { BottomNav } from './BottomNav';
import { cn } from '../lib/utils';

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
  const agentKind = useAgentKinds();
  useLiveUpdates(modelName, undefined, agentKind);
  useNotifier(modelName, undefined, agentKind);

  const desktop = useMediaQuery(DESKTOP);
  const wide = useMediaQuery(WIDE);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [sheetOpen, setSheetOpen] = useState(false);
  const modelMatch = useMatch('/models/:id/*');
  const modelId = Number(modelMatch?.params.id);
  const context: PanelContext = Number.isInteger(modelId) && modelId > 0 ? { kind: 'model', modelId } : { kind: 'dashboard' };

  return (
    // The window scrolls (not a box inside it), so the browser and the router can reset and restore it.
    <div className="min-h-dvh bg-background">
      <a
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
        className="sr-only z-50 rounded-md bg-foreground text-sm font-medium text-background focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:inline-flex focus:min-h-11 focus:items-center focus:px-4"
        data-testid="skip-link"
      >
        Skip to content
      </a>
      {desktop && (
        <aside aria-label="Sidebar" className="fixed inset-y-0 left-0 z-30 w-60 border-r border-border bg-background">
          <NavigationSidebar />
        </aside>
      )}
      <div className={cn('flex min-w-0 flex-col', desktop && 'pl-60')}>
        <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b border-border bg-background px-3 sm:px-4">
          {!desktop && (
            <>
              <Button size="icon" variant="ghost" aria-label="Open navigation" data-testid="open-sidebar" onClick={() => setDrawerOpen(true)}>
                <Menu />
              </Button>
              <LazySheet open={drawerOpen} onOpenChange={setDrawerOpen} side="left" title="Navigation" titleClassName="sr-only">
                <NavigationSidebar onNavigate={() => setDrawerOpen(false)} />
              </LazySheet>
            </>
          )}
          {!desktop && <span className="font-semibold tracking-tight">Tradewire</span>}
          <div className="ml-auto flex items-center gap-2">
            <ConnectionIndicator />
            {!wide && (
              <>
                <Button
                  size="icon"
                  variant="ghost"
                  aria-label={context.kind === 'model' ? 'Open model activity' : 'Open recent activity'}
                  data-testid="open-context-panel"
                  onClick={() => setSheetOpen(true)}
                >
                  <Activity />
                </Button>
                <LazySheet open={sheetOpen} onOpenChange={setSheetOpen} side="bottom" title="Activity" titleClassName="px-4 pt-4 text-sm font-medium">
                  <div className="min-h-0 overflow-y-auto">
                    <ContextPanel context={context} />
                  </div>
                </LazySheet>
              </>
            )}
          </div>
        </header>
        <div className="flex min-w-0 flex-1">
          <main
            id="main"
            tabIndex={-1}
            className={cn('min-w-0 flex-1 overflow-x-clip p-4 outline-none md:p-6', !desktop && 'pb-24')}
            data-testid="main"
          >
            <Outlet />
          </main>
          {wide && (
            <aside aria-label="Activity" className="sticky top-14 h-[calc(100dvh-3.5rem)] w-80 shrink-0 overflow-y-auto border-l border-border">
              <ContextPanel context={context} />
            </aside>
          )}
        </div>
      </div>
      {!desktop && <BottomNav />}
    </div>
  );
}
