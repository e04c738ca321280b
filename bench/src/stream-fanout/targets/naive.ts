import { type ServerResponse, createServer } from 'node:http';
import { type BenchEventData, connectedEvent, envelope } from '../protocol.js';
import { HOST, type FanoutTarget } from './target.js';

/** One client as the seed's backend keeps it: its own queue and a consumer loop awaiting it. */
class QueuedClient {
  private readonly queue: object[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  constructor(private readonly res: ServerResponse) {
    res.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    void this.pump();
  }

  put(e: object) {
    this.queue.push(e);
    this.wake?.();
  }

  private async pump() {
    while (!this.closed) {
      if (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
      // Serialised per client, written without looking at what the socket still holds.
      for (let e = this.queue.shift(); e && !this.closed; e = this.queue.shift()) this.res.write(`data: ${JSON.stringify(e)}\n\n`);
    }
  }
}

/** The baseline: what the seed's backend does, in Node (http module, no framework, no auth). */
export async function startNaive(models: number): Promise<FanoutTarget> {
  const clients = Array.from({ length: models }, () => new Set<QueuedClient>());
  let seq = 0;
  const server = createServer((req, res) => {
    const m = /^\/stream\/(\d+)$/.exec(req.url ?? '');
    const watchers = m ? clients[Number(m[1])] : undefined;
    if (!watchers) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const client = new QueuedClient(res);
    watchers.add(client);
    res.on('close', () => watchers.delete(client));
    client.put(connectedEvent(Number(m![1]) + 1));
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    paths: clients.map((_, i) => `/stream/${i}`),
    publish(model, data: BenchEventData) {
      const event = envelope(++seq, model + 1, data);
      for (const c of clients[model]!) c.put(event);
    },
    connections: () => clients.reduce((n, s) => n + s.size, 0),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
