import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as http2Connect, type ClientHttp2Session, type IncomingHttpHeaders as Http2Headers } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { createSelfSignedPair } from '../cli/self-signed.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { IMMUTABLE } from './app.js';

const ASSET = '/assets/index-Bx12cd34.js';

/** A built dashboard laid out as vite writes it: index.html and content-hashed files under assets/. */
function writeWebDist(dir: string): string {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  const rows = Array.from({ length: 400 }, (_, i) => ({ id: i, symbol: `SIM${i}`, note: 'a dashboard bundle repeats itself a lot' }));
  const js = `export const rows = ${JSON.stringify(rows)};\n`;
  writeFileSync(join(dir, 'assets', 'index-Bx12cd34.js'), js);
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html><head><script type="module" src="${ASSET}"></script></head><body><div id="root"></div></body></html>\n`);
  return js;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes on the wire, not decoded. */
  body: Buffer;
}

/** An HTTP/1.1 request that keeps the body as sent (fetch would decompress it). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The head and first bytes of an event stream, then the connection is dropped. */
function streamHead(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.once('data', (c: Buffer) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: c });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const cspOf = (headers: IncomingHttpHeaders | Http2Headers) => String(headers['content-security-policy'] ?? '');

describe('serving over plain HTTP', () => {
  let dist: string;
  let js: string;
  let t: TestServer;
  let token: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'tradewire-dist-'));
    js = writeWebDist(dist);
    t = await startTestServer({ WEB_DIST: dist, LOGIN_MAX_PER_IP: '2' });
    token = (await signup(t)).token;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('keeps a strict CSP without upgrade-insecure-requests or HSTS, so another host name works over http', async () => {
    for (const path of ['/', '/models/1', '/api/health']) {
      const res = await raw(t.url + path, { headers: { host: 'tradewire.lan:8080' } });
      expect(res.status, path).toBe(200);
      const csp = cspOf(res.headers);
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security'], path).toBeUndefined();
    }
    const docs = await raw(`${t.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(cspOf(docs.headers)).toContain("default-src 'self'");
    expect(cspOf(docs.headers)).not.toContain('upgrade-insecure-requests');
  });

  it('compresses static assets with brotli or gzip and caches hashed ones for good', async () => {
    const br = await raw(t.url + ASSET, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe(IMMUTABLE);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).toString()).toBe(js);
    expect(br.body.length).toBeLessThan(js.length / 4);

    const gzip = await raw(t.url + ASSET, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(js);

    const plain = await raw(t.url + ASSET);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('has index.html revalidated on every load, also as the client-routing fallback, and 404s a missing asset', async () => {
    for (const path of ['/', '/index.html', '/models/7/runs/2']) {
      const res = await raw(t.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.body.toString(), path).toContain(ASSET);
    }
    const missing = await raw(`${t.url}/assets/index-gone0000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
  });

  it('compresses JSON answers', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const plain = await raw(`${t.url}/api/market/symbols`, { headers });
    expect(plain.body.length).toBeGreaterThan(1024);
    const br = await raw(`${t.url}/api/market/symbols`, { headers: { ...headers, 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    const gzip = await raw(`${t.url}/api/market/symbols`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(JSON.parse(plain.body.toString()));
  });

  it('never compresses the event streams, whatever the client accepts', async () => {
    const model = await t.req('POST', '/api/models', { token, body: { name: 'Streamed', agent: { kind: 'buy_and_hold' } } });
    for (const path of [`/api/stream?token=${token}`, `/api/trading/stream/${model.body.id}?token=${token}`]) {
      const res = await streamHead(t.url + path, { 'accept-encoding': 'br, gzip, deflate', accept: 'text/event-stream' });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toBe('text/event-stream; charset=utf-8');
      expect(res.headers['content-encoding'], path).toBeUndefined();
      expect(res.headers['cache-control'], path).toBe('no-cache, no-transform');
      expect(res.headers['x-accel-buffering'], path).toBe('no');
      expect(res.body.toString(), path).toMatch(/^retry: \d+\n\n/);
    }
  });

  it('is same-origin only without CORS_ORIGINS: no CORS headers, preflights refused', async () => {
    const origin = 'https://app.example.com';
    const get = await raw(`${t.url}/api/models`, { headers: { origin, authorization: `Bearer ${token}` } });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await raw(`${t.url}/api/models`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(JSON.parse(preflight.body.toString()).error).toEqual({ code: 'forbidden', message: 'origin https://app.example.com is not in CORS_ORIGINS' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const stream = await streamHead(`${t.url}/api/stream?token=${token}`, { origin });
    expect(stream.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('ignores X-Forwarded-For from an untrusted peer: every attempt counts against the socket address', async () => {
    const login = (ip: string, n: number) =>
      raw(`${t.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email: `nobody${n}@example.com`, password: 'wrong password here' }),
      });
    expect((await login('203.0.113.1', 1)).status).toBe(401);
    expect((await login('203.0.113.2', 2)).status).toBe(401);
    expect((await login('203.0.113.3', 3)).status).toBe(429);
  });
});

describe('serving behind a proxy, to an allow-listed origin', () => {
  const allowed = 'https://app.example.com';
  const refused = 'https://evil.example.net';
  let t: TestServer;
  let token: string;

  beforeAll(async () => {
    t = await startTestServer({
      CORS_ORIGINS: `${allowed},http://localhost:3000`,
      TRUST_PROXY: '127.0.0.1',
      PUBLIC_URL: 'https://trade.example.com',
      LOGIN_MAX_PER_IP: '2',
    });
    token = (await signup(t)).token;
  });
  afterAll(() => t.close());

  it('asks browsers for https when PUBLIC_URL is https', async () => {
    const res = await raw(`${t.url}/api/health`);
    expect(cspOf(res.headers)).toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('answers the preflight of an allowed origin, for REST and the streams', async () => {
    for (const [path, method, requested] of [
      ['/api/models', 'POST', 'authorization, content-type'],
      ['/api/models/1', 'DELETE', 'authorization'],
      ['/api/stream', 'GET', 'last-event-id'],
      ['/api/trading/stream/1', 'GET', 'last-event-id'],
    ] as const) {
      const res = await raw(t.url + path, { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': method, 'access-control-request-headers': requested } });
      expect(res.status, path).toBe(204);
      expect(res.headers['access-control-allow-origin'], path).toBe(allowed);
      expect(String(res.headers['access-control-allow-methods']).split(', '), path).toContain(method);
      const allowedHeaders = String(res.headers['access-control-allow-headers']).toLowerCase().split(', ');
      for (const h of requested.split(', ')) expect(allowedHeaders, `${path} ${h}`).toContain(h);
      expect(res.headers['access-control-allow-credentials'], path).toBeUndefined();
      expect(res.headers['access-control-max-age'], path).toBe('600');
      expect(res.headers.vary, path).toMatch(/origin/i);
    }
  });

  it('refuses the preflight of any other origin, naming it', async () => {
    for (const path of ['/api/models', '/api/stream']) {
      const res = await raw(t.url + path, { method: 'OPTIONS', headers: { origin: refused, 'access-control-request-method': 'GET' } });
      expect(res.status, path).toBe(403);
      expect(JSON.parse(res.body.toString()).error.message).toBe(`origin ${refused} is not in CORS_ORIGINS`);
      expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
      expect(res.headers['access-control-allow-methods'], path).toBeUndefined();
    }
  });

  it('lets an allowed origin read REST answers and the stream, and no other origin', async () => {
    const get = (origin: string) => raw(`${t.url}/api/models`, { headers: { origin, authorization: `Bearer ${token}` } });
    const ok = await get(allowed);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers['access-control-expose-headers']).toContain('Retry-After');
    expect((await get('http://localhost:3000')).headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect((await get(refused)).headers['access-control-allow-origin']).toBeUndefined();

    const stream = await streamHead(`${t.url}/api/stream?token=${token}`, { origin: allowed });
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['access-control-allow-origin']).toBe(allowed);
    expect(stream.headers.vary).toMatch(/origin/i);
    const refusedStream = await streamHead(`${t.url}/api/stream?token=${token}`, { origin: refused });
    expect(refusedStream.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rate-limits logins by the client address the trusted proxy forwards, and exposes Retry-After', async () => {
    const login = (ip: string, n: number) =>
      raw(`${t.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, origin: allowed },
        body: JSON.stringify({ email: `nobody${n}@example.com`, password: 'wrong password here' }),
      });
    expect((await login('198.51.100.7', 1)).status).toBe(401);
    expect((await login('198.51.100.7', 2)).status).toBe(401);
    const limited = await login('198.51.100.7', 3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['access-control-allow-origin']).toBe(allowed);
    expect(limited.headers['access-control-expose-headers']).toContain('Retry-After');
    expect((await login('198.51.100.8', 4)).status).toBe(401);
    expect(t.logs.some((l) => l.includes('"remoteAddress":"198.51.100.7"'))).toBe(true);
  });
});

interface H2Response {
  status: number;
  headers: Http2Headers;
  body: Buffer;
}

function h2(session: ClientHttp2Session, path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const headers = { ':method': opts.method ?? 'GET', ':path': path, ...opts.headers, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = session.request(headers);
    let head: Http2Headers = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => (head = h));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks) }));
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

/** An SSE reader on one HTTP/2 stream of a shared session: its head, and every event parsed. */
function h2Events(session: ClientHttp2Session, path: string) {
  const req = session.request({ ':path': path, accept: 'text/event-stream', 'accept-encoding': 'br, gzip' });
  const events: TradingEvent[] = [];
  let buffered = '';
  const head = new Promise<Http2Headers>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  req.setEncoding('utf8');
  req.on('data', (text: string) => {
    buffered += text;
    const frames = buffered.split('\n\n');
    buffered = frames.pop() ?? '';
    for (const frame of frames) {
      const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data) events.push(JSON.parse(data) as TradingEvent);
    }
  });
  return { head, events, close: () => req.close() };
}

async function until(check: () => boolean, what: () => string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('serving HTTPS with HTTP/2', () => {
  let dir: string;
  let js: string;
  let cert: Buffer;
  let t: TestServer;
  let origin: string;
  let tlsConnections = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tradewire-tls-'));
    js = writeWebDist(join(dir, 'dist'));
    const pair = createSelfSignedPair(join(dir, 'tls'), ['localhost', '127.0.0.1']);
    cert = readFileSync(pair.certPath);
    t = await startTestServer({ WEB_DIST: join(dir, 'dist'), TLS_CERT: pair.certPath, TLS_KEY: pair.keyPath, STREAM_HEARTBEAT_MS: '200' });
    t.server.app.server.on('secureConnection', () => tlsConnections++);
    origin = t.url.replace('http://', 'https://');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the dashboard and holds 10 event streams on one connection, each receiving the session', async () => {
    // Node drops a connection-specific header on an HTTP/2 response with a warning (or throws, outside the compatibility API).
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const session = http2Connect(origin, { ca: cert });
    try {
      const page = await h2(session, '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(cspOf(page.headers)).toContain('upgrade-insecure-requests');
      expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const asset = await h2(session, ASSET, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(asset.headers['content-encoding']).toBe('br');
      expect(asset.headers['cache-control']).toBe(IMMUTABLE);
      expect(brotliDecompressSync(asset.body).toString()).toBe(js);

      const signedUp = await h2(session, '/api/auth/signup', { method: 'POST', body: { email: 'h2@example.com', password: 'correct horse battery' } });
      expect(signedUp.status).toBe(201);
      const auth = { authorization: `Bearer ${JSON.parse(signedUp.body.toString()).access_token}` };
      const created = await h2(session, '/api/models', { method: 'POST', headers: auth, body: { name: 'Over h2', agent: { kind: 'sma_crossover', params: { fast: 3, slow: 8 } } } });
      expect(created.status).toBe(201);
      const id = JSON.parse(created.body.toString()).id as number;
      const { ticket } = JSON.parse((await h2(session, '/api/stream/ticket', { method: 'POST', headers: auth })).body.toString());

      const streams = Array.from({ length: 10 }, (_, i) => h2Events(session, i % 2 ? `/api/trading/stream/${id}?ticket=${ticket}` : `/api/stream?ticket=${ticket}`));
      for (const head of await Promise.all(streams.map((s) => s.head))) {
        expect(head[':status']).toBe(200);
        expect(head['content-type']).toBe('text/event-stream; charset=utf-8');
        expect(head['content-encoding']).toBeUndefined();
        expect(head.connection).toBeUndefined();
      }
      await until(
        () => streams.every((s) => s.events.some((e) => e.type === 'connected')),
        () => `connected on ${streams.filter((s) => s.events.length > 0).length} of 10 streams`,
      );
      expect((await h2(session, `/api/trading/start/${id}`, { method: 'POST', headers: auth, body: { start_date: '2026-09-01', pace_ms: 0 } })).status).toBe(202);
      await until(
        () => streams.every((s) => s.events.some((e) => e.type === 'complete')),
        () => `complete on ${streams.filter((s) => s.events.some((e) => e.type === 'complete')).length} of 10 streams`,
      );
      const ids = streams.map((s) => s.events.filter((e) => e.type !== 'connected').map((e) => e.id));
      expect(ids[0]!.length).toBeGreaterThan(5);
      for (const seen of ids) expect(seen).toEqual(ids[0]);
      expect(tlsConnections).toBe(1);
      expect(warnings).toEqual([]);
      for (const s of streams) s.close();
    } finally {
      session.close();
      process.off('warning', onWarning);
    }
  });

  it('still answers HTTP/1.1 clients over TLS', async () => {
    const res = await new Promise<{ status: number; version: string; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${origin}/api/health`, { ca: cert }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, version: r.httpVersion, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.version).toBe('1.1');
    expect(JSON.parse(res.body)).toHaveProperty('status');
  });
});
