import { nowMs, sleep } from '../lib/clock.js';
import { parentChannel } from '../lib/child.js';
import { type FromServer, type ToServer, tradeData } from './protocol.js';
import { startLimit } from './targets/limit.js';
import { startNaive } from './targets/naive.js';
import type { FanoutTarget } from './targets/target.js';
import { startTradewire } from './targets/tradewire.js';

/**
 * The server process: runs one target and the event source inside it (as a trading session
 * would), and measures its own CPU and RSS so client work never counts against the server.
 */
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
/** RSS once garbage is collected and V8 has had a moment to hand freed pages back. */
async function settledRss() {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(100);
  }
  return process.memoryUsage.rss();
}

let target: FanoutTarget | undefined;
let publishErrors = 0;

const reply = parentChannel<ToServer, FromServer>(
  async (msg) => {
    if (msg.type === 'setup') {
      // The peer runs in its own (Python) process: see peer-server.ts.
      if (msg.target === 'peer') throw new Error('the peer target runs in peer-server.ts');
      const start = { tradewire: () => startTradewire(msg.models, () => publishErrors++), naive: startNaive, limit: startLimit }[msg.target];
      target = await start(msg.models);
      reply({ type: 'ready', port: target.port, paths: target.paths, rssBase: await settledRss() });
    } else if (msg.type === 'settle') {
      reply({ type: 'settled', rss: await settledRss(), connections: target!.connections() });
    } else if (msg.type === 'start') {
      reply({ type: 'done', ...(await emit(target!, msg.ratePerModel, msg.measureFrom, msg.endAt)), publishErrors });
    }
  },
  async () => {
    await target?.close();
  },
);

/**
 * Emits events round-robin over the models at `ratePerModel` each, from now until `endAt`;
 * counts (per model) and measures CPU only from `measureFrom` on, after a warm-up.
 */
async function emit(t: FanoutTarget, ratePerModel: number, measureFrom: number, endAt: number) {
  const models = t.paths.length;
  const perMs = (models * ratePerModel) / 1000;
  const tickMs = Math.max(1, Math.min(10, 1 / perMs));
  const emitted = new Array<number>(models).fill(0);
  const startAt = nowMs();
  let sent = 0;
  let rssPeak = 0;
  let cpu: NodeJS.CpuUsage | null = null;
  let measureStart = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 200);

  for (let now = startAt; now < endAt; now = nowMs()) {
    if (!cpu && now >= measureFrom) [cpu, measureStart] = [process.cpuUsage(), now];
    const due = Math.floor((Math.min(now, endAt) - startAt) * perMs);
    for (; sent < due; sent++) {
      const model = sent % models;
      const emittedAt = nowMs();
      t.publish(model, tradeData(sent, emittedAt));
      if (emittedAt >= measureFrom) emitted[model]!++;
    }
    await sleep(tickMs);
  }
  const used = process.cpuUsage(cpu ?? undefined);
  const wallMs = nowMs() - (cpu ? measureStart : startAt);
  clearInterval(sampler);
  return {
    emitted,
    scheduled: Math.round((endAt - measureFrom) * perMs),
    cpuMs: (used.user + used.system) / 1000,
    wallMs,
    rssPeak: Math.max(rssPeak, process.memoryUsage.rss()),
    connections: t.connections(),
  };
}
