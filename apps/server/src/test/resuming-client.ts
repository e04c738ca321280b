import { EventSource } from 'eventsource';
import { TradingEvent } from '@tradewire/contract';

/**
 * A stream client that never gives up: whenever its stream fails or ends (a node died, Redis went
 * away and the API answered 503) it reconnects after a short pause with the id of the last event
 * it got, as the dashboard's stream client does. It keeps what it received in order.
 */
export class ResumingClient {
  readonly events: TradingEvent[] = [];
  resets = 0;
  private es: EventSource | undefined;
  private closed = false;

  constructor(private readonly url: () => string) {
    this.connect();
  }

  /** Events of the run, without the connection's own `connected`/`reset`. */
  get runEvents(): TradingEvent[] {
    return this.events.filter((e) => e.type !== 'connected' && e.type !== 'reset');
  }

  close() {
    this.closed = true;
    this.es?.close();
  }

  private connect() {
    if (this.closed) return;
    const last = this.runEvents.at(-1)?.id;
    const es = new EventSource(this.url() + (last ? `&last_event_id=${last}` : ''));
    this.es = es;
    es.onmessage = (msg) => {
      const e = TradingEvent.parse(JSON.parse(msg.data));
      if (e.type === 'reset') this.resets++;
      this.events.push(e);
    };
    es.onerror = () => {
      es.close();
      setTimeout(() => this.connect(), 300);
    };
  }
}
