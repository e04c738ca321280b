import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../server/src/config/config.js';
import { createServer, type Server } from '../../../server/src/compose.js';

/** The dashboard the global setup built: what a user of this checkout would be served. */
export const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url));

export interface E2EServer {
  /** `http://127.0.0.1:<port>`: the same across restarts, so the browser's stream comes back to it. */
  url: string;
  dataDir: string;
  /** Stops the server (running sessions end `interrupted`, streams close); the port is then refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory (the same users, models and event ids). */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
  /** A REST call as the holder of `token`; throws on a non-2xx answer. */
  api<T = any>(method: string, path: string, token: string, body?: unknown): Promise<T>;
}

/** A port nobody listens on right now: the OS picks one, we let it go and reuse its number. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const addr = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof addr !== 'object' || !addr) throw new Error('could not pick a free port');
  return addr.port;
}

/** A real API node in this process (SQLite in a temp dir, in-process bus) serving the built dashboard. */
export async function startE2EServer(env: Record<string, string> = {}): Promise<E2EServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradewire-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Server logs would bury the test output; keep them out of it.
  const quiet = new Writable({ write: (_chunk, _enc, cb) => cb() });
  // Fake LLM providers listen on loopback; a test file signs up more accounts than a person would.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', MARKET_YEARS: '3', WEB_DIST, LLM_ALLOW_PRIVATE_HOSTS: '1', SIGNUP_MAX_PER_IP: '1000', ...env });
  let server: Server | null = null;

  const start = async () => {
    if (server) return;
    const next = await createServer(config, { logStream: quiet });
    await next.app.listen({ port, host: '127.0.0.1' });
    server = next;
  };
  const stop = async () => {
    const current = server;
    server = null;
    await current?.close();
  };
  await start();

  return {
    url,
    dataDir,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async api(method, path, token, body) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}
