import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** Credentials withdrawn: the streams they opened must end now, on every node. */
export interface Revocation {
  /** Sign-ins ended (logout): streams opened with the access token or with a ticket issued under it. */
  sessions?: string[];
  /** Users whose every stream ends (their role changed: what they may watch changed). */
  users?: number[];
  reason: string;
}

export interface RevocationFeed {
  /** Delivers to this node at once, then to every other node sharing the feed. */
  publish(r: Revocation): Promise<void>;
  /** `fn` hears every revocation, this node's and other nodes'. */
  subscribe(fn: (r: Revocation) => void): void;
  /** Whether every revocation published from now on reaches this node (false while cut off from Redis). */
  connected(): boolean;
  close(): Promise<void>;
}

/** One process: the revocation is delivered in place. */
export class LocalRevocations implements RevocationFeed {
  private readonly listeners: ((r: Revocation) => void)[] = [];

  publish(r: Revocation): Promise<void> {
    for (const fn of this.listeners) fn(r);
    return Promise.resolve();
  }

  subscribe(fn: (r: Revocation) => void) {
    this.listeners.push(fn);
  }

  connected() {
    return true;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Message {
  node: string;
  r: Revocation;
}

/**
 * API nodes sharing one Redis: a revocation is delivered here first, then published on
 * `<prefix>:revocations`, which every node subscribes to. A node cut off from Redis at that
 * moment misses it; its streams still end when their credential expires, and a revoked
 * credential never opens a new stream (that check reads storage).
 */
export class RedisRevocations implements RevocationFeed {
  private readonly local = new LocalRevocations();
  private readonly node = randomUUID();

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly channel: string,
    private readonly onError: (err: unknown) => void,
  ) {
    sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      let msg: Message;
      try {
        msg = JSON.parse(raw) as Message;
      } catch (e) {
        return this.onError(e);
      }
      if (msg.node !== this.node) void this.local.publish(msg.r);
    });
  }

  /** `pub` is a command connection the node already has; the subscriber connection is the feed's own. */
  static async create(opts: { pub: Redis; url: string; prefix: string; onError: (err: unknown) => void }): Promise<RedisRevocations> {
    const channel = `${opts.prefix.replace(/:$/, '')}:revocations`;
    const sub = new Redis(opts.url, { lazyConnect: true, connectionName: `${channel}:sub` });
    sub.on('error', opts.onError);
    await sub.connect();
    // ioredis subscribes again on its own after a reconnect.
    await sub.subscribe(channel);
    return new RedisRevocations(opts.pub, sub, channel, opts.onError);
  }

  async publish(r: Revocation): Promise<void> {
    await this.local.publish(r);
    await this.pub.publish(this.channel, JSON.stringify({ node: this.node, r } satisfies Message)).catch(this.onError);
  }

  subscribe(fn: (r: Revocation) => void) {
    this.local.subscribe(fn);
  }

  connected() {
    return this.sub.status === 'ready';
  }

  async close() {
    await this.sub.quit().catch(() => this.sub.disconnect());
  }
}
