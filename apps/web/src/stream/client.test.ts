// @vitest-environment node
import { EventSource } from 'eventsource';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { eventData, startSseServer, type TestSseServer } from '../test/sse-server';
import { backoffDelay } from './backoff';
import { StreamClient, type StreamBatch, type StreamClientOptions, type StreamEnvironment, type StreamScheduler } from './client';

/** Real timers, with every requested delay recorded; frames run on a zero timer unless held. */
function testScheduler() {
  const delays: number[] = [];
  let skewMs = 0;
  let held: (() => void)[] | null = null;
  const scheduler: StreamScheduler = {
    setTimeout(fn, ms) {
      if (ms > 0) delays.push(ms);
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    requestFrame(fn) {
      if (held) held.push(fn);
      else setTimeout(fn, 0);
    },
    now: () => Date.now() + skewMs,
    random: () => 1,
  };
  return {
    scheduler,
    delays,
    advanceClock: (ms: number) => void (skewMs += ms),
    holdFrames: () => void (held = []),
    runFrame: () => {
      const fns = held ?? [];
      held = [];
      for (const fn of fns) fn();
    },
  };
}

function testEnvironment() {
  const online = new Set<() => void>();
  const visible = new Set<() => void>();
  const env: StreamEnvironment = {
    isOnline: () => true,
    onOnline: (fn) => (online.add(fn), () => void online.delete(fn)),
    onVisible: (fn) => (visible.add(fn), () => void visible.delete(fn)),
  };
  return { env, goOnline: () => online.forEach((f) => f()), becomeVisible: () => visible.forEach((f) => f()) };
}

let server: TestSseServer;
let client: StreamClient | undefined;
let sched: ReturnType<typeof testScheduler>;
let environment: ReturnType<typeof testEnvironment>;
let batches: StreamBatch[];

function makeClient(opts: Partial<StreamClientOptions> = {}) {
  client = new StreamClient({
    EventSource,
    fetchTicket: () => server.issueTicket(),
    url: server.url,
    scheduler: sched.scheduler,
    environment: environment.env,
    backoff: { initialMs: 20, maxMs: 80 },
    warn: () => {},
    ...opts,
  });
  client.subscribe((b) => batches.push(b));
  return client;
}

const ids = (events: readonly TradingEvent[]) => events.map((e) => e.id);
const live = (c: StreamClient) => vi.waitFor(() => expect(c.getState().status).toBe('live'), { timeout: 3000 });

beforeEach(async () => {
  server = await startSseServer();
  sched = testScheduler();
  environment = testEnvironment();
  batches = [];
});

afterEach(async () => {
  client?.close();
  client = undefined;
  await server.close();
});

describe('StreamClient', () => {
  it('opens one connection for many models, authenticated by a ticket, and delivers each model its events', async () => {
    const c = makeClient();
    const unwatch = [c.watch(1), c.watch(2), c.watch(3), c.watch(2)];
    await live(c);
    expect(server.connections).toHaveLength(1);
    const url = server.connections[0]!.url;
    expect(url.searchParams.get('models')).toBe('1,2,3');
    expect(url.searchParams.get('ticket')).toBe('t1');
    expect(url.searchParams.has('token')).toBe(false);

    server.publish('trade', 1, eventData.trade('AAA'));
    server.publish('trade', 2, eventData.trade('BBB'));
    server.publish('trade', 3, eventData.trade('CCC'));
    await vi.waitFor(() => expect(c.getRecentEvents()).toHaveLength(3));
    expect(c.getEvents(1).map((e) => e.type === 'trade' && e.data.symbol)).toEqual(['AAA']);
    expect(c.getEvents(2).map((e) => e.type === 'trade' && e.data.symbol)).toEqual(['BBB']);
    expect(server.connections).toHaveLength(1);

    // Watching everything switches the one connection over, resuming where it was.
    const all = c.watch('all');
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    const second = server.connections[1]!.url;
    expect(second.searchParams.has('models')).toBe(false);
    expect(second.searchParams.get('last_event_id')).toBe('3');
    expect(server.open()).toHaveLength(1);

    all();
    unwatch.forEach((u) => u());
    await vi.waitFor(() => expect(c.getState().status).toBe('offline'));
    await vi.waitFor(() => expect(server.open()).toHaveLength(0));
  });

  it('starts from the stored history, then resumes the stream where it ends: no gap, no duplicate, history not told as news', async () => {
    const e1 = server.record('trade', 1, eventData.trade('AAA'));
    const e2 = server.record('decision', 1, { message: 'hold', action: 'hold', date: '2026-01-05', held: [], reasoning: 'no signal' });
    server.record('trade', 1, eventData.trade('CCC'));
    const asked: (number[] | null)[] = [];
    const c = makeClient({
      fetchHistory: async (models) => {
        asked.push(models);
        return { events: [e1, e2], last_event_id: e2.id };
      },
    });
    c.watch('all');
    await live(c);
    expect(asked).toEqual([null]);
    expect(server.connections[0]!.url.searchParams.get('last_event_id')).toBe(e2.id);
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['1', '2', '3']));
    expect(ids(c.getRecentEvents())).toEqual(['1', '2', '3']);
    // Only what the stream delivered is news (toasts, sounds): the history is not.
    expect(batches.flatMap((b) => ids(b.events))).toEqual(['3']);

    // Everything's history is in: a dropped connection resumes by id and asks for none.
    server.dropAll();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    expect(server.connections[1]!.url.searchParams.get('last_event_id')).toBe('3');
    expect(asked).toEqual([null]);
  });

  it('asks for the history of each model as it comes into view, once, and keeps following from its own point', async () => {
    const asked: (number[] | null)[] = [];
    const c = makeClient({
      fetchHistory: async (models) => {
        asked.push(models);
        return { events: [], last_event_id: '0' };
      },
    });
    c.watch(1);
    await live(c);
    server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['1']));
    c.watch(2);
    c.watch(1);
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    expect(asked).toEqual([[1], [2]]);
    // The client's own point, not the history's older one.
    expect(server.connections[1]!.url.searchParams.get('last_event_id')).toBe('1');
  });

  it('opens the stream even when the history cannot be fetched, and asks again on the next connection', async () => {
    let fail = true;
    let calls = 0;
    const c = makeClient({
      fetchHistory: async () => {
        calls++;
        if (fail) throw new Error('503');
        return { events: [], last_event_id: '0' };
      },
    });
    c.watch('all');
    await live(c);
    expect(calls).toBe(1);
    fail = false;
    server.dropAll();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    expect(calls).toBe(2);
  });

  it('resumes with last_event_id after the server drops it: no gap, no duplicate', async () => {
    const c = makeClient();
    c.watch('all');
    await live(c);
    server.publish('trade', 1, eventData.trade());
    server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['1', '2']));

    server.dropAll();
    server.publish('trade', 1, eventData.trade());
    server.publish('portfolio', 1, eventData.portfolio(10_500));
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['1', '2', '3', '4']));

    expect(server.connections[1]!.lastEventId).toBe('2');
    expect(c.getState()).toMatchObject({ status: 'live', attempt: 0, lastEventId: '4' });
    const delivered = batches.flatMap((b) => ids(b.events));
    expect(delivered).toEqual(['1', '2', '3', '4']);
  });

  it('backs off 1x, 2x, 4x the initial delay up to the cap while refused, then goes live and resets', async () => {
    const c = makeClient();
    server.refuseNext(5);
    const seen: string[] = [];
    c.subscribeState(() => seen.push(`${c.getState().status}:${c.getState().attempt}`));
    c.watch(7);
    await live(c);
    // random() = 1 takes the top of each jitter range: 20, 40, 80, then capped.
    expect(sched.delays).toEqual([20, 40, 80, 80, 80]);
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 200]);
    expect(seen).toContain('reconnecting:5');
    expect(c.getState().attempt).toBe(0);
  });

  it('keeps jitter between half and all of the doubling delay, capped at 30 s', () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(6, () => 1)).toBe(30_000);
    expect(backoffDelay(60, () => 0)).toBe(15_000);
    for (let a = 1; a < 12; a++) {
      const d = backoffDelay(a, Math.random);
      const base = Math.min(30_000, 1000 * 2 ** (a - 1));
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(base);
    }
  });

  it('drops duplicate ids, whether sent twice or replayed', async () => {
    const c = makeClient();
    c.watch('all');
    await live(c);
    const e1 = server.publish('trade', 1, eventData.trade());
    server.writeRaw(e1);
    const e2 = server.publish('trade', 1, eventData.trade());
    server.writeRaw(e1);
    server.writeRaw(e2);
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['1', '2']));
    server.publish('status', 1, eventData.status());
    await vi.waitFor(() => expect(c.getEvents(1)).toHaveLength(3));
    expect(batches.flatMap((b) => ids(b.events))).toEqual(['1', '2', '3']);
  });

  it('keeps only the last 100 events of each model', async () => {
    const c = makeClient();
    c.watch('all');
    await live(c);
    for (let i = 0; i < 150; i++) server.publish('progress', 1, eventData.progress(i, 150));
    server.publish('trade', 2, eventData.trade());
    await vi.waitFor(() => expect(c.getEvents(2)).toHaveLength(1));
    await vi.waitFor(() => expect(c.getEvents(1).at(-1)?.id).toBe('150'));
    const kept = c.getEvents(1);
    expect(kept).toHaveLength(100);
    expect(kept[0]!.id).toBe('51');
    // An old event coming back now is older than everything kept: it stays out.
    server.writeRaw({ ...kept[0], id: '10' });
    server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(c.getEvents(1).at(-1)?.id).toBe('152'));
    expect(c.getEvents(1)[0]!.id).toBe('52');
    expect(c.getEvents(1).some((e) => e.id === '10')).toBe(false);
  });

  it('orders by id, never by timestamp', async () => {
    const c = makeClient();
    c.watch('all');
    await live(c);
    const base = { type: 'status', model_id: 4, run_id: 1, data: { message: 'x' } };
    // Ids 12, 10, 11 on the wire with timestamps running the other way.
    server.writeRaw({ ...base, id: '12', timestamp: '2026-01-01T00:00:00.000Z' });
    server.writeRaw({ ...base, id: '10', timestamp: '2026-01-03T00:00:00.000Z' });
    server.writeRaw({ ...base, id: '11', timestamp: '2026-01-02T00:00:00.000Z' });
    // Bigger than a double can hold exactly, and longer: still compared as numbers.
    server.writeRaw({ ...base, id: '9007199254740993', timestamp: '2025-01-01T00:00:00.000Z' });
    server.writeRaw({ ...base, id: '9007199254740992', timestamp: '2027-01-01T00:00:00.000Z' });
    await vi.waitFor(() => expect(c.getEvents(4)).toHaveLength(5));
    expect(ids(c.getEvents(4))).toEqual(['10', '11', '12', '9007199254740992', '9007199254740993']);
    expect(c.getState().lastEventId).toBe('9007199254740993');
  });

  it('fetches a fresh ticket when its own has expired, without a refused attempt', async () => {
    const c = makeClient({ fetchTicket: () => server.issueTicket(60), ticketMarginMs: 5_000 });
    c.watch(1);
    await live(c);
    sched.advanceClock(56_000);
    server.dropAll();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    expect(server.connections[1]!.ticket).toBe('t2');
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('on a 401 with a ticket that worked before, gets a new ticket and reconnects at once', async () => {
    const c = makeClient();
    c.watch(1);
    await live(c);
    server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(c.getEvents(1)).toHaveLength(1));
    server.expireTickets();
    server.dropAll();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    expect(server.requests.map((r) => [r.status, r.url.searchParams.get('ticket')])).toEqual([
      [200, 't1'],
      [401, 't1'],
      [200, 't2'],
    ]);
    // Only the drop of a live stream waited; the stale ticket was replaced without a backoff.
    expect(sched.delays).toEqual([20]);
    expect(server.connections[1]!.lastEventId).toBe('1');
  });

  it('backs off when a fresh ticket is refused too, fetching another each time', async () => {
    const c = makeClient();
    server.refuseNext(2, 401);
    c.watch(1);
    await live(c);
    expect(server.requests.map((r) => [r.status, r.url.searchParams.get('ticket')])).toEqual([
      [401, 't1'],
      [401, 't2'],
      [200, 't3'],
    ]);
    expect(sched.delays).toEqual([20, 40]);
  });

  it('retries the ticket request itself with backoff when it fails', async () => {
    let failures = 2;
    const c = makeClient({
      fetchTicket: () => (failures-- > 0 ? Promise.reject(new Error('down')) : server.issueTicket()),
    });
    c.watch(1);
    await live(c);
    expect(sched.delays).toEqual([20, 40]);
    expect(server.connections).toHaveLength(1);
  });

  it('reconnects at once when the browser comes back online, when the page becomes visible, and on reconnect()', async () => {
    const c = makeClient({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    c.watch(1);
    await live(c);

    server.dropAll();
    await vi.waitFor(() => expect(c.getState()).toMatchObject({ status: 'reconnecting', attempt: 1 }));
    environment.goOnline();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);

    server.dropAll();
    await vi.waitFor(() => expect(c.getState().status).toBe('reconnecting'));
    environment.becomeVisible();
    await vi.waitFor(() => expect(server.connections).toHaveLength(3));
    await live(c);

    server.dropAll();
    await vi.waitFor(() => expect(c.getState().status).toBe('reconnecting'));
    c.reconnect();
    await vi.waitFor(() => expect(server.connections).toHaveLength(4));
    await live(c);
    // Visible while live changes nothing.
    environment.becomeVisible();
    await new Promise((r) => setTimeout(r, 30));
    expect(server.connections).toHaveLength(4);
  });

  it('delivers to listeners at most once per frame, with everything since the last one', async () => {
    const c = makeClient();
    c.watch('all');
    await live(c);
    await vi.waitFor(() => expect(c.getState().lastEventId).toBe('0')); // the connected event's flush
    sched.holdFrames();
    for (let i = 0; i < 5; i++) server.publish('trade', 1 + (i % 2), eventData.trade());
    await new Promise((r) => setTimeout(r, 100));
    expect(batches).toHaveLength(0);
    expect(c.getEvents(1)).toHaveLength(0);
    sched.runFrame();
    expect(batches).toHaveLength(1);
    expect(ids(batches[0]!.events)).toEqual(['1', '2', '3', '4', '5']);
    expect(c.getEvents(1)).toHaveLength(3);
    const before = c.getEvents(1);
    sched.runFrame();
    expect(c.getEvents(1)).toBe(before);
  });

  it('applies snapshots on connect, then changes, and is right at once after reconnecting', async () => {
    const run = {
      id: 9,
      model_id: 1,
      run_number: 1,
      status: 'running' as const,
      start_date: '2026-01-01',
      end_date: '2026-02-01',
      pace_ms: 0,
      started_at: '2026-01-01T00:00:00.000Z',
      ended_at: null,
      error: null,
      metrics: null,
      usage: null,
    };
    const { message: _m, ...portfolio } = eventData.portfolio(12_000, 4);
    server.setSnapshot({ model_id: 1, status: 'running', run, portfolio });
    const c = makeClient();
    c.watch('all');
    await vi.waitFor(() => expect(c.getLive(1)?.portfolio?.equity).toBe(12_000));
    expect(c.getLive(1)).toMatchObject({ status: 'running', runId: 9 });
    expect(batches[0]!.snapshots).toHaveLength(1);

    server.publish('progress', 1, eventData.progress(3), 9);
    server.publish('portfolio', 1, eventData.portfolio(12_500, 5), 9);
    await vi.waitFor(() => expect(c.getLive(1)?.portfolio?.equity).toBe(12_500));
    expect(c.getLive(1)?.progress).toMatchObject({ step: 3, total_steps: 10 });

    // Missed while away: the run went on and finished. The snapshot and the replay agree on it.
    server.dropAll();
    server.record('portfolio', 1, eventData.portfolio(13_000, 6), 9);
    server.record('complete', 1, eventData.complete(), 9);
    server.setSnapshot({ model_id: 1, status: 'idle', run: { ...run, status: 'completed' }, portfolio: { ...portfolio, equity: 13_000 } });
    await vi.waitFor(() => expect(c.getEvents(1)).toHaveLength(4));
    expect(server.connections[1]!.lastEventId).toBe('2');
    expect(c.getLive(1)).toMatchObject({ status: 'idle', progress: null, portfolio: { equity: 13_000 }, run: { status: 'completed' } });
  });

  it('reconnects at once, with a fresh ticket, when the server ends the stream as its ticket expires', async () => {
    const c = makeClient({ fetchTicket: () => server.issueTicket(60) });
    const seen: string[] = [];
    c.subscribeState(() => seen.push(c.getState().status));
    c.watch(1);
    await live(c);
    sched.advanceClock(59_000);
    server.endAll();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await live(c);
    expect(sched.delays).toEqual([]);
    expect(server.requests.map((r) => [r.status, r.url.searchParams.get('ticket')])).toEqual([
      [200, 't1'],
      [200, 't2'],
    ]);
    // Routine: never shown as a failed attempt.
    expect(seen.some((s) => s.startsWith('reconnecting'))).toBe(false);
  });

  it('on reset after the server restarted with new ids, drops the stale events and resumes from the new head', async () => {
    const c = makeClient();
    c.watch('all');
    await live(c);
    for (let i = 0; i < 5; i++) server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(c.getState().lastEventId).toBe('5'));

    server.restart();
    server.publish('status', 1, eventData.status('running'));
    server.publish('trade', 1, eventData.trade('NEW'));
    await vi.waitFor(() => expect(batches.some((b) => b.events.some((e) => e.type === 'reset'))).toBe(true));
    expect(server.connections[1]!.lastEventId).toBe('5');
    expect(c.getState().lastEventId).toBe('2');
    expect(c.getEvents(1)).toHaveLength(0);

    server.publish('trade', 1, eventData.trade('NEWER'));
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['3']));
    server.dropAll();
    await vi.waitFor(() => expect(server.connections).toHaveLength(3));
    expect(server.connections[2]!.lastEventId).toBe('3');
  });

  it('passes a reset on when the server no longer has events that old', async () => {
    await server.close();
    server = await startSseServer({ keep: 3 });
    const c = makeClient();
    c.watch('all');
    await live(c);
    server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(c.getState().lastEventId).toBe('1'));
    server.dropAll();
    for (let i = 0; i < 6; i++) server.record('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(batches.flatMap((b) => b.events).some((e) => e.type === 'reset')).toBe(true));
    await live(c);
    expect(c.getState().lastEventId).toBe('7');
    server.publish('trade', 1, eventData.trade());
    await vi.waitFor(() => expect(ids(c.getEvents(1))).toEqual(['8']));
  });

  it('ignores frames that are not contract events, and says so once per kind', async () => {
    const warnings: string[] = [];
    const c = makeClient({ warn: (m) => warnings.push(m) });
    c.watch('all');
    await live(c);
    server.writeRaw({ id: '1', type: 'bogus', timestamp: 'x', model_id: 1, run_id: null, data: { message: 'x' } });
    server.writeRaw('not json at all', '2');
    server.writeRaw({ id: 'abc', type: 'status', timestamp: 'x', model_id: 1, run_id: null, data: { message: 'x' } });
    server.writeRaw({ id: '7', type: 'bogus', timestamp: 'x', model_id: 1, run_id: null, data: { message: 'x' } });
    server.publish('status', 1, eventData.status());
    await vi.waitFor(() => expect(c.getEvents(1)).toHaveLength(1));
    expect(c.getEvents(1)[0]!.id).toBe('1');
    expect(c.getState().status).toBe('live');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('"bogus"');
  });
});
