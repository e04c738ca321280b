import { type Socket, createServer } from 'node:net';
import { connectedEvent, envelope } from '../protocol.js';
import { HOST, type FanoutTarget } from './target.js';

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n';

/**
 * The limit: a bare TCP server that reads one request line and then writes each event's
 * pre-serialised frame to every watcher (no HTTP framework, no chunked encoding, no auth).
 */
export async function startLimit(models: number): Promise<FanoutTarget> {
  const sockets = Array.from({ length: models }, () => new Set<Socket>());
  let seq = 0;
  const server = createServer({ noDelay: true }, (socket) => {
    let head = '';
    socket.on('error', () => socket.destroy());
    const onRequest = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return void (head.length > 8192 && socket.destroy());
      socket.off('data', onRequest);
      const m = /^GET \/stream\/(\d+) /.exec(head);
      const model = m ? Number(m[1]) : -1;
      const watchers = sockets[model];
      if (!watchers) return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      socket.write(HEAD + `data: ${JSON.stringify(connectedEvent(model + 1))}\n\n`);
      watchers.add(socket);
      socket.on('close', () => watchers.delete(socket));
    };
    socket.on('data', onRequest);
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    paths: sockets.map((_, i) => `/stream/${i}`),
    publish(model, data) {
      const event = envelope(++seq, model + 1, data);
      const frame = `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const s of sockets[model]!) s.write(frame);
    },
    connections: () => sockets.reduce((n, s) => n + s.size, 0),
    async close() {
      for (const set of sockets) for (const s of set) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
