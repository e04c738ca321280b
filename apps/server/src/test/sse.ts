import { EventSource } from 'eventsource';
import { TradingEvent } from '@tradewire/contract';

export interface SseClient {
  events: TradingEvent[];
  opened: Promise<void>;
  /** Resolves with the first event matching, waiting for it if needed. */
  waitFor(pred: (e: TradingEvent) => boolean, ms?: number): Promise<TradingEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A real EventSource (the `eventsource` package behaves like the browser's) that records every
 * message `onmessage` receives. It does not reconnect on its own: tests reconnect explicitly.
 */
export function openStream(url: string, headers: Record<string, string> = {}): SseClient {
  const events: TradingEvent[] = [];
  const waiters: { pred: (e: TradingEvent) => boolean; resolve: (e: TradingEvent) => void }[] = [];
  const es = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...headers } }),
  });
  let endedResolve!: () => void;
  const ended = new Promise<void>((r) => (endedResolve = r));
  const opened = new Promise<void>((resolve, reject) => {
    es.onopen = () => resolve();
    es.onerror = (err) => {
      es.close();
      endedResolve();
      reject(err);
    };
  });
  opened.catch(() => undefined);
  es.onmessage = (msg) => {
    // Parsed with the contract: every stream test also checks the wire shape.
    const e = TradingEvent.parse(JSON.parse(msg.data));
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  };
  return {
    events,
    opened,
    ended,
    waitFor(pred, ms = 15_000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event after ${ms} ms; got ${events.map((e) => e.type).join(',')}`)), ms);
        waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    close: () => {
      es.close();
      endedResolve();
    },
  };
}
