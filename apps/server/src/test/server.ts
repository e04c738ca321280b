import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/config.js';
import { createServer, type Server } from '../compose.js';
import type { RuntimeOptions } from '../runtime.js';

export interface TestServer {
  url: string;
  server: Server;
  dataDir: string;
  /** Every log line written so far. */
  logs: string[];
  close(): Promise<void>;
  /** JSON request helper: returns status, parsed body and headers. */
  req<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
}

/**
 * What every test server allows unless a test says otherwise: fake LLM providers listen on
 * loopback, and test files sign up many accounts from 127.0.0.1. Security tests set both back.
 */
export const TEST_DEFAULTS = { LLM_ALLOW_PRIVATE_HOSTS: '1', SIGNUP_MAX_PER_IP: '10000' };

/** A real server on a loopback port with its own SQLite file in a temp dir. */
export async function startTestServer(env: Record<string, string> = {}, dataDir?: string, opts: RuntimeOptions = {}): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tradewire-test-'));
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'info', MARKET_YEARS: '3', ...TEST_DEFAULTS, ...env });
  const server = await createServer(config, { logStream, ...opts });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = server.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    server,
    dataDir: dir,
    logs,
    async close() {
      await server.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
    async req(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
  };
}

let counter = 0;
/** Signs up a fresh user and returns its token and id. */
export async function signup(t: TestServer, email = `user${++counter}-${Date.now()}@example.com`) {
  const res = await t.req('POST', '/api/auth/signup', { body: { email, password: 'correct horse battery' } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.access_token as string, user: res.body.user as { id: number; role: string; email: string } };
}
