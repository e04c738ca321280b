import { cpus } from 'node:os';
import { Child } from '../lib/child.js';
import { nowMs, sleep } from '../lib/clock.js';
import { fixed, int, ms, ratio, table } from '../lib/format.js';
import { Histogram } from '../lib/histogram.js';
import { type Part, number, numbers } from '../lib/part.js';
import { findPeerPython } from './peer.js';
import {
  type ClientConn,
  type FromClient,
  type FromServer,
  SCENARIOS,
  type ScenarioName,
  TARGETS,
  type TargetKind,
  type ToClient,
  type ToServer,
  modelsFor,
} from './protocol.js';

export interface FanoutOptions {
  /** Set by `run`: the peer's runtime, or why it was skipped. */
  peer?: { versions: string } | { skipped: string };
  sizes: number[];
  scenarios: ScenarioName[];
  targets: TargetKind[];
  warmupS: number;
  durationS: number;
  /** Events received later than this after the window closed count as drops. */
  graceS: number;
  clientProcs: number;
}

export interface CaseResult {
  scenario: ScenarioName;
  target: TargetKind;
  connections: number;
  models: number;
  opened: number;
  failed: number;
  rampS: number;
  /** Events the source emitted per second in the window, and what it was asked to. */
  emittedPerS: number;
  scheduledPerS: number;
  expected: number;
  delivered: number;
  deliveredPerS: number;
  drops: number;
  disconnects: number;
  p50: number;
  p99: number;
  max: number;
  serverCpuPct: number;
  /** Server CPU per delivered event, in µs: the efficiency the ratios compare. */
  cpuUsPerDelivery: number;
  rssBaseMb: number;
  rssPerConnKb: number;
  rssIdlePerConnKb: number;
  clientCpuPct: number;
}

const serverEntry = new URL('./server.js', import.meta.url);
const peerEntry = new URL('./peer-server.js', import.meta.url);
const clientEntry = new URL('./client.js', import.meta.url);

/** One target, one scenario, one size: a fresh server process and fresh client processes. */
async function runCase(o: FanoutOptions, scenario: ScenarioName, target: TargetKind, connections: number): Promise<CaseResult> {
  const models = modelsFor(scenario, connections);
  const { ratePerModel } = SCENARIOS[scenario];
  const server = new Child<ToServer, FromServer>(`${target} server`, target === 'peer' ? peerEntry : serverEntry, ['--expose-gc']);
  const clients: Child<ToClient, FromClient>[] = [];
  try {
    server.send({ type: 'setup', target, models });
    const ready = await server.receive('ready', 120_000);

    const rampStart = nowMs();
    const shares: ClientConn[][] = Array.from({ length: o.clientProcs }, () => []);
    for (let k = 0; k < connections; k++) shares[k % o.clientProcs]!.push({ path: ready.paths[k % models]!, model: k % models });
    for (const [i, conns] of shares.entries()) {
      const client = new Child<ToClient, FromClient>(`client ${i}`, clientEntry);
      clients.push(client);
      client.send({ type: 'open', port: ready.port, conns, maxPending: 32, timeoutMs: 30_000 });
    }
    const openedMsgs = await Promise.all(clients.map((c) => c.receive('opened', 60_000 + connections * 20)));
    const rampS = (nowMs() - rampStart) / 1000;
    const failed = openedMsgs.reduce((n, m) => n + m.failed, 0);
    const firstError = openedMsgs.find((m) => m.firstError)?.firstError;
    server.send({ type: 'settle' });
    const settled = await server.receive('settled', 60_000);

    const measureFrom = nowMs() + o.warmupS * 1000;
    const endAt = measureFrom + o.durationS * 1000;
    clients.forEach((c) => c.send({ type: 'measure', from: measureFrom }));
    server.send({ type: 'start', ratePerModel, measureFrom, endAt });
    const done = await server.receive('done', (o.warmupS + o.durationS) * 1000 + 60_000);
    await sleep(o.graceS * 1000);
    clients.forEach((c) => c.send({ type: 'report' }));
    const reports = await Promise.all(clients.map((c) => c.receive('report', 60_000)));

    const latency = new Histogram();
    let expected = 0;
    let delivered = 0;
    for (const r of reports) {
      latency.merge(r.latency);
      r.opened.forEach((n, m) => (expected += n * (done.emitted[m] ?? 0)));
      delivered += r.received.reduce((a, b) => a + b, 0);
    }
    const opened = connections - failed;
    if (failed > 0) console.warn(`  ${failed} connections failed to open: ${firstError}`);
    const windowS = done.wallMs / 1000;
    const emitted = done.emitted.reduce((a, b) => a + b, 0);
    return {
      scenario,
      target,
      connections,
      models,
      opened,
      failed,
      rampS,
      emittedPerS: emitted / windowS,
      scheduledPerS: done.scheduled / o.durationS,
      expected,
      delivered,
      deliveredPerS: delivered / windowS,
      drops: Math.max(0, expected - delivered),
      disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
      p50: latency.percentile(50),
      p99: latency.percentile(99),
      max: latency.max,
      serverCpuPct: (done.cpuMs / done.wallMs) * 100,
      cpuUsPerDelivery: delivered > 0 ? (done.cpuMs * 1000) / delivered : NaN,
      rssBaseMb: ready.rssBase / 1_048_576,
      rssPerConnKb: (done.rssPeak - ready.rssBase) / 1024 / Math.max(1, opened),
      rssIdlePerConnKb: (settled.rss - ready.rssBase) / 1024 / Math.max(1, opened),
      clientCpuPct: (reports.reduce((n, r) => n + r.cpuMs, 0) / (done.wallMs + o.graceS * 1000)) * 100,
    };
  } finally {
    await Promise.all([...clients, server].map((c) => c.stop()));
  }
}

const TARGET_NAMES: Record<TargetKind, string> = { tradewire: 'Tradewire', naive: 'naive baseline', limit: 'limit (node:net)', peer: 'peer (seed design, Python)' };

/** The peer's own section: how the seed backend's design compares with Tradewire, case by case. */
function renderPeer(o: FanoutOptions, results: CaseResult[]): string[] {
  if (o.peer && 'skipped' in o.peer) return ['', `**peer**: skipped: ${o.peer.skipped}.`];
  const rows: string[][] = [];
  for (const scenario of o.scenarios) {
    for (const size of o.sizes) {
      const of = (t: TargetKind) => results.find((r) => r.scenario === scenario && r.connections === size && r.target === t);
      const [tw, peer] = [of('tradewire'), of('peer')];
      if (!tw || !peer) continue;
      rows.push([
        `${scenario}, ${int(size)}`,
        `${int(peer.deliveredPerS)} / ${int(tw.deliveredPerS)}`,
        `${fixed(peer.cpuUsPerDelivery, 1)} / ${fixed(tw.cpuUsPerDelivery, 1)}`,
        ratio(peer.cpuUsPerDelivery, tw.cpuUsPerDelivery),
        `${ms(peer.p99)} / ${ms(tw.p99)}`,
        `${int(peer.drops)} of ${int(peer.expected)}`,
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    '',
    `#### Peer: the seed backend's design (FastAPI, one asyncio.Queue per client, json.dumps per client) vs Tradewire`,
    '',
    `bench/peer/seed_backend.py on ${o.peer && 'versions' in o.peer ? o.peer.versions : 'Python'}, driven by the same client processes at the same rate; ` +
      `its event source runs in its own event loop (as the seed's trading agents do), and its CPU and RSS are its own process's ` +
      `(\`time.process_time\`, \`/proc/self/statm\`). Goal: Tradewire at least 10x better CPU per delivery at 5,000 connections.`,
    '',
    table(['Scenario, conns', 'Delivered/s (peer / Tradewire)', 'CPU µs/delivery (peer / Tradewire)', 'Peer CPU per delivery ÷ Tradewire', 'p99 ms (peer / Tradewire)', 'Peer drops'], rows),
  ];
}

function render(o: FanoutOptions, results: CaseResult[]): string {
  const out: string[] = [
    `Clients in ${o.clientProcs} separate processes hold raw HTTP/1.1 connections over loopback; each server runs in its own ` +
      `process with the event source inside it. Per case: ${o.warmupS} s warm-up, ${o.durationS} s measured, ${o.graceS} s grace ` +
      `for in-flight events. Latency is from \`emitted_at\` (set just before publish, monotonic clock) to the client's read. ` +
      `CPU and RSS are the server process's own (\`process.cpuUsage\`, \`process.memoryUsage.rss\`); CPU % is of one core. ` +
      `RSS/conn is (peak RSS in the window - RSS before any connection) / connections. Drops: events a connected client should have ` +
      `received in the window but did not (including after a server-side disconnect); clients never reconnect.`,
    '',
    '- **Tradewire**: `createServer` (Fastify, SQLite in a temp dir, JWT on the query string, snapshot on connect); events published with `ctx.bus.commit` (frame serialised once, per-client bounded buffer).',
    '- **naive baseline**: `node:http`, one queue and one consumer loop per client, `JSON.stringify` per client, writes without any buffering control (the seed backend\'s design).',
    '- **limit**: bare `node:net`, one pre-serialised frame written to every socket.',
    "- **peer**: the seed backend's own design in Python: FastAPI on uvicorn, one `asyncio.Queue` per client, `json.dumps` per client, a keep-alive after 30 s of quiet (bench/peer/seed_backend.py).",
  ];
  for (const scenario of o.scenarios) {
    const rows = results.filter((r) => r.scenario === scenario);
    if (rows.length === 0) continue;
    out.push('', `#### ${SCENARIOS[scenario].title}`, '');
    out.push(
      table(
        ['Server', 'Conns', 'Models', 'Events/s (emitted/asked)', 'Delivered/s', 'p50 ms', 'p99 ms', 'max ms', 'Server CPU %', 'CPU µs/delivery', 'RSS/conn KB (idle)', 'Drops', 'Disconnects', 'Connect s'],
        rows.map((r) => [
          TARGET_NAMES[r.target],
          int(r.connections),
          int(r.models),
          `${fixed(r.emittedPerS, 0)} / ${fixed(r.scheduledPerS, 0)}`,
          int(r.deliveredPerS),
          ms(r.p50),
          ms(r.p99),
          ms(r.max),
          fixed(r.serverCpuPct, 0),
          fixed(r.cpuUsPerDelivery, 2),
          `${fixed(r.rssPerConnKb, 1)} (${fixed(r.rssIdlePerConnKb, 1)})`,
          int(r.drops),
          int(r.disconnects),
          fixed(r.rampS, 1),
        ]),
      ),
    );
  }
  const ratioRows: string[][] = [];
  for (const scenario of o.scenarios) {
    for (const size of o.sizes) {
      const of = (t: TargetKind) => results.find((r) => r.scenario === scenario && r.connections === size && r.target === t);
      const [tw, naive, limit] = [of('tradewire'), of('naive'), of('limit')];
      if (!tw) continue;
      const pair = (f: (r: CaseResult) => number) => `${naive ? ratio(f(tw), f(naive)) : 'n/a'} / ${limit ? ratio(f(tw), f(limit)) : 'n/a'}`;
      ratioRows.push([
        `${scenario}, ${int(size)}`,
        pair((r) => r.deliveredPerS),
        pair((r) => r.cpuUsPerDelivery),
        pair((r) => r.p99),
        pair((r) => r.rssPerConnKb),
      ]);
    }
  }
  if (ratioRows.length > 0) {
    out.push('', '#### Ratios: Tradewire vs naive / Tradewire vs limit (below 1x: Tradewire uses less)', '');
    out.push(table(['Scenario, conns', 'Delivered/s', 'CPU per delivery', 'p99 latency', 'RSS per conn'], ratioRows));
  }
  if (o.peer) out.push(...renderPeer(o, results));
  const clientCpu = Math.max(...results.map((r) => r.clientCpuPct));
  out.push('', `The client processes share the machine's cores with the server: together they used up to ${fixed(clientCpu, 0)} % of one core in a case.`);
  return out.join('\n');
}

export const fanout: Part<FanoutOptions> = {
  name: 'fanout',
  title: 'SSE fan-out (bench/src/stream-fanout)',
  options: ({ full, values }) => ({
    sizes: numbers(values.sizes, [1000, 5000, 10_000]),
    scenarios: (values.scenarios?.split(',') ?? Object.keys(SCENARIOS)) as ScenarioName[],
    targets: (values.targets?.split(',') ?? TARGETS) as TargetKind[],
    warmupS: number(values.warmup, full ? 3 : 1),
    durationS: number(values.duration, full ? 30 : 8),
    graceS: number(values.grace, 2),
    clientProcs: number(values['client-procs'], Math.max(2, Math.min(4, cpus().length))),
  }),
  async run(o, log) {
    const results: CaseResult[] = [];
    if (o.targets.includes('peer')) {
      const found = findPeerPython();
      o.peer = 'missing' in found ? { skipped: found.missing } : { versions: found.versions };
      if ('missing' in found) {
        log(`fanout: peer skipped: ${found.missing}`);
        o.targets = o.targets.filter((t) => t !== 'peer');
      }
    }
    for (const scenario of o.scenarios) {
      for (const size of o.sizes) {
        for (const target of o.targets) {
          log(`fanout: ${scenario}, ${size} connections, ${target}`);
          const r = await runCase(o, scenario, target, size);
          log(
            `  delivered ${int(r.deliveredPerS)}/s, p50 ${ms(r.p50)} p99 ${ms(r.p99)} max ${ms(r.max)} ms, CPU ${fixed(r.serverCpuPct, 0)}%, ` +
              `${fixed(r.rssPerConnKb)} KB/conn, drops ${int(r.drops)}, disconnects ${r.disconnects}, connect ${fixed(r.rampS)} s`,
          );
          results.push(r);
        }
      }
    }
    return { markdown: render(o, results), data: { options: o, results } };
  },
};
