import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { StreamTicket } from '@tradewire/contract';
import { api } from '../api/client';
import { browserEnvironment, browserScheduler } from './browser';
import { StreamClient } from './client';

const StreamContext = createContext<StreamClient | null>(null);

export function createBrowserStreamClient() {
  return new StreamClient({
    EventSource: window.EventSource,
    fetchTicket: () => api.post<StreamTicket>('/api/stream/ticket'),
    scheduler: browserScheduler(),
    environment: browserEnvironment,
    // Ten deliveries a second read as live and leave the main thread free during bursts.
    minDeliveryIntervalMs: 100,
  });
}

/** One stream client for the tab. Mount it once per signed-in user; it closes when unmounted. */
export function StreamProvider({ client: given, children }: { client?: StreamClient; children: ReactNode }) {
  const [client] = useState(() => given ?? createBrowserStreamClient());
  useEffect(() => () => client.close(), [client]);
  return <StreamContext.Provider value={client}>{children}</StreamContext.Provider>;
}

export function useStreamClient(): StreamClient {
  const client = useContext(StreamContext);
  if (!client) throw new Error('useStreamClient must be used inside <StreamProvider>');
  return client;
}
