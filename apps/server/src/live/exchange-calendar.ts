import { getHolidays } from 'nyse-holidays';
import { addDays, weekdays } from '../market/calendar.js';
import { getJson, retrying, type RetryPolicy } from '../market/providers/http.js';
import { ProviderError } from '../market/providers/provider.js';

/** One day the exchange trades: its regular hours as UTC instants (ms). */
export interface TradingSession {
  /** The trading day, YYYY-MM-DD (New York). */
  date: string;
  open: number;
  /** 16:00 New York on a regular day, 13:00 on an early close. */
  close: number;
}

/** The NYSE's trading days and hours. */
export interface ExchangeCalendar {
  /** Where the days come from, for the run's log (`alpaca`, `nyse-holidays`). */
  readonly source: string;
  /** The sessions of the days in [from, to] (YYYY-MM-DD, inclusive), oldest first. */
  sessions(from: string, to: string, signal?: AbortSignal): Promise<TradingSession[]>;
}

const ZONE = 'America/New_York';

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' });

/** New York's offset from UTC at an instant, in minutes (-300 in winter, -240 in summer). */
function easternOffsetMinutes(ms: number): number {
  const name = offsetFormat.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The UTC instant of a New York wall-clock time (`HH:MM`) on `date`. */
export function easternToUtc(date: string, hhmm: string): number {
  const [h, mi] = hhmm.split(':').map(Number);
  const naive = Date.parse(`${date}T00:00:00Z`) + (h! * 60 + mi!) * 60_000;
  return naive - easternOffsetMinutes(naive) * 60_000;
}

/** The New York date (YYYY-MM-DD) at an instant. */
export function easternDate(ms: number): string {
  return new Date(ms + easternOffsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'short' });

/** `15:31 ET`, or `Mon 09:30 ET` when the instant is not on the New York day of `today`. */
export function formatEastern(ms: number, today?: number): string {
  const time = `${timeFormat.format(new Date(ms))} ET`;
  return today !== undefined && easternDate(today) === easternDate(ms) ? time : `${dayFormat.format(new Date(ms))} ${time}`;
}

/**
 * The NYSE's holidays from the `nyse-holidays` package (rule-based, observed-day aware) with
 * regular hours, 09:30 to 16:00 New York. It knows no early closes: a run on it sees the
 * afternoon of an early close as bars that never come, and waits for the next session. Used
 * when no Alpaca keys are configured.
 */
export function holidayCalendar(): ExchangeCalendar {
  const holidays = new Map<number, Set<string>>();
  const isHoliday = (date: string) => {
    const year = Number(date.slice(0, 4));
    if (!holidays.has(year)) holidays.set(year, new Set(getHolidays(year).map((h) => h.dateString)));
    return holidays.get(year)!.has(date);
  };
  return {
    source: 'nyse-holidays',
    sessions: async (from, to) =>
      weekdays(from, to)
        .filter((d) => !isHoliday(d))
        .map((date) => ({ date, open: easternToUtc(date, '09:30'), close: easternToUtc(date, '16:00') })),
  };
}

/**
 * Alpaca's market calendar (`GET /v2/calendar` on its paper trading host): every NYSE session
 * with its hours, early closes included. Months are fetched once and kept.
 */
export function alpacaCalendar(opts: { baseUrl: string; keyId: string; secretKey: string; retry: RetryPolicy }): ExchangeCalendar {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const months = new Map<string, Promise<TradingSession[]>>();

  async function month(key: string, signal?: AbortSignal): Promise<TradingSession[]> {
    const first = `${key}-01`;
    const last = addDays(`${addDays(first, 32).slice(0, 7)}-01`, -1);
    const url = new URL(`${base}/v2/calendar`);
    url.searchParams.set('start', first);
    url.searchParams.set('end', last);
    const headers = { 'APCA-API-KEY-ID': opts.keyId, 'APCA-API-SECRET-KEY': opts.secretKey };
    const { status, body } = await retrying(opts.retry, () => getJson(url, 'Alpaca calendar', { headers, signal }), signal);
    if (status !== 200 || !Array.isArray(body)) {
      const message = body && typeof body === 'object' && 'message' in body ? String(body.message) : `HTTP ${status}`;
      throw new ProviderError(`Alpaca calendar: ${message}`);
    }
    return body.flatMap((d: unknown) => {
      if (!d || typeof d !== 'object') return [];
      const { date, open, close } = d as Record<string, unknown>;
      if (typeof date !== 'string' || typeof open !== 'string' || typeof close !== 'string') return [];
      return [{ date, open: easternToUtc(date, open), close: easternToUtc(date, close) }];
    });
  }

  return {
    source: 'alpaca',
    async sessions(from, to, signal) {
      const keys: string[] = [];
      for (let d = `${from.slice(0, 7)}-01`; d <= to; d = `${addDays(d, 32).slice(0, 7)}-01`) keys.push(d.slice(0, 7));
      const out: TradingSession[] = [];
      for (const key of keys) {
        let pending = months.get(key);
        if (!pending) {
          pending = month(key, signal);
          months.set(key, pending);
          // A failed month is asked again next time.
          pending.catch(() => months.delete(key));
        }
        out.push(...(await pending).filter((s) => s.date >= from && s.date <= to));
      }
      return out;
    },
  };
}
