import type { MarketClock } from '@tradewire/contract';
import { addDays } from '../market/calendar.js';
import { easternDate, type ExchangeCalendar, formatEastern } from './exchange-calendar.js';

/** Whether the exchange trades now, and when it next opens or closes. */
export async function marketClock(calendar: ExchangeCalendar, now: number): Promise<MarketClock> {
  const today = easternDate(now);
  const sessions = await calendar.sessions(addDays(today, -1), addDays(today, 14));
  const current = sessions.find((s) => s.open <= now && now < s.close);
  const next = sessions.find((s) => s.open > now);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    now: new Date(now).toISOString(),
    is_open: current !== undefined,
    next_open: iso(next?.open),
    next_close: iso((current ?? next)?.close),
    message: current
      ? `Market open · closes ${formatEastern(current.close, now)}`
      : next
        ? `Market closed · opens ${formatEastern(next.open, now)}`
        : 'Market closed',
    calendar: calendar.source,
  };
}
