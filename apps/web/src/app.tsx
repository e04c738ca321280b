import { useEffect, useState, type ComponentType } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { Toaster } from 'sonner';
import { authStore } from './api/auth-store';
import { createQueryClient } from './api/query-client';
import { AppShell } from './components/AppShell';
import { TooltipProvider } from './components/ui/tooltip';

const load = (page: () => Promise<{ Component: ComponentType }>) => ({ lazy: page });

/** Pages load on first visit, so the dashboard does not wait for charts and forms. */
export const routes: RouteObject[] = [
  {
    // Shown while the first page's code loads: the app's background, no flash of white.
    HydrateFallback: () => <div className="min-h-dvh bg-background" />,
    children: [
      { path: '/login', ...load(async () => ({ Component: (await import('./pages/AuthPages')).LoginPage })) },
      { path: '/signup', ...load(async () => ({ Component: (await import('./pages/AuthPages')).SignupPage })) },
      {
        element: <AppShell />,
        children: [
          { index: true, ...load(async () => ({ Component: (await import('./pages/DashboardPage')).DashboardPage })) },
          { path: 'models/new', ...load(async () => ({ Component: (await import('./pages/ModelFormPage')).NewModelPage })) },
          { path: 'models/:id', ...load(async () => ({ Component: (await import('./pages/ModelPage')).ModelPage })) },
          { path: 'models/:id/edit', ...load(async () => ({ Component: (await import('./pages/ModelFormPage')).EditModelPage })) },
          { path: 'models/:id/runs/:runId', ...load(async () => ({ Component: (await import('./pages/RunPage')).RunPage })) },
          { path: 'models/:id/runs/:runId/replay', ...load(async () => ({ Component: (await import('./pages/ReplayPage')).ReplayPage })) },
          { path: 'timeline', ...load(async () => ({ Component: (await import('./pages/TimelinePage')).TimelinePage })) },
          { path: 'arena', ...load(async () => ({ Component: (await import('./pages/ArenaPage')).ArenaPage })) },
          { path: 'search', ...load(async () => ({ Component: (await import('./pages/SearchPage')).SearchPage })) },
          { path: 'settings', ...load(async () => ({ Component: (await import('./pages/SettingsPage')).SettingsPage })) },
          { path: 'admin', ...load(async () => ({ Component: (await import('./pages/AdminPage')).AdminPage })) },
          { path: '*', ...load(async () => ({ Component: (await import('./pages/NotFoundPage')).NotFoundPage })) },
        ],
      },
    ],
  },
];

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  // Whoever signs in next must never see the last user's cached data.
  useEffect(() => {
    let userId = authStore.get()?.user.id;
    return authStore.subscribe(() => {
      const next = authStore.get()?.user.id;
      if (next !== userId) queryClient.clear();
      userId = next;
    });
  }, [queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider delayDuration={300}>
        <RouterProvider router={router} />
        <Toaster theme="dark" position="bottom-right" visibleToasts={3} richColors closeButton />
      </TooltipProvider>
    </QueryClientProvider>
  );
}
