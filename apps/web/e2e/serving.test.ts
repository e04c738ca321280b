import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { createSelfSignedPair } from '../../server/src/cli/self-signed.js';
import { signUp } from './support/app';
import { launchBrowser, openPage } from './support/browser';
import { freePort, startE2EServer, type E2EServer } from './support/server';

/** Resolved to 127.0.0.1 by Chromium itself: a host name that is neither localhost nor an IP. */
const HOST = 'tradewire.test';
const IMMUTABLE = 'public, max-age=31536000, immutable';

let browser: Browser;
let plain: E2EServer;
let secure: E2EServer;
let tlsDir: string;
/** Another web app's origin, allowed in CORS_ORIGINS, and one that is not. */
let allowedApp: { server: Server; origin: string };
let foreignApp: { server: Server; origin: string };

/** A page from another origin: what matters is where it comes from, the test runs its script. */
async function otherApp(): Promise<{ server: Server; origin: string }> {
  const port = await freePort();
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Another app</title>'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  tlsDir = mkdtempSync(join(tmpdir(), 'tradewire-e2e-tls-'));
  const pair = createSelfSignedPair(tlsDir, ['localhost', HOST, '127.0.0.1']);
  [allowedApp, foreignApp] = await Promise.all([otherApp(), otherApp()]);
  [browser, plain, secure] = await Promise.all([
    launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`, '--ignore-certificate-errors']),
    startE2EServer({ CORS_ORIGINS: allowedApp.origin }),
    startE2EServer({ TLS_CERT: pair.certPath, TLS_KEY: pair.keyPath }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([plain?.close(), secure?.close()]);
  for (const app of [allowedApp, foreignApp]) app?.server.close();
  rmSync(tlsDir, { recursive: true, force: true });
});

/** Everything that went wrong on the wire or in the console of `page`, and every response seen. */
function watch(page: Page) {
  const problems: string[] = [];
  const responses: Response[] = [];
  page.on('requestfailed', (r) => {
    // The dashboard cancels its own queries when sign-up takes it to the dashboard: not a failure to load.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    responses.push(r);
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  return { problems, responses };
}

/** The dashboard's scripts as served: encoded bytes on the wire, decoded bytes, encoding, cache header. */
async function scripts(responses: Response[]) {
  const js = responses.filter((r) => r.request().resourceType() === 'script');
  return Promise.all(
    js.map(async (r) => ({
      url: r.url(),
      wire: (await r.request().sizes()).responseBodySize,
      raw: (await r.body()).length,
      encoding: await r.headerValue('content-encoding'),
      cache: await r.headerValue('cache-control'),
    })),
  );
}

const report = (label: string, js: Awaited<ReturnType<typeof scripts>>) => {
  const raw = js.reduce((n, s) => n + s.raw, 0);
  const wire = js.reduce((n, s) => n + s.wire, 0);
  console.log(`${label}: ${js.length} script(s), ${raw} bytes of JavaScript, ${wire} bytes on the wire (${js.map((s) => s.encoding).join(', ')}); cache-control: ${js[0]?.cache}`);
};

test('the dashboard opens over plain HTTP under another host name: no failed request, no console error', async () => {
  const base = plain.url.replace('127.0.0.1', HOST);
  const { context, page, errors } = await openPage(browser, base);
  const { problems, responses } = watch(page);
  try {
    await signUp(page);
    expect(new URL(page.url()).origin).toBe(base);
    const doc = responses.find((r) => r.request().resourceType() === 'document')!;
    expect(await doc.headerValue('cache-control')).toBe('no-cache');
    expect(await doc.headerValue('content-security-policy')).not.toContain('upgrade-insecure-requests');

    const js = await scripts(responses);
    expect(js.length).toBeGreaterThan(0);
    for (const s of js) {
      expect(s.url.startsWith(`${base}/assets/`), s.url).toBe(true);
      expect(s.cache).toBe(IMMUTABLE);
      // Chromium offers brotli on https only: gzip here.
      expect(s.encoding).toBe('gzip');
    }
    expect(js.reduce((n, s) => n + s.wire, 0)).toBeLessThan(js.reduce((n, s) => n + s.raw, 0) / 2);
    report('plain HTTP', js);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('over HTTPS with a self-signed certificate the dashboard speaks HTTP/2 and holds 10 more streams at once', async () => {
  const base = secure.url.replace('http://127.0.0.1', `https://${HOST}`);
  const { context, page, errors } = await openPage(browser, base);
  const { problems, responses } = watch(page);
  try {
    await signUp(page);
    // Every response arrived over HTTP/2 (cancelled requests have no protocol).
    const protocols = await page.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => (e as PerformanceResourceTiming).nextHopProtocol).filter(Boolean),
    );
    expect(protocols.length).toBeGreaterThan(10);
    expect(new Set(protocols)).toEqual(new Set(['h2']));
    const js = await scripts(responses);
    for (const s of js) {
      expect(s.encoding).toBe('br');
      expect(s.cache).toBe(IMMUTABLE);
    }
    report('HTTPS/2', js);

    // Besides the dashboard's own stream: over HTTP/1.1 the 7th connection to one origin would wait.
    const seen = await page.evaluate(async () => {
      const token = JSON.parse(localStorage.getItem('tradewire.session')!).accessToken as string;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      const model = await call('POST', '/api/models', { name: 'Ten streams', agent: { kind: 'buy_and_hold', params: {} } });
      const { ticket } = await call('POST', '/api/stream/ticket');
      const streams = Array.from({ length: 10 }, (_, i) => {
        const es = new EventSource(i % 2 ? `/api/trading/stream/${model.id}?ticket=${ticket}` : `/api/stream?models=${model.id}&ticket=${ticket}`);
        const types: string[] = [];
        es.addEventListener('message', (m) => types.push(JSON.parse(m.data).type));
        const arrived = (type: string) => new Promise<void>((resolve) => es.addEventListener('message', (m) => JSON.parse(m.data).type === type && resolve()));
        return { es, types, connected: arrived('connected'), complete: arrived('complete') };
      });
      await Promise.all(streams.map((s) => s.connected));
      const open = streams.filter((s) => s.es.readyState === EventSource.OPEN).length;
      await call('POST', `/api/trading/start/${model.id}`, { start_date: '2026-09-01', pace_ms: 0 });
      await Promise.all(streams.map((s) => s.complete));
      streams.forEach((s) => s.es.close());
      return { open, types: streams.map((s) => s.types) };
    });
    expect(seen.open).toBe(10);
    for (const types of seen.types) {
      expect(types[0]).toBe('connected');
      expect(types).toContain('trade');
      expect(types.at(-1)).toBe('complete');
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a page on an origin in CORS_ORIGINS signs up, creates a model and streams its session; another origin is refused', async () => {
  const api = plain.url.replace('127.0.0.1', HOST);
  const { context, page } = await openPage(browser, allowedApp.origin);
  try {
    await page.goto('/');
    const seen = await page.evaluate(async (api) => {
      const json = async (res: globalThis.Response) => {
        if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      const post = (path: string, body: unknown, token?: string) =>
        fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then(json);
      const { access_token: token } = await post('/api/auth/signup', { email: `cors-${Date.now()}@example.com`, password: 'correct horse battery' });
      const model = await post('/api/models', { name: 'From elsewhere', agent: { kind: 'buy_and_hold', params: {} } }, token);
      const types: string[] = [];
      const es = new EventSource(`${api}/api/trading/stream/${model.id}?token=${token}`);
      const connected = new Promise<void>((resolve, reject) => {
        es.onopen = () => resolve();
        es.onerror = () => reject(new Error('the stream was refused'));
      });
      const complete = new Promise<void>((resolve) => {
        es.onmessage = (m) => {
          types.push(JSON.parse(m.data).type);
          if (types.at(-1) === 'complete') resolve();
        };
      });
      await connected;
      await post(`/api/trading/start/${model.id}`, { start_date: '2026-09-01', pace_ms: 0 }, token);
      await complete;
      es.close();
      return { types, token };
    }, api);
    expect(seen.types[0]).toBe('connected');
    expect(seen.types).toContain('trade');
    expect(seen.types.at(-1)).toBe('complete');

    await page.goto(foreignApp.origin);
    const refused = await page.evaluate(
      async ({ api, token }) => {
        const rest = await fetch(`${api}/api/models`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => `status ${r.status}`,
          (e: Error) => e.name,
        );
        const stream = await new Promise<number>((resolve) => {
          const es = new EventSource(`${api}/api/stream?token=${token}`);
          es.onopen = () => resolve(es.readyState);
          es.onerror = () => resolve(es.readyState);
        });
        return { rest, stream };
      },
      { api, token: seen.token },
    );
    // fetch rejects with a TypeError; the EventSource fails for good (CLOSED), it does not retry.
    expect(refused).toEqual({ rest: 'TypeError', stream: 2 });
  } finally {
    await context.close();
  }
});
