import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer } from '../../../../apps/server/dist/compose.js';
import { loadConfig } from '../../../../apps/server/dist/config/config.js';
import { HOST, type FanoutTarget } from './target.js';

/**
 * The real server (`createServer`, SQLite in a temp dir, Fastify, JWT auth, snapshots on
 * connect). Events go straight into its bus, exactly as a session's `commit` sends them.
 */
export async function startTradewire(models: number, onPublishError: () => void): Promise<FanoutTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-bench-'));
  const config = loadConfig({ DATA_DIR: dir, HOST, PORT: '0', LOG_LEVEL: 'warn', MARKET_YEARS: '1' });
  const logs = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const server = await createServer(config, { logStream: logs });
  const { app, ctx } = server;

  const signup = await app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { email: 'bench@example.com', password: 'correct horse battery' },
  });
  if (signup.statusCode !== 201) throw new Error(`signup: ${signup.statusCode} ${signup.body}`);
  const { access_token: token, user } = signup.json() as { access_token: string; user: { id: number } };
  const ids: number[] = [];
  for (let i = 0; i < models; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/models',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: `bench ${i}`, agent: { kind: 'buy_and_hold' } },
    });
    if (res.statusCode !== 201) throw new Error(`create model: ${res.statusCode} ${res.body}`);
    ids.push((res.json() as { id: number }).id);
  }

  await app.listen({ host: HOST, port: 0 });
  const address = app.server.address();
  const noPersist = async () => {};
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    paths: ids.map((id) => `/api/trading/stream/${id}?token=${token}`),
    publish(model, data) {
      ctx.bus.commit([{ type: 'trade', model_id: ids[model]!, user_id: user.id, run_id: null, data }], noPersist).catch(onPublishError);
    },
    connections: () => ctx.bus.stats().subscribers,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
