import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { EventHistory, StreamTicket } from '@tradewire/contract';
import { api } from '../api/client';
import { authStore } from '../api/auth-store';
import { browserEnvironment, browserScheduler, browserTabLeader } from './browser';
import { StreamClient } from './client';
import type { TabLeader } from './tab-leader';

const StreamContext = createContext<StreamClient | null>(null);

/** What the views start from: everything but per-day bookkeeping (cards and charts have their own). */
const HISTORY_TYPES = 'trade,decision,status,reasoning,session_complete,complete,error';

function historyQuery(models: number[] | null) {
  const q = new URLSearchParams({ type: HISTORY_TYPES, limit: '100' });
  if (models) q.set('models', models.join(','));
  return q.toString();
}

/** The tab's client; with `tabs`, its stream is shared with the user's other tabs. */
export function createBrowserStreamClient(tabs?: TabLeader) {
  return new StreamClient({
    EventSource: tabs?.EventSource ?? window.EventSource,
    fetchTicket: () => api.post<StreamTicket>('/api/stream/ticket'),
    fetchHistory: (models) => api.get<EventHistory>(`/api/events/history?${historyQuery(models)}`),
    scheduler: browserScheduler(),
    environment: browserEnvironment,
    // Four deliveries a second read as live; each costs a render, style, layout and paint of what
    // changed, so at 200 events/s ten a second kept the main thread ~30 % busier than four.
    minDeliveryIntervalMs: 250,
  });
}

/** One stream client for the tab. Mount it once per signed-in user; it closes when unmounted. */
export function StreamProvider({ client: given, children }: { client?: StreamClient; children: ReactNode }) {
  const [{ client, tabs }] = useState(() => {
    if (given) return { client: given, tabs: undefined };
    const userId = authStore.get()?.user.id;
    const tabs = userId === undefined ? undefined : browserTabLeader(userId);
    return { client: createBrowserStreamClient(tabs), tabs };
  });
  useEffect(
    () => () => {
      client.close();
      // Hands the lead, and with it the connection, to another tab.
      tabs?.close();
    },
    [client, tabs],
  );
  return <StreamContext.Provider value={client}>{children}</StreamContext.Provider>;
}

export function useStreamClient(): StreamClient {
  const client = useContext(StreamContext);
  if (!client) throw new Error('useStreamClient must be used inside <StreamProvider>');
  return client;
}
