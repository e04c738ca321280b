import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AgentKind } from '@tradewire/contract';
import { toast } from 'sonner';
import { createRefreshScheduler } from '../api/refresh-scheduler';
import { useStreamBatches } from '../stream/hooks';
import { staleKeysFor } from './live-refresh';
import { createToastSummariser, type ToastSink } from './toast-summary';

export const sonnerSink: ToastSink = {
  show: (t) => toast[t.kind](t.title, { id: t.id, description: t.description, duration: t.duration }),
  dismiss: (id) => toast.dismiss(id),
};

/**
 * The app's reaction to the stream, mounted once: toasts for what matters, and debounced
 * refetches of the REST data events make stale.
 */
export function useLiveUpdates(
  modelName: (id: number | null) => string,
  sink: ToastSink = sonnerSink,
  agentKind: (id: number | null) => AgentKind | null = () => null,
) {
  const qc = useQueryClient();
  const nameRef = useRef(modelName);
  const kindRef = useRef(agentKind);
  useEffect(() => {
    nameRef.current = modelName;
    kindRef.current = agentKind;
  });

  const [refresh] = useState(() =>
    createRefreshScheduler((key) => void qc.invalidateQueries(key ? { queryKey: key } : undefined), {
      timers: { setTimeout: (fn, ms) => window.setTimeout(fn, ms), clearTimeout: (h) => window.clearTimeout(h as number), now: () => Date.now() },
    }),
  );
  useEffect(() => () => refresh.dispose(), [refresh]);

  const [toasts] = useState(() => createToastSummariser(sink, { now: () => Date.now(), modelName: (id) => nameRef.current(id), agentKind: (id) => kindRef.current(id) }));

  useStreamBatches((batch) => {
    for (const e of batch.events) {
      const stale = staleKeysFor(e);
      if (stale === 'all') refresh.requestAll();
      else for (const key of stale) refresh.request(key);
    }
    toasts.handle(batch.events);
  });
}
