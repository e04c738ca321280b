import { useState, type ComponentType } from 'react';
import { Outlet, ScrollRestoration, type RouteObject } from 'react-router';
import { AppShell } from './components/AppShell';
import { PageLoadError } from './components/PageLoadError';

/**
 * A page whose code loads on first visit. If its chunk fails to arrive (offline, a deploy that
 * removed it), the route shows a Retry that fetches it again in place; the router itself would
 * keep the failed load for good.
 */
function page(load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy'> {
  let loaded: ComponentType | null = null;
  const fetchPage = async () => (loaded = await load());
  function RetryablePage() {
    const [Page, setPage] = useState<ComponentType | null>(() => loaded);
    const [retrying, setRetrying] = useState(false);
    if (Page) return <Page />;
    const retry = () => {
      setRetrying(true);
      fetchPage().then(
        (p) => setPage(() => p),
        // Still not there: the message stays, and so does the button.
        () => setRetrying(false),
      );
    };
    return <PageLoadError onRetry={retry} retrying={retrying} />;
  }
  return {
    lazy: async () => {
      try {
        return { Component: await fetchPage() };
      } catch {
        return { Component: RetryablePage };
      }
    },
  };
}

/** Any other error while rendering a page: the same message in the shell; Retry reloads. */
function RouteError() {
  return <PageLoadError onRetry={() => window.location.reload()} />;
}

/** Scroll goes to the top on a new page and back to where it was on Back/Forward. */
function Root() {
  return (
    <>
      <ScrollRestoration />
      <Outlet />
    </>
  );
}

/** Pages load on first visit, so the dashboard does not wait for charts and forms. */
export const routes: RouteObject[] = [
  {
    element: <Root />,
    // Shown while the first page's code loads: the app's background, no flash of white.
    HydrateFallback: () => <div className="min-h-dvh bg-background" />,
    children: [
      { path: '/login', ...page(async () => (await import('./pages/AuthPages')).LoginPage) },
      { path: '/signup', ...page(async () => (await import('./pages/AuthPages')).SignupPage) },
      {
        element: <AppShell />,
        children: [
          {
            ErrorBoundary: RouteError,
            children: [
              { index: true, ...page(async () => (await import('./pages/DashboardPage')).DashboardPage) },
              { path: 'models/new', ...page(async () => (await import('./pages/ModelFormPage')).NewModelPage) },
              { path: 'models/:id', ...page(async () => (await import('./pages/ModelPage')).ModelPage) },
              { path: 'models/:id/rules', ...page(async () => (await import('./pages/StrategyBuilderPage')).StrategyBuilderPage) },
              { path: 'models/:id/edit', ...page(async () => (await import('./pages/ModelFormPage')).EditModelPage) },
              { path: 'models/:id/runs/:runNumber', ...page(async () => (await import('./pages/RunPage')).RunPage) },
              { path: 'models/:id/runs/:runNumber/replay', ...page(async () => (await import('./pages/ReplayPage')).ReplayPage) },
              { path: 'compare', ...page(async () => (await import('./pages/ComparePage')).ComparePage) },
              { path: 'timeline', ...page(async () => (await import('./pages/TimelinePage')).TimelinePage) },
              // One route for the new arena and a stored one: starting moves to the arena's URL without remounting.
              { path: 'arena/:arenaId?', ...page(async () => (await import('./pages/ArenaPage')).ArenaPage) },
              { path: 'search', ...page(async () => (await import('./pages/SearchPage')).SearchPage) },
              { path: 'settings', ...page(async () => (await import('./pages/SettingsPage')).SettingsPage) },
              { path: 'admin', ...page(async () => (await import('./pages/AdminPage')).AdminPage) },
              { path: 'admin/market', ...page(async () => (await import('./pages/MarketDataPage')).MarketDataPage) },
              { path: '*', ...page(async () => (await import('./pages/NotFoundPage')).NotFoundPage) },
            ],
          },
        ],
      },
    ],
  },
];
