import { describe, expect, it } from 'vitest';
import type { EventSourceLike } from './types';
import { TabLeader, type TabChannel, type TabLocks, type TabMessage } from './tab-leader';

/** BroadcastChannel semantics: a message reaches every other member, asynchronously. */
function channelHub() {
  const members = new Set<TabChannel>();
  return () => {
    const ch: TabChannel = {
      onmessage: null,
      postMessage(message: TabMessage) {
        for (const m of members) if (m !== ch) setTimeout(() => m.onmessage?.(new MessageEvent('message', { data: structuredClone(message) })), 0);
      },
      close: () => void members.delete(ch),
    };
    members.add(ch);
    return ch;
  };
}

/** One exclusive lock: granted in request order, passed on when the holder's promise settles or it aborts. */
function lockManager(): TabLocks {
  const queue: { cb: () => Promise<void>; signal: AbortSignal }[] = [];
  let held = false;
  const next = () => {
    if (held) return;
    const waiter = queue.shift();
    if (!waiter) return;
    held = true;
    void waiter.cb().finally(() => {
      held = false;
      next();
    });
  };
  return {
    request(_name, { signal }, cb) {
      const waiter = { cb, signal };
      queue.push(waiter);
      signal.addEventListener('abort', () => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
      });
      setTimeout(next, 0);
      return Promise.resolve();
    },
  };
}

class FakeEventSource implements EventSourceLike {
  static all: FakeEventSource[] = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.(new Event('open'));
  }
  send(event: { id: string; model_id: number | null; type?: string }) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify({ type: 'trade', ...event }) }));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const liveSources = () => FakeEventSource.all.filter((s) => !s.closed);

function tab(hub: () => TabChannel, locks: TabLocks, url: string) {
  const leader = new TabLeader({ EventSource: FakeEventSource, channel: hub(), locks, lockName: 'tradewire-stream-leader-1' });
  const stream = new leader.EventSource(url);
  const received: { id: string; model_id: number | null }[] = [];
  let opened = 0;
  stream.onmessage = (ev) => received.push(JSON.parse(String(ev.data)));
  stream.onopen = () => void opened++;
  return { leader, stream, received, opened: () => opened };
}

describe('TabLeader', () => {
  it('opens one connection for the union of what the tabs watch and shares its events', async () => {
    FakeEventSource.all = [];
    const hub = channelHub();
    const locks = lockManager();
    const a = tab(hub, locks, '/api/stream?models=1&ticket=t1');
    await tick();
    const b = tab(hub, locks, '/api/stream?models=2&ticket=t2');
    await tick();
    expect(a.leader.isLeader).toBe(true);
    expect(b.leader.isLeader).toBe(false);

    expect(liveSources()).toHaveLength(1);
    const real = liveSources()[0]!;
    expect(new URL(real.url, 'http://x').searchParams.get('models')).toBe('1,2');
    expect(new URL(real.url, 'http://x').searchParams.get('ticket')).toBe('t1');
    real.open();
    await tick();
    expect([a.opened(), b.opened()]).toEqual([1, 1]);

    real.send({ id: '10', model_id: 1 });
    real.send({ id: '11', model_id: 2 });
    await tick();
    expect(a.received.map((e) => e.id)).toEqual(['10']);
    expect(b.received.map((e) => e.id)).toEqual(['11']);
  });

  it('hands the connection to another tab when the leader leaves, resuming from the last event id', async () => {
    FakeEventSource.all = [];
    const hub = channelHub();
    const locks = lockManager();
    const a = tab(hub, locks, '/api/stream?ticket=t1');
    await tick();
    const b = tab(hub, locks, '/api/stream?ticket=t2');
    await tick();
    const first = liveSources()[0]!;
    first.open();
    first.send({ id: '41', model_id: 3 });
    first.send({ id: '42', model_id: 4 });
    await tick();
    expect(b.received.map((e) => e.id)).toEqual(['41', '42']);

    a.stream.close();
    a.leader.close();
    await tick();
    expect(first.closed).toBe(true);
    expect(b.leader.isLeader).toBe(true);
    expect(liveSources()).toHaveLength(1);
    const second = liveSources()[0]!;
    expect(second.url).toBe('/api/stream?ticket=t2&last_event_id=42');
    second.open();
    second.send({ id: '43', model_id: 3 });
    await tick();
    expect(b.received.map((e) => e.id)).toEqual(['41', '42', '43']);
  });

  it('tells followers when the leader loses its connection and keeps what arrives until their next stream', async () => {
    FakeEventSource.all = [];
    const hub = channelHub();
    const locks = lockManager();
    const a = tab(hub, locks, '/api/stream?ticket=t1');
    await tick();
    const leader = new TabLeader({ EventSource: FakeEventSource, channel: hub(), locks, lockName: 'tradewire-stream-leader-1' });
    let stream = new leader.EventSource('/api/stream?ticket=t2');
    let errors = 0;
    stream.onerror = () => void errors++;
    await tick();
    liveSources()[0]!.open();
    await tick();
    liveSources()[0]!.onerror?.(new Event('error'));
    await tick();
    expect(errors).toBe(1);

    // As the clients do: both drop their failed streams; the leader's comes back first, the follower's later.
    stream.close();
    a.stream.close();
    a.stream = new a.leader.EventSource('/api/stream?ticket=t3&last_event_id=0');
    await tick();
    const real = liveSources()[0]!;
    real.open();
    real.send({ id: '7', model_id: 1 });
    await tick();
    stream = new leader.EventSource('/api/stream?ticket=t2&last_event_id=0');
    const received: string[] = [];
    stream.onmessage = (ev) => void received.push(JSON.parse(String(ev.data)).id);
    await tick();
    expect(received).toEqual(['7']);
  });

  it('gives the tab client an error when the leader connection fails, so the client retries it', async () => {
    FakeEventSource.all = [];
    const a = tab(channelHub(), lockManager(), '/api/stream?ticket=t1');
    let errors = 0;
    a.stream.onerror = () => void errors++;
    await tick();
    liveSources()[0]!.onerror?.(new Event('error'));
    expect(errors).toBe(1);
    expect(liveSources()).toHaveLength(0);
  });

  it('rebroadcasts nothing while no other tab is known past the grace, and every frame once one watches', async () => {
    FakeEventSource.all = [];
    const hub = channelHub();
    const locks = lockManager();
    const posted: TabMessage['kind'][] = [];
    const channel = hub();
    const post = channel.postMessage.bind(channel);
    channel.postMessage = (m) => {
      posted.push(m.kind);
      post(m);
    };
    const leader = new TabLeader({ EventSource: FakeEventSource, channel, locks, lockName: 'tradewire-stream-leader-1', followerGraceMs: 0 });
    const stream = new leader.EventSource('/api/stream?ticket=t1');
    const received: string[] = [];
    stream.onmessage = (ev) => void received.push(JSON.parse(String(ev.data)).id);
    await tick();
    liveSources()[0]!.open();
    liveSources()[0]!.send({ id: '1', model_id: 1 });
    expect(received).toEqual(['1']);
    expect(posted).not.toContain('frame');

    const b = tab(hub, locks, '/api/stream?ticket=t2');
    await tick();
    const real = liveSources().at(-1)!;
    real.open();
    real.send({ id: '2', model_id: 1 });
    await tick();
    expect(posted).toContain('frame');
    expect(b.received.map((e) => e.id)).toEqual(['2']);
  });
});
