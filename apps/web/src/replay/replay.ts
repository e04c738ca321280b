import type { TradingEvent } from '@tradewire/contract';
import { byEventId } from '../stream/event-order';
import { EventStore } from '../stream/event-store';
import type { ModelLive } from '../stream/live-state';

/** The part of the stream's scheduler a replay needs: a clock and a cancellable timer. */
export interface ReplayScheduler {
  now(): number;
  /** Returns a function that cancels the call. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export interface ReplayState {
  /** Events applied so far: 0 before the first, `total` at the end. */
  position: number;
  total: number;
  playing: boolean;
  speed: number;
  /** Replay time (ms at 1x from the first event) of the last applied event. */
  time: number;
  duration: number;
}

export interface ReplayOptions {
  scheduler: ReplayScheduler;
  /**
   * Least replay time between two events at 1x: a run at pace 0 records its events within
   * milliseconds, and would otherwise be over before anyone sees it.
   */
  minGapMs?: number;
  /** Most replay time between two events at 1x: a stalled LLM call is not worth waiting through. */
  maxGapMs?: number;
}

export const REPLAY_SPEEDS = [1, 10, 100] as const;

/** When each event plays, in ms at 1x from the first: the recorded gaps, clamped. */
export function replayOffsets(events: readonly TradingEvent[], minGapMs: number, maxGapMs: number): number[] {
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < events.length; i++) {
    if (i > 0) {
      const gap = Date.parse(events[i]!.timestamp) - Date.parse(events[i - 1]!.timestamp);
      t += Math.min(maxGapMs, Math.max(minGapMs, Number.isFinite(gap) ? gap : 0));
    }
    out.push(t);
  }
  return out;
}

/**
 * Plays a finished run's recorded events back into an EventStore of its own, on their recorded
 * relative timing divided by the speed. Reads mirror the stream client's (getEvents, getLive,
 * getRecentEvents, subscribe), so views render a replay as they render the live stream.
 * Knows nothing of React.
 */
export class ReplaySource {
  private readonly events: TradingEvent[];
  private readonly offsets: number[];
  private store: EventStore;
  private state: ReplayState;
  /** While playing: the wall time and replay time playback (re)started from. */
  private anchor: { wall: number; time: number } | null = null;
  private cancelTimer: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    recorded: readonly TradingEvent[],
    private readonly opts: ReplayOptions,
  ) {
    this.events = [...recorded].sort(byEventId);
    this.offsets = replayOffsets(this.events, opts.minGapMs ?? 200, opts.maxGapMs ?? 5_000);
    this.store = this.newStore();
    this.state = { position: 0, total: this.events.length, playing: false, speed: 1, time: 0, duration: this.offsets.at(-1) ?? 0 };
  }

  // Arrow properties: useSyncExternalStore takes them unbound.
  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  readonly getState = (): ReplayState => this.state;
  readonly getEvents = (modelId: number): readonly TradingEvent[] => this.store.getEvents(modelId);
  readonly getRecentEvents = (): readonly TradingEvent[] => this.store.getRecentEvents();
  readonly getLive = (modelId: number): ModelLive | undefined => this.store.getLive(modelId);
  readonly getAllLive = (): ReadonlyMap<number, ModelLive> => this.store.getAllLive();

  play(): void {
    if (this.state.playing) return;
    // Playing from the end starts over, as a media player does.
    if (this.state.position >= this.state.total) this.rebuild(0);
    this.anchor = { wall: this.opts.scheduler.now(), time: this.state.time };
    this.set({ playing: true });
    this.tick();
  }

  pause(): void {
    if (!this.state.playing) return;
    this.stopTimer();
    this.set({ playing: false, time: this.replayTime() });
    this.anchor = null;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || speed === this.state.speed) return;
    if (this.state.playing) this.anchor = { wall: this.opts.scheduler.now(), time: this.replayTime() };
    this.set({ speed });
    if (this.state.playing) this.reschedule();
  }

  /** Rebuilds the state from the first event up to (not including) event `index`. */
  seek(index: number): void {
    const to = Math.max(0, Math.min(this.state.total, Math.trunc(index)));
    this.rebuild(to);
    if (this.state.playing) {
      if (to >= this.state.total) return this.finish();
      this.anchor = { wall: this.opts.scheduler.now(), time: this.state.time };
      this.reschedule();
    }
  }

  /** Seeks to replay time `ms` (at 1x from the first event): every event due by then is applied. */
  seekTime(ms: number): void {
    this.seek(this.indexAt(ms));
  }

  /** Stops playback and its timer; the source can be dropped (or played again). */
  close(): void {
    this.pause();
  }

  private indexAt(time: number): number {
    let lo = 0;
    let hi = this.offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid]! <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private replayTime(): number {
    if (!this.anchor) return this.state.time;
    return this.anchor.time + (this.opts.scheduler.now() - this.anchor.wall) * this.state.speed;
  }

  private newStore(): EventStore {
    // Large enough to keep the whole run: a replay shows everything it has played.
    const cap = Math.max(1, this.events.length);
    return new EventStore(cap, cap);
  }

  private rebuild(to: number): void {
    this.store = this.newStore();
    this.store.apply(this.events.slice(0, to));
    this.set({ position: to, time: to === 0 ? 0 : this.offsets[to - 1]! });
  }

  /** Applies every event due by now, then waits for the next one. */
  private tick = (): void => {
    this.cancelTimer = null;
    const now = this.replayTime();
    const from = this.state.position;
    const to = Math.max(from, this.indexAt(now));
    if (to > from) {
      this.store.apply(this.events.slice(from, to));
      this.set({ position: to, time: this.offsets[to - 1]! });
    }
    if (to >= this.state.total) return this.finish();
    this.reschedule();
  };

  private reschedule(): void {
    this.stopTimer();
    const next = this.offsets[this.state.position];
    if (next === undefined) return;
    const wait = Math.max(0, (next - this.replayTime()) / this.state.speed);
    this.cancelTimer = this.opts.scheduler.setTimeout(this.tick, wait);
  }

  private finish(): void {
    this.stopTimer();
    this.anchor = null;
    this.set({ playing: false });
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private set(patch: Partial<ReplayState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }
}
