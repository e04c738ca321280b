import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventType, ModelSnapshot, StreamTicket, TradingEvent } from '@tradewire/contract';

/**
 * A small stand-in for the server's `/api/stream` on loopback: tickets, the `models` filter,
 * `connected` snapshots, replay after `last_event_id`, and the means to drop or refuse
 * connections. Frames are written exactly as the contract puts them on the wire.
 */

export interface StreamConnection {
  url: URL;
  res: ServerResponse;
  /** null for every model. */
  models: number[] | null;
  lastEventId: string | null;
  ticket: string | null;
}

export interface TestSseServer {
  /** The stream endpoint, e.g. `http://127.0.0.1:1234/api/stream`. */
  url: string;
  /** Every accepted stream, open or closed, in order. */
  connections: StreamConnection[];
  /** Every request to the stream, with the status it got. */
  requests: { url: URL; status: number }[];
  /** Tickets handed out so far. */
  ticketsIssued: number;
  /** Issues a ticket valid `ttlS` seconds (as the client is told) . */
  issueTicket(ttlS?: number): Promise<StreamTicket>;
  /** Makes every ticket issued so far invalid, whatever the client believes. */
  expireTickets(): void;
  /** Refuse the next `n` connections with this status (503 by default). */
  refuseNext(n: number, status?: number): void;
  /** Snapshot sent in `connected` for a model. */
  setSnapshot(s: ModelSnapshot): void;
  /** Records an event with the next id and sends it to every open stream that covers its model. */
  publish<T extends EventType>(type: T, modelId: number | null, data: Record<string, unknown>, runId?: number | null): TradingEvent;
  /** Records an event without sending it: one the client missed, for replay. */
  record<T extends EventType>(type: T, modelId: number | null, data: Record<string, unknown>, runId?: number | null): TradingEvent;
  /** Writes a frame as is to the open streams (for duplicates and out-of-order delivery). */
  writeRaw(event: unknown, id?: string): void;
  /** Cuts every open stream from the server side. */
  dropAll(): void;
  /** Ends every open stream politely, as the server does when a ticket expires. */
  endAll(): void;
  /** Forgets every event and starts ids again from 1, as an in-memory bus does after a restart. */
  restart(): void;
  open(): StreamConnection[];
  close(): Promise<void>;
}

const frame = (id: string, data: unknown) => `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

export interface SseServerOptions {
  /** How many recent events are kept for replay (like the server's per-model buffer). */
  keep?: number;
}

export async function startSseServer(opts: SseServerOptions = {}): Promise<TestSseServer> {
  const log: TradingEvent[] = [];
  let seq = 0;
  const tickets = new Map<string, boolean>();
  const snapshots = new Map<number, ModelSnapshot>();
  let refusals: { left: number; status: number } = { left: 0, status: 503 };
  const openStreams = new Set<StreamConnection>();

  const covers = (c: StreamConnection, modelId: number | null) =>
    c.models === null || modelId === null || c.models.includes(modelId);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number) => {
      self.requests.push({ url, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'unavailable', message: 'no' } }));
    };
    if (url.pathname !== '/api/stream') return reply(404);
    if (refusals.left > 0) {
      refusals.left--;
      return reply(refusals.status);
    }
    const ticket = url.searchParams.get('ticket');
    if (!ticket || !tickets.get(ticket)) return reply(401);

    self.requests.push({ url, status: 200 });
    const modelsParam = url.searchParams.get('models');
    const conn: StreamConnection = {
      url,
      res,
      models: modelsParam ? modelsParam.split(',').map(Number) : null,
      lastEventId: url.searchParams.get('last_event_id'),
      ticket,
    };
    self.connections.push(conn);
    openStreams.add(conn);
    req.on('close', () => openStreams.delete(conn));

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' });
    res.write('retry: 3000\n\n');
    // As the server does: replay after the resume point, or a reset when it cannot, and a
    // `connected` whose id is the point to resume from if the client drops before the replay.
    const after = conn.lastEventId === null ? null : Number(conn.lastEventId);
    const oldestKept = log[0] ? Number(log[0].id) : seq + 1;
    const reset = after !== null && (after > seq || after < oldestKept - 1);
    const resumeId = String(after !== null && !reset ? after : seq);
    if (reset) {
      const r = { id: resumeId, type: 'reset', timestamp: new Date().toISOString(), model_id: null, run_id: null, data: { message: 'refetch' } };
      res.write(frame(r.id, r));
    }
    const connected = {
      id: resumeId,
      type: 'connected',
      timestamp: new Date().toISOString(),
      model_id: null,
      run_id: null,
      data: {
        message: 'Connected to trading stream',
        model_id: null,
        snapshots: [...snapshots.values()].filter((s) => covers(conn, s.model_id)),
      },
    };
    res.write(frame(connected.id, connected));
    if (after !== null && !reset) {
      for (const e of log) if (Number(e.id) > after && covers(conn, e.model_id)) res.write(frame(e.id, e));
    }
    res.write(': ping\n\n');
  });

  const make = (type: EventType, modelId: number | null, data: Record<string, unknown>, runId: number | null) => {
    const event = { id: String(++seq), type, timestamp: new Date().toISOString(), model_id: modelId, run_id: runId, data };
    log.push(event as TradingEvent);
    if (opts.keep !== undefined && log.length > opts.keep) log.splice(0, log.length - opts.keep);
    return event as TradingEvent;
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const self: TestSseServer = {
    url: `http://127.0.0.1:${port}/api/stream`,
    connections: [],
    requests: [],
    ticketsIssued: 0,
    async issueTicket(ttlS = 300) {
      self.ticketsIssued++;
      const ticket = `t${self.ticketsIssued}`;
      tickets.set(ticket, true);
      return { ticket, expires_in: ttlS };
    },
    expireTickets() {
      for (const t of tickets.keys()) tickets.set(t, false);
    },
    refuseNext(n, status = 503) {
      refusals = { left: n, status };
    },
    setSnapshot(s) {
      snapshots.set(s.model_id, s);
    },
    record: (type, modelId, data, runId = null) => make(type, modelId, data, runId),
    publish(type, modelId, data, runId = null) {
      const event = make(type, modelId, data, runId);
      for (const c of openStreams) if (covers(c, modelId)) c.res.write(frame(event.id, event));
      return event;
    },
    writeRaw(event, id) {
      const eid = id ?? String((event as { id?: string }).id ?? '');
      for (const c of openStreams) c.res.write(frame(eid, event));
    },
    dropAll() {
      for (const c of openStreams) c.res.destroy();
      openStreams.clear();
    },
    endAll() {
      for (const c of openStreams) c.res.end(': closing: credentials expired\n\n');
      openStreams.clear();
    },
    restart() {
      self.dropAll();
      log.length = 0;
      seq = 0;
    },
    open: () => [...openStreams],
    async close() {
      self.dropAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return self;
}

/** Event payloads that satisfy the contract, for tests. */
export const eventData = {
  trade: (symbol = 'ACME', action: 'buy' | 'sell' = 'buy') => ({
    message: `AI executing ${action.toUpperCase()} order...`,
    action,
    date: '2026-01-05',
    symbol,
    quantity: 10,
    price: 100,
    amount: 1000,
    commission: 0,
    cash_after: 9000,
    status: 'filled',
    reason: null,
  }),
  portfolio: (equity: number, trade_count = 1) => ({
    message: 'Portfolio updated',
    date: '2026-01-05',
    cash: equity / 2,
    equity,
    positions: [],
    return_pct: ((equity - 10_000) / 10_000) * 100,
    trade_count,
  }),
  status: (status?: 'running' | 'completed') => ({ message: 'Starting trading session...', ...(status ? { status } : {}) }),
  progress: (step: number, total_steps = 10) => ({ message: `Day ${step}`, step, total_steps, date: '2026-01-05', cash: 10_000, equity: 10_000, return_pct: 0 }),
  complete: () => ({ message: 'Trading session completed', status: 'completed', metrics: null }),
  error: (message = 'Agent failed') => ({ message }),
};
