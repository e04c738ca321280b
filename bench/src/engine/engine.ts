import { Child } from '../lib/child.js';
import { fixed, int, ratio, table } from '../lib/format.js';
import { type Part, number } from '../lib/part.js';
import pg from 'pg';
import { type EngineMode, type FromCase, PG_ADMIN_URL, type ToCase } from './case.js';

export interface EngineOptions {
  years: number;
  concurrent: number;
  /** Each case runs this many times in fresh processes; the median is reported. */
  repeat: number;
}

interface CaseSummary {
  label: string;
  mode: EngineMode;
  runs: number;
  threads: number;
  symbolSteps: number;
  wallSeconds: number;
  symbolStepsPerS: number;
  runP50: number;
  runMax: number;
}

const caseEntry = new URL('./case.js', import.meta.url);

async function measure(label: string, mode: EngineMode, runs: number, threads: number | undefined, o: EngineOptions): Promise<CaseSummary> {
  const samples: FromCase[] = [];
  for (let i = 0; i < o.repeat; i++) {
    const child = new Child<ToCase, FromCase>(`engine ${mode}`, caseEntry);
    try {
      child.send({ type: 'run', mode, runs, years: o.years, threads });
      const r = await child.receive('result', 15 * 60_000);
      const failed = r.statuses.filter((s) => s !== 'completed');
      if (failed.length > 0) throw new Error(`engine ${mode}: runs ended ${failed.join(', ')}`);
      samples.push(r);
    } finally {
      await child.stop();
    }
  }
  samples.sort((a, b) => a.wallSeconds - b.wallSeconds);
  const r = samples[Math.floor(samples.length / 2)]!;
  const sorted = [...r.runSeconds].sort((a, b) => a - b);
  return {
    label,
    mode,
    runs,
    threads: r.threads,
    symbolSteps: r.steps * r.symbols,
    wallSeconds: r.wallSeconds,
    symbolStepsPerS: (r.steps * r.symbols) / r.wallSeconds,
    runP50: sorted[Math.floor(sorted.length / 2)]!,
    runMax: sorted.at(-1)!,
  };
}

/** Whether the PostgreSQL cases can run: the server answers. */
async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function render(o: EngineOptions, c: CaseSummary[]): string {
  const find = (mode: EngineMode, runs: number, threaded: boolean) => c.find((s) => s.mode === mode && s.runs === runs && s.threads > 0 === threaded);
  const noStorage = find('no-storage', 1, false)!;
  const engineOnly = find('engine-only', 1, false)!;
  const one = find('persisted', 1, true);
  const oneLoop = find('persisted', 1, false)!;
  const many = find('persisted', o.concurrent, true);
  const manyLoop = find('persisted', o.concurrent, false)!;
  const pgOne = find('persisted-pg', 1, true) ?? find('persisted-pg', 1, false);
  const pgMany = find('persisted-pg', o.concurrent, true) ?? find('persisted-pg', o.concurrent, false);
  const threads = one?.threads ?? 0;
  return [
    `\`sma_crossover\` (10/30) over the simulated market (30 symbols, MARKET_YEARS=${o.years}: every trading day from the first ` +
      `to the last), pace 0, one run per model, each case in a fresh process, median of ${o.repeat}. A symbol-step is one symbol ` +
      `on one trading day. Times run from \`start\` (planning included) to the \`complete\` event.`,
    '',
    `- **persisted**: the trading runtime's \`start(model, plan, 0)\` (pace 0) on SQLite in a temp dir, as \`npm start\` runs it: the backtests play on the server's default engine threads (ENGINE_THREADS=${threads} on this machine), which work out each step while the server's event loop stores the previous one (cash, positions, trades, the equity point and its events in one transaction) and delivers its events.`,
    '- **persisted, event loop**: the same with ENGINE_THREADS=0: sessions play on the server\'s event loop (how every run played before engine threads).',
    '- **no storage** (the in-process limit): the same `Session` on the event loop, launched by `SessionRunner`, with the real in-memory bus (frames serialised, nobody subscribed) over a storage that writes nothing.',
    '- **engine only**: as no storage, with a bus that drops events: agent, broker and portfolio maths alone.',
    `- **PostgreSQL**: as persisted, on the PostgreSQL server at ${new URL(PG_ADMIN_URL).host} (a database of its own, dropped afterwards; the pool's default 10 connections).`,
    '',
    table(
      ['Case', 'Engine threads', 'Runs', 'Symbol-steps', 'Wall s', 'Symbol-steps/s', 'Run s p50', 'Run s max'],
      c.map((s) => [s.label, s.threads, s.runs, int(s.symbolSteps), fixed(s.wallSeconds, 2), int(s.symbolStepsPerS), fixed(s.runP50, 2), fixed(s.runMax, 2)]),
    ),
    '',
    (one ? `Persisted vs no storage: ${ratio(one.symbolStepsPerS, noStorage.symbolStepsPerS)} the throughput on engine threads, ` : 'Persisted vs no storage: ') +
      `${ratio(oneLoop.symbolStepsPerS, noStorage.symbolStepsPerS)} on the event loop; ` +
      `event loop vs engine only: ${ratio(oneLoop.symbolStepsPerS, engineOnly.symbolStepsPerS)}.`,
    '',
    (many && one
      ? `${o.concurrent} concurrent persisted runs on engine threads: ${ratio(many.symbolStepsPerS, oneLoop.symbolStepsPerS)} the throughput of one run on the event loop, ` +
        `${ratio(many.symbolStepsPerS, one.symbolStepsPerS)} of one on engine threads (all ${o.concurrent} complete in ${fixed(many.wallSeconds, 1)} s). `
      : '') +
      `On the event loop: ${ratio(manyLoop.symbolStepsPerS, oneLoop.symbolStepsPerS)} of one (${fixed(manyLoop.wallSeconds, 1)} s; one alone takes ${fixed(oneLoop.wallSeconds, 1)} s).`,
    '',
    pgOne && pgMany
      ? `PostgreSQL: one run ${int(pgOne.symbolStepsPerS)} symbol-steps/s (${ratio(pgOne.symbolStepsPerS, noStorage.symbolStepsPerS)} of no storage); ` +
        `${pgMany.runs} concurrent runs: ${ratio(pgMany.symbolStepsPerS, pgOne.symbolStepsPerS)} the throughput of one.`
      : `PostgreSQL cases skipped: no server answered at ${new URL(PG_ADMIN_URL).host} (set BENCH_PG_URL).`,
  ].join('\n');
}

export const engine: Part<EngineOptions> = {
  name: 'engine',
  title: 'Trading engine (bench/src/engine)',
  options: ({ full, values }) => ({
    years: number(values.years, 10),
    concurrent: number(values.concurrent, 20),
    repeat: number(values.repeat, full ? 3 : 1),
  }),
  async run(o, log) {
    // Threads undefined: the server's default (ENGINE_THREADS unset), as `npm start` runs it.
    const cases: [string, EngineMode, number, number | undefined][] = [
      ['persisted', 'persisted', 1, undefined],
      ['persisted, event loop', 'persisted', 1, 0],
      ['no storage', 'no-storage', 1, 0],
      ['engine only', 'engine-only', 1, 0],
      [`persisted, ${o.concurrent} concurrent`, 'persisted', o.concurrent, undefined],
      [`persisted, ${o.concurrent} concurrent, event loop`, 'persisted', o.concurrent, 0],
    ];
    if (await postgresReachable()) {
      cases.push(['persisted, PostgreSQL', 'persisted-pg', 1, undefined], [`persisted, PostgreSQL, ${o.concurrent} concurrent`, 'persisted-pg', o.concurrent, undefined]);
    } else log(`engine: PostgreSQL at ${new URL(PG_ADMIN_URL).host} is not reachable: its cases are skipped`);
    const results: CaseSummary[] = [];
    for (const [label, mode, runs, threads] of cases) {
      log(`engine: ${label}`);
      const s = await measure(label, mode, runs, threads, o);
      log(`  ${int(s.symbolStepsPerS)} symbol-steps/s, ${fixed(s.wallSeconds, 2)} s`);
      results.push(s);
    }
    return { markdown: render(o, results), data: { options: o, results } };
  },
};
