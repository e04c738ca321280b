import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { TradingEvent } from '@tradewire/contract';
import type { StreamBatch, StreamState, WatchTarget } from './client';
import type { ModelLive } from './live-state';
import { useStreamClient } from './StreamProvider';

const NO_EVENTS: readonly TradingEvent[] = [];

/** Keeps `target` in the tab's one connection while the calling component is mounted. */
export function useWatch(target: WatchTarget | null) {
  const client = useStreamClient();
  useEffect(() => (target === null ? undefined : client.watch(target)), [client, target]);
}

export function useStreamStatus(): StreamState {
  const client = useStreamClient();
  return useSyncExternalStore(client.subscribeState, client.getState);
}

/**
 * The connection's status and failed attempts only: unlike `useStreamStatus`, the caller does not
 * re-render when a delivery moves the resume point (every delivery does).
 */
export function useConnection(): Pick<StreamState, 'status' | 'attempt'> {
  const client = useStreamClient();
  const status = useSyncExternalStore(client.subscribeState, () => client.getState().status);
  const attempt = useSyncExternalStore(client.subscribeState, () => client.getState().attempt);
  return { status, attempt };
}

export interface TradingStream {
  /** The model's last 100 events, ascending by id. */
  events: readonly TradingEvent[];
  connected: boolean;
  error: string | null;
}

/** The seed's hook, served by the tab's shared connection instead of an EventSource of its own. */
export function useTradingStream(modelId: number | null, enabled = true): TradingStream {
  const client = useStreamClient();
  const active = enabled && modelId !== null;
  useWatch(active ? modelId : null);
  const events = useSyncExternalStore(client.subscribe, () => (active ? client.getEvents(modelId) : NO_EVENTS));
  const { status, attempt } = useConnection();
  const error =
    !active || status === 'live' || status === 'connecting'
      ? null
      : status === 'offline'
        ? 'Offline'
        : `Connection lost, reconnecting (attempt ${attempt})`;
  return { events, connected: active && status === 'live', error };
}

/** The latest events of every model of the user, ascending by id (the activity feed). */
export function useAllEvents(): readonly TradingEvent[] {
  const client = useStreamClient();
  useWatch('all');
  return useSyncExternalStore(client.subscribe, client.getRecentEvents);
}

/** Status, run, portfolio and progress of one model as the stream last described it. */
export function useModelLive(modelId: number | null): ModelLive | undefined {
  const client = useStreamClient();
  useWatch(modelId);
  return useSyncExternalStore(client.subscribe, () => (modelId === null ? undefined : client.getLive(modelId)));
}

/**
 * The model's live state for what says whether it runs and how its run went: the caller
 * re-renders when the status, the run or its outcome changes, not with every progress or
 * portfolio event (the object returned may be behind on those).
 */
export function useModelLiveStatus(modelId: number): ModelLive | undefined {
  const client = useStreamClient();
  useWatch(modelId);
  const cache = useRef<{ key: string; live: ModelLive | undefined } | null>(null);
  return useSyncExternalStore(client.subscribe, () => {
    const live = client.getLive(modelId);
    const key = live ? `${live.status}|${live.runId}|${live.run?.id}|${live.run?.status}|${live.run?.error ?? ''}|${live.lastError ?? ''}` : '';
    if (cache.current?.key !== key) cache.current = { key, live };
    return cache.current.live;
  });
}

export function useAllModelsLive(): ReadonlyMap<number, ModelLive> {
  const client = useStreamClient();
  return useSyncExternalStore(client.subscribe, client.getAllLive);
}

/** Calls `onBatch` with every delivery (at most once per frame); the latest callback is used. */
export function useStreamBatches(onBatch: (batch: StreamBatch) => void) {
  const client = useStreamClient();
  const ref = useRef(onBatch);
  useEffect(() => {
    ref.current = onBatch;
  });
  useEffect(() => client.subscribe((b) => ref.current(b)), [client]);
}
