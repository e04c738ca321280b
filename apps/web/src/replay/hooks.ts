import { useSyncExternalStore } from 'react';
import type { TradingEvent } from '@tradewire/contract';
import type { ModelLive } from '../stream/live-state';
import type { ReplaySource, ReplayState } from './replay';

/** The thin React side of a ReplaySource, the same reads the stream hooks offer for the live stream. */
export function useReplayState(source: ReplaySource): ReplayState {
  return useSyncExternalStore(source.subscribe, source.getState);
}

/** The model's replayed events so far, ascending by id. */
export function useReplayEvents(source: ReplaySource, modelId: number): readonly TradingEvent[] {
  return useSyncExternalStore(source.subscribe, () => source.getEvents(modelId));
}

/** Status, portfolio and progress of the model as of the replay's position. */
export function useReplayLive(source: ReplaySource, modelId: number): ModelLive | undefined {
  return useSyncExternalStore(source.subscribe, () => source.getLive(modelId));
}
