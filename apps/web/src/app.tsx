import { useEffect, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Toaster } from 'sonner';
import { authStore } from './api/auth-store';
import { createQueryClient } from './api/query-client';
import { PHONE, useMediaQuery } from './hooks/use-media-query';
import { routes } from './routes';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  const phone = useMediaQuery(PHONE);
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
      <RouterProvider router={router} />
      {/* On phones: at the top (under the header), clear of the bottom navigation, and swiped away instead of a tiny close button. */}
      <Toaster
        theme="dark"
        position={phone ? 'top-center' : 'bottom-right'}
        swipeDirections={phone ? ['top', 'left', 'right'] : undefined}
        // Below the 56 px header, so a toast never covers the menu or activity buttons.
        mobileOffset={{ top: 64 }}
        visibleToasts={3}
        // Given, so the toaster does not read the document's computed style on every render.
        dir="ltr"
        richColors
        closeButton={!phone}
      />
    </QueryClientProvider>
  );
}
