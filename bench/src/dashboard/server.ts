import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer, type Server } from '../../../apps/server/dist/compose.js';
import { loadConfig } from '../../../apps/server/dist/config/config.js';
import { parentChannel } from '../lib/child.js';
import { nowMs, sleep } from '../lib/clock.js';
import { eventFor, type FromServer, type ToServer } from './protocol.js';

/**
 * The server process: the real Tradewire server (SQLite in a temp dir) serving `webDist` at `/`,
 * one user with `models` models, each with a real run started at the slowest pace (60 s per
 * trading day) so the models really are running; the benchmark's events then go straight into
 * the bus with those runs' ids, as a session's `commit` sends them.
 */
let server: Server | undefined;
let dir: string | undefined;
let runs: { modelId: number; userId: number; runId: number; startDate: string }[] = [];

const reply = parentChannel<ToServer, FromServer>(
  async (msg) => {
    if (msg.type === 'setup') reply(await setup(msg.models, msg.webDist));
    else if (msg.type === 'start') reply(await emit(msg.ratePerModel, msg.durationMs));
  },
  async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
);

async function setup(models: number, webDist: string): Promise<FromServer> {
  dir = mkdtempSync(join(tmpdir(), 'tradewire-bench-dashboard-'));
  const config = loadConfig({ DATA_DIR: dir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', MARKET_YEARS: '1', WEB_DIST: webDist });
  server = await createServer(config, { logStream: new Writable({ write: (_c, _e, cb) => cb() }) });
  const { app } = server;
  const call = async <T>(method: 'GET' | 'POST', url: string, payload?: object, token?: string): Promise<T> => {
    const res = await app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };

  const auth = await call<{ access_token: string; expires_in: number; user: { id: number; email: string; display_name: string; role: string } }>(
    'POST',
    '/api/auth/signup',
    { email: 'bench@example.com', password: 'correct horse battery', display_name: 'Bench' },
  );
  const token = auth.access_token;
  runs = [];
  for (let i = 0; i < models; i++) {
    const model = await call<{ id: number }>('POST', '/api/models', { name: `Bench ${i + 1}`, agent: { kind: 'buy_and_hold' } }, token);
    const run = await call<{ id: number; start_date: string }>('POST', `/api/trading/start/${model.id}`, { pace_ms: 60_000 }, token);
    runs.push({ modelId: model.id, userId: auth.user.id, runId: run.id, startDate: run.start_date });
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    type: 'ready',
    port: typeof address === 'object' && address ? address.port : 0,
    session: { accessToken: token, expiresAt: Date.now() + auth.expires_in * 1000, user: auth.user },
    modelIds: runs.map((r) => r.modelId),
  };
}

/**
 * `ratePerModel` events/s for every model, round-robin, for `durationMs`; one `commit` per event.
 * `emitted` counts what the bus delivered to a subscriber of the user meanwhile: the benchmark's
 * events and any the real runs sent (a run at pace 60 s takes its next step a minute in).
 */
async function emit(ratePerModel: number, durationMs: number): Promise<FromServer> {
  const { bus } = server!.ctx;
  let delivered = 0;
  const counter = await bus.subscribe({ userId: runs[0]!.userId }, undefined, { onEvent: () => delivered++, onClose: () => {} });
  const perMs = (runs.length * ratePerModel) / 1000;
  const startAt = nowMs();
  const endAt = startAt + durationMs;
  const noPersist = async () => {};
  let sent = 0;
  let publishErrors = 0;
  for (let now = startAt; now < endAt; now = nowMs()) {
    const due = Math.floor((now - startAt) * perMs);
    for (; sent < due; sent++) {
      const r = runs[sent % runs.length]!;
      const { type, data } = eventFor(Math.floor(sent / runs.length), r.startDate);
      const draft = { type, model_id: r.modelId, user_id: r.userId, run_id: r.runId, data } as never;
      bus.commit([draft], noPersist).catch(() => publishErrors++);
    }
    await sleep(Math.max(1, Math.min(10, 1 / perMs)));
  }
  const wallMs = nowMs() - startAt;
  await sleep(100);
  counter.unsubscribe();
  return { type: 'done', emitted: delivered, wallMs, publishErrors };
}
