import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelWrite } from '../test/fixtures.js';
import { until } from '../test/until.js';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import { MemoryEventBus } from './memory-bus.js';
import { SseSessions, type StreamRequest } from './sse-session.js';

/**
 * The session layer over a real loopback server and raw sockets: the bytes on the wire, the
 * heartbeat, and credentials revoked while a stream is being opened.
 */
describe('SSE sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-sse-'));
  let storage: Storage;
  let bus: MemoryEventBus;
  let sessions: SseSessions;
  let server: Server;
  let port: number;
  let modelId: number;
  let userId: number;
  /** What the next stream request is opened with. */
  let next: (res: ServerResponse) => Promise<void>;

  beforeAll(async () => {
    storage = await openSqlite(join(dir, 'sse.db'));
    const user = await storage.users.create({ email: 'sse@example.com', password_hash: 'x', display_name: 'S' });
    userId = user.id;
    modelId = (await storage.models.create(user.id, modelWrite('Watched'))).id;
    bus = await MemoryEventBus.create(storage, 100);
    server = createServer((_req, res) => void next(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    sessions = new SseSessions(bus, { heartbeatMs: 200, maxBufferBytes: 1 << 20, retryMs: 3000 });
  });
  afterEach(() => sessions.closeAll('test over'));

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (over: Partial<StreamRequest> = {}): StreamRequest => ({
    filter: { modelIds: [modelId], userId, models: [{ id: modelId, user_id: userId }] },
    single: modelId,
    afterId: undefined,
    expiresAt: Date.now() + 60_000,
    credential: { userId, session: 'sign-in-1' },
    checkedAt: performance.now(),
    stillAuthorised: async () => true,
    snapshots: async () => [{ model_id: modelId, status: 'idle', run: null, portfolio: null }],
    ...over,
  });

  /** A raw HTTP/1.1 client: everything the server wrote, bytes as sent. */
  function rawClient(version = '1.1') {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    let ended = false;
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (raw += c));
    socket.on('close', () => (ended = true));
    socket.write(`GET /stream HTTP/${version}\r\nHost: 127.0.0.1\r\n\r\n`);
    return { text: () => raw, ended: () => ended, close: () => socket.destroy() };
  }

  const publish = (message: string) =>
    bus.commit([{ type: 'status', data: { message }, model_id: modelId, user_id: userId, run_id: null }], async () => {});

  it('writes each event as one well-formed HTTP/1.1 chunk, and ends the chunked body on close', async () => {
    let opened!: Promise<void>;
    next = (res) => (opened = sessions.serve(res, request(), () => {}));
    const c = rawClient();
    await until(() => c.text().includes('"connected"'), 'connected');
    await opened;
    await publish('ünïcode ✓ message');
    await until(() => c.text().includes('"type":"status"'), 'the event');
    sessions.closeAll('bye');
    await until(() => c.text().endsWith('0\r\n\r\n'), 'the last chunk');

    const [head, body] = [c.text().slice(0, c.text().indexOf('\r\n\r\n')), c.text().slice(c.text().indexOf('\r\n\r\n') + 4)];
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    // Decode the chunked body by hand: every size line must match its bytes exactly.
    const chunks: string[] = [];
    let rest = Buffer.from(body, 'latin1');
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
      expect(Number.isNaN(size)).toBe(false);
      if (size === 0) break;
      chunks.push(rest.subarray(eol + 2, eol + 2 + size).toString('utf8'));
      expect(rest.subarray(eol + 2 + size, eol + 4 + size).toString('latin1')).toBe('\r\n');
      rest = rest.subarray(eol + 4 + size);
    }
    expect(chunks[0]).toBe('retry: 3000\n\n');
    expect(chunks[1]).toMatch(/^id: \d+\ndata: \{"type":"connected",/);
    const event = chunks.find((ch) => ch.includes('"type":"status"'))!;
    expect(JSON.parse(event.split('\ndata: ')[1]!).data.message).toBe('ünïcode ✓ message');
    expect(chunks.at(-1)).toBe(': closing: bye\n\n');
    c.close();
  });

  it('writes the frames of an HTTP/1.1 stream to its socket, not through the response', async () => {
    let throughResponse = 0;
    let opened!: Promise<void>;
    next = (res) => {
      const write = res.write.bind(res);
      res.write = ((...args: Parameters<typeof res.write>) => {
        throughResponse++;
        return write(...args);
      }) as typeof res.write;
      opened = sessions.serve(res, request(), () => {});
      return opened;
    };
    const c = rawClient();
    await until(() => c.text().includes('"connected"'), 'connected');
    await opened;
    await publish('direct');
    await until(() => c.text().includes('direct'), 'the event');
    expect(throughResponse).toBe(0);
    c.close();
  });

  it('serves an HTTP/1.0 client its frames unchunked', async () => {
    next = (res) => sessions.serve(res, request(), () => {});
    const c = rawClient('1.0');
    await until(() => c.text().includes('"connected"'), 'connected');
    const body = c.text().slice(c.text().indexOf('\r\n\r\n') + 4);
    expect(body.startsWith('retry: 3000\n\nid: ')).toBe(true);
    c.close();
  });

  it('pings a quiet stream every period and spares one that is writing', async () => {
    sessions.closeAll('replaced');
    sessions = new SseSessions(bus, { heartbeatMs: 1000, maxBufferBytes: 1 << 20, retryMs: 3000 });
    const silent = await storage.models.create(userId, modelWrite('Silent'));
    next = (res) => sessions.serve(res, request(), () => {});
    const busy = rawClient();
    await until(() => busy.text().includes('"connected"'), 'connected');
    next = (res) =>
      sessions.serve(res, request({ filter: { modelIds: [silent.id], userId, models: [{ id: silent.id, user_id: userId }] }, single: silent.id }), () => {});
    const quiet = rawClient();
    await until(() => quiet.text().includes('"connected"'), 'connected');
    // Three periods while the busy stream hears an event every 40 ms.
    const start = Date.now();
    let sent = 0;
    while (Date.now() - start < 3000) {
      await publish('tick');
      sent++;
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(busy.text().split('"message":"tick"').length - 1).toBe(sent);
    expect(busy.text()).not.toContain(': ping');
    expect(quiet.text().split(': ping').length - 1).toBeGreaterThanOrEqual(2);
    busy.close();
    quiet.close();
  });

  it('ends a stream whose sign-in was revoked while it was being opened, from memory, without asking storage', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    const req = request({
      credential: { userId, session: 'sign-in-2' },
      snapshots: async () => {
        await held;
        return [];
      },
      stillAuthorised: async () => {
        asked++;
        return true;
      },
    });
    let opened!: Promise<void>;
    next = (res) => (opened = sessions.serve(res, req, () => {}));
    const c = rawClient();
    await until(() => opened !== undefined, 'the request');
    sessions.revoke({ sessions: ['sign-in-2'], reason: 'logged out' });
    release();
    await opened;
    await until(() => c.text().includes(': closing: credentials revoked'), 'the stream to end');
    expect(asked).toBe(0);
    c.close();
  });

  it('leaves other sign-ins open, and asks storage when memory cannot answer', async () => {
    let asked = 0;
    next = (res) =>
      sessions.serve(
        res,
        request({
          credential: { userId, session: 'sign-in-3' },
          checkedAt: undefined,
          stillAuthorised: async () => {
            asked++;
            return false;
          },
        }),
        () => {},
      );
    const c = rawClient();
    await until(() => c.text().includes(': closing: credentials revoked'), 'ended by the storage check');
    expect(asked).toBe(1);
    c.close();

    next = (res) => sessions.serve(res, request({ credential: { userId, session: 'sign-in-4' } }), () => {});
    const other = rawClient();
    await until(() => other.text().includes('"connected"'), 'connected');
    await new Promise((r) => setTimeout(r, 100));
    expect(other.text()).not.toContain('closing');
    other.close();
  });
});
