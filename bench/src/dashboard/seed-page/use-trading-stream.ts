/// <reference lib="dom" />
/* eslint-disable @typescript-eslint/no-explicit-any -- ported as written */
import { useEffect, useState } from 'react';

/**
 * The seed's `useTradingStream` (phase-4-real-time-updates-plan.md, Step 1) as written: one
 * EventSource per model, every message appended to state, nothing ever dropped. Two changes
 * only: the URL is same-origin (the seed hard-codes http://localhost:8080) and `getToken` reads
 * the session the benchmark stores where Tradewire's dashboard keeps it.
 */
const getToken = (): string | null => JSON.parse(localStorage.getItem('tradewire.session') ?? 'null')?.accessToken ?? null;

interface TradingEvent {
  type: string;
  timestamp: string;
  data: any;
}

export function useTradingStream(modelId: number | null, enabled: boolean = true) {
  const [events, setEvents] = useState<TradingEvent[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!modelId || !enabled) return;

    const token = getToken();
    if (!token) {
      setError('Not authenticated');
      return;
    }

    // Create EventSource with token in URL
    const eventSource = new EventSource(`/api/trading/stream/${modelId}?token=${token}`);

    eventSource.onopen = () => {
      console.log('SSE Connected');
      setConnected(true);
      setError(null);
    };

    eventSource.onmessage = (event) => {
      try {
        const data = JSON.parse(event.data);
        setEvents((prev) => [...prev, data]);
      } catch (e) {
        console.error('Failed to parse SSE event:', e);
      }
    };

    eventSource.onerror = (error) => {
      console.error('SSE Error:', error);
      setConnected(false);
      setError('Connection lost');
      eventSource.close();
    };

    // Cleanup on unmount
    return () => {
      eventSource.close();
    };
  }, [modelId, enabled]);

  return { events, connected, error };
}
