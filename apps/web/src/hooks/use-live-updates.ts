import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AgentKind } from '@tradewire/contract';
import { toast } from 'sonner';
import { createRefreshScheduler } from '../api/refresh-scheduler';
import { useStreamBatches, useConnection } from '../stream/hooks';
import { useSettings } from '../notify/settings-api';
import { staleKeysFor } from './live-refresh';
import { createToastSummariser, throttleToastUpdates, type ToastSink } from './toast-summary';

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

  // In-app toasts per event type as the user chose them in Settings (all on until then).
  const { data: settings } = useSettings();
  const toastsOn = useRef(settings?.notifications.toast);
  useEffect(() => {
    toastsOn.current = settings?.notifications.toast;
  });
  // A toast's count changes in place at most once a second, however fast fills come.
  const [throttled] = useState(() =>
    throttleToastUpdates(sink, {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        const id = window.setTimeout(fn, ms);
        return () => window.clearTimeout(id);
      },
    }),
  );
  useEffect(() => () => throttled.dispose(), [throttled]);
  const [toasts] = useState(() =>
    createToastSummariser(throttled, {
      now: () => Date.now(),
      modelName: (id) => nameRef.current(id),
      agentKind: (id) => kindRef.current(id),
      enabled: (type) => toastsOn.current?.[type] ?? true,
    }),
  );

  // Back from an outage: every query may be behind, so all of them refetch at once, and "Live"
  // on the indicator means the figures are current too.
  const { status } = useConnection();
  const wasDown = useRef(false);
  useEffect(() => {
    if (status === 'reconnecting' || status === 'offline') {
      if (status === 'reconnecting') wasDown.current = true;
      return;
    }
    if (status === 'live' && wasDown.current) {
      wasDown.current = false;
      void qc.refetchQueries({ type: 'active' });
    }
  }, [status, qc]);

  useStreamBatches((batch) => {
    for (const e of batch.events) {
      const stale = staleKeysFor(e);
      if (stale === 'all') refresh.requestAll();
      else for (const key of stale) refresh.request(key);
    }
    toasts.handle(batch.events);
  });
}
