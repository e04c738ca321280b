import { addDays } from '../market/calendar.js';
import type { ExchangeCalendar, TradingSession } from './exchange-calendar.js';
import { easternDate, formatEastern } from './exchange-calendar.js';
import type { Timeframe } from './ports.js';
import { isoMinute, TIMEFRAME_MS } from './timeframe.js';

/** One bar of the exchange's schedule: when it starts and when it is complete (ms UTC). */
export interface BarSlot {
  /** The bar's start as bars are stamped: the instant, or 00:00 UTC of the day for daily bars. */
  start: string;
  /** When the bar is over: its start plus its length, cut at the session's close. */
  end: number;
  /** When the bar opens for trading (the session's open for daily bars). */
  opensAt: number;
  session: TradingSession;
}

/** Days of sessions fetched around a moment. */
const LOOK_BEHIND_DAYS = 10;
const LOOK_AHEAD_DAYS = 21;

/**
 * The bars of a timeframe over the exchange's sessions, regular hours only: intraday bars start at
 * the open and every `timeframe` after it, the last one cut short at the close (an early close
 * ends the day at 13:00); a daily bar is the whole session.
 */
export class BarSchedule {
  private sessions: TradingSession[] = [];
  private loaded: { from: string; to: string } | null = null;

  constructor(
    private readonly calendar: ExchangeCalendar,
    readonly timeframe: Timeframe,
  ) {}

  /** Makes sure the sessions around `ms` are known (fetches at most once per few weeks). */
  async load(ms: number, signal?: AbortSignal): Promise<void> {
    const today = easternDate(ms);
    if (this.loaded && today >= addDays(this.loaded.from, LOOK_BEHIND_DAYS) && addDays(today, LOOK_AHEAD_DAYS - 7) <= this.loaded.to) return;
    const from = addDays(today, -LOOK_BEHIND_DAYS);
    const to = addDays(today, LOOK_AHEAD_DAYS);
    this.sessions = await this.calendar.sessions(from, to, signal);
    this.loaded = { from, to };
  }

  /** Every bar slot of one session, oldest first. */
  slotsOf(session: TradingSession): BarSlot[] {
    if (this.timeframe === '1d') return [{ start: `${session.date}T00:00:00Z`, end: session.close, opensAt: session.open, session }];
    const len = TIMEFRAME_MS[this.timeframe];
    const slots: BarSlot[] = [];
    for (let t = session.open; t < session.close; t += len) slots.push({ start: isoMinute(t), end: Math.min(t + len, session.close), opensAt: t, session });
    return slots;
  }

  /** The first bar complete after `ms` (its end > ms); null when none is known (load further). */
  nextSlot(ms: number): BarSlot | null {
    for (const s of this.sessions) {
      if (s.close <= ms) continue;
      const slot = this.slotsOf(s).find((b) => b.end > ms);
      if (slot) return slot;
    }
    return null;
  }

  /** The slot that follows `slot` (the next bar of the session, or the next session's first). */
  after(slot: BarSlot): BarSlot | null {
    return this.nextSlot(slot.end);
  }

  /** The session whose regular hours contain `ms`, if any. */
  sessionAt(ms: number): TradingSession | undefined {
    return this.sessions.find((s) => s.open <= ms && ms < s.close);
  }

  /** The session of a New York date, if the exchange trades that day. */
  sessionOn(date: string): TradingSession | undefined {
    return this.sessions.find((s) => s.date === date);
  }

  /** The start of the bar that `ms` falls in (intraday, within regular hours); null outside them. */
  anchor(ms: number): number | null {
    const session = this.sessionAt(ms);
    if (!session) return null;
    const len = TIMEFRAME_MS[this.timeframe];
    return session.open + Math.floor((ms - session.open) / len) * len;
  }

  /** The oldest session known to this schedule. */
  firstSession(): TradingSession | undefined {
    return this.sessions[0];
  }
}

/**
 * The model's status line while a live run waits for the bar `next`, decided at `decideAt`:
 * `next decision at 15:31 ET` while the market is open, `market closed until Mon 09:30 ET` when it
 * is not (daily runs add when the decision after that session's close is due).
 */
export function waitingWords(now: number, next: BarSlot, decideAt: number, daily: boolean): string {
  const open = next.session.open <= now && now < next.session.close;
  if (open) return `next decision at ${formatEastern(decideAt, now)}`;
  const closed = `market closed until ${formatEastern(next.session.open, now)}`;
  return daily ? `${closed}; next decision at ${formatEastern(decideAt, now)}` : closed;
}
