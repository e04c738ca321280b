import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { Child } from '../lib/child.js';
import { fixed, int, ms, ratio, table } from '../lib/format.js';
import { type Part, number } from '../lib/part.js';
import { launchBrowser, openProbedPage, type PageReading } from './browser.js';
import type { FromServer, ToServer } from './protocol.js';

export const VARIANTS = ['tradewire', 'seed'] as const;
export type Variant = (typeof VARIANTS)[number];

/** One load: `models` models, each publishing `ratePerModel` events/s. */
export interface DashboardCase {
  models: number;
  ratePerModel: number;
}

export interface DashboardOptions {
  /** Run in the first case; later cases run the Tradewire dashboard only. */
  variants: Variant[];
  cases: DashboardCase[];
  durationS: number;
  /** Events flow this long before the window opens, so bounded buffers and caches are full. */
  warmupS: number;
  /** Quiet time after the page is ready (its first REST loads finish) before the window opens. */
  settleS: number;
  /** Time after the last event for it to land and render, inside the window. */
  graceS: number;
}

/** The JavaScript the page loaded for the dashboard route, as built files. */
export interface BundleReading {
  files: { path: string; raw: number; gzip: number }[];
  raw: number;
  gzip: number;
}

export interface VariantResult extends PageReading {
  variant: Variant;
  models: number;
  ratePerModel: number;
  bundle: BundleReading | null;
  emitted: number;
  emitWallMs: number;
  publishErrors: number;
  pageErrors: string[];
}

const root = new URL('../../../', import.meta.url);
const path = (rel: string) => fileURLToPath(new URL(rel, root));
/** Private build outputs (bench/dist is ignored by git): a concurrent `npm run build -w apps/web` cannot empty them mid-run. */
const WEB_DIST = path('bench/dist/web/');
const SEED_DIST = path('bench/dist/seed-page/');
const serverEntry = new URL('./server.js', import.meta.url);

/** The real dashboard (apps/web with its own vite config) and the seed page (bench/src/dashboard/seed-page). */
async function buildPages(variants: Variant[]) {
  const { build } = await import('vite');
  const quiet = { logLevel: 'warn' as const };
  if (variants.includes('tradewire')) await build({ ...quiet, root: path('apps/web/'), build: { outDir: WEB_DIST, emptyOutDir: true } });
  if (variants.includes('seed')) {
    await build({ ...quiet, configFile: false, root: path('bench/src/dashboard/seed-page/'), build: { outDir: SEED_DIST, emptyOutDir: true } });
  }
}

/** Sizes of the `.js` files the page loaded (paths under `dist`), raw and gzipped (zlib's default level). */
function bundleOf(dist: string, paths: string[]): BundleReading {
  const files = [...new Set(paths)].map((p) => {
    const code = readFileSync(new URL(`.${p}`, `file://${dist}`));
    return { path: p, raw: code.length, gzip: gzipSync(code).length };
  });
  files.sort((a, b) => b.gzip - a.gzip);
  return { files, raw: files.reduce((n, f) => n + f.raw, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

async function runVariant(o: DashboardOptions, variant: Variant, c: DashboardCase): Promise<VariantResult> {
  const server = new Child<ToServer, FromServer>(`${variant} server`, serverEntry);
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const dist = variant === 'tradewire' ? WEB_DIST : SEED_DIST;
    server.send({ type: 'setup', models: c.models, webDist: dist });
    const ready = await server.receive('ready', 120_000);
    const tab = await openProbedPage(browser, `http://127.0.0.1:${ready.port}`, ready.session);
    const { page } = tab;
    // Every script the route loads, until the window opens (lazy chunks included).
    const scripts: string[] = [];
    const onResponse = (res: { url(): string; ok(): boolean }) => {
      const { pathname } = new URL(res.url());
      if (res.ok() && pathname.endsWith('.js')) scripts.push(pathname);
    };
    page.on('response', onResponse);
    await page.goto('/');
    if (variant === 'tradewire') {
      for (const id of ready.modelIds) await page.locator(`[data-testid=model-card-${id}][data-status=running]`).waitFor();
      await page.locator('[data-testid=connection-status][data-status=live]').waitFor();
    } else {
      await page.locator('[data-testid=seed-model][data-connected=true]').first().waitFor();
    }
    await page.waitForTimeout(o.settleS * 1000);
    page.off('response', onResponse);
    if (o.warmupS > 0) {
      server.send({ type: 'start', ratePerModel: c.ratePerModel, durationMs: o.warmupS * 1000 });
      await server.receive('done', o.warmupS * 1000 + 60_000);
    }
    const { reading, result: done } = await tab.measure(async () => {
      server.send({ type: 'start', ratePerModel: c.ratePerModel, durationMs: o.durationS * 1000 });
      return server.receive('done', o.durationS * 1000 + 60_000);
    }, o.graceS * 1000);
    await tab.close();
    return {
      variant,
      models: c.models,
      ratePerModel: c.ratePerModel,
      bundle: bundleOf(dist, scripts),
      ...reading,
      emitted: done.emitted,
      emitWallMs: done.wallMs,
      publishErrors: done.publishErrors,
      pageErrors: tab.errors,
    };
  } finally {
    await browser?.close();
    await server.stop();
  }
}

const NAMES: Record<Variant, string> = { tradewire: 'Tradewire dashboard', seed: "seed's hook" };
const received = (r: VariantResult) => r.sources.reduce((n, s) => n + s.messages, 0);
const openStreams = (r: VariantResult) => r.sources.filter((s) => s.readyState === 1).length;
const windowS = (r: VariantResult) => r.windowMs / 1000;
const pct = (taskMs: number, r: VariantResult) => (taskMs / r.windowMs) * 100;
const busyPct = (r: VariantResult) => pct(r.taskMs, r);
const growth = (r: VariantResult) => r.heapEndMb - r.heapStartMb;
/** Main-thread ms per 1,000 events received: the cost of an event, whatever got through. */
const msPerK = (r: VariantResult) => (received(r) > 0 ? (r.taskMs / received(r)) * 1000 : NaN);

const kb = (bytes: number) => `${fixed(bytes / 1024, 0)} KB`;
const caseName = (c: DashboardCase) => `${c.models} models × ${c.ratePerModel} events/s`;
const fps = (r: VariantResult) => r.frames / windowS(r);

/** The goals of the performance round (issue 18), read off this run. */
const GOALS = { longTasks: 0, fps: 55, msPerK: 1000, routeGzipKb: 200 };

function caseTable(results: VariantResult[]) {
  return table(
    ['Page', 'Streams open / opened', 'Events received / emitted', 'Long tasks (ms)', 'Frames/s', 'Slow frames', 'Dropped frames', 'Worst frame ms', 'Main thread busy % (script / style+layout)', 'Main-thread ms / 1k events', 'Heap MB start → end', 'DOM elements start → end', 'REST requests'],
    results.map((r) => [
      NAMES[r.variant],
      `${openStreams(r)} / ${r.sources.length}`,
      `${int(received(r))} / ${int(r.emitted)}`,
      `${int(r.longTasks)} (${int(r.longTaskMs)})`,
      fixed(fps(r), 0),
      int(r.slowFrames),
      int(r.droppedFrames),
      ms(r.worstFrameMs),
      `${fixed(busyPct(r), 0)} (${fixed(pct(r.scriptMs, r), 0)} / ${fixed(pct(r.styleLayoutMs, r), 0)})`,
      fixed(msPerK(r), 0),
      `${fixed(r.heapStartMb)} → ${fixed(r.heapEndMb)}`,
      `${int(r.elementsStart)} → ${int(r.elementsEnd)}`,
      int(r.restRequests.length),
    ]),
  );
}

function render(o: DashboardOptions, results: VariantResult[]): string {
  const [first] = o.cases;
  const out = [
    `Headless Chromium (Debian's, driven by playwright-core), a 1440x900 page on the same origin as a Tradewire server in its own ` +
      `process. Each case: N models with a real run each (pace 60 s per trading day, so they are running and stay quiet); the ` +
      `benchmark then publishes R events/s per model (per model 2 \`progress\`, 1 \`trade\`, 1 \`portfolio\` in every 4, valid ` +
      `contract events with the runs' ids) straight into the server's bus for ${o.warmupS} s of warm-up, then ${o.durationS} s ` +
      `measured. The window runs from its first event to ${o.graceS} s after the last. Long tasks: a \`longtask\` ` +
      `PerformanceObserver. Slow frames: \`requestAnimationFrame\` intervals over 25 ms (1.5 frames); dropped frames: missed ` +
      `16.7 ms slots. Heap: CDP \`JSHeapUsedSize\` after \`HeapProfiler.collectGarbage\`, at the start and end of the window. ` +
      `Main thread: CDP \`TaskDuration\` over the window, of which \`ScriptDuration\` and \`RecalcStyleDuration\` + ` +
      `\`LayoutDuration\`. Events received: \`message\` events on the page's EventSources; emitted: events of those models ` +
      `the server's bus delivered meanwhile (a subscriber in the server process counts them). The seed's page runs in the first ` +
      `case only.`,
    '',
    "- **Tradewire dashboard**: apps/web as built from this checkout, signed in (session in localStorage), on `/`: one EventSource (`/api/stream`), events delivered to the page at most four times a second, 100 kept per model; cards, sparklines, stats, a live return chart (canvas, redrawn at most once a second, at most 512 points per line), an activity feed whose off-screen rows skip layout and paint (content-visibility), cards and feed drawn from deferred stream state, toasts (at most three models' fills toasts of their own, each changing at most once a second), debounced refetches.",
    "- **seed's hook**: the seed plan's `useTradingStream` as written (bench/src/dashboard/seed-page): one EventSource per running model (`/api/trading/stream/{id}?token=`), `setEvents(prev => [...prev, data])` per message, nothing dropped; each model shows its live badge, event count and last 10 events. It renders less than the real dashboard (no toasts, charts or REST).",
  ];
  const bundle = results.find((r) => r.variant === 'tradewire' && r.bundle)?.bundle;
  if (bundle) {
    out.push(
      '',
      '#### JavaScript for the dashboard route',
      '',
      `Every \`.js\` response the page received from \`goto('/')\` until the measured window opened (lazy chunks included), ` +
        `sized from the built files: **${kb(bundle.raw)} raw, ${kb(bundle.gzip)} gzip** (zlib's default level) in ${bundle.files.length} files ` +
        `(goal: at most ${GOALS.routeGzipKb} KB gzip).`,
      '',
      table(
        ['File', 'Raw KB', 'Gzip KB'],
        bundle.files.filter((f) => f.gzip >= 1024).map((f) => [`\`${f.path.replace(/^\/assets\//, '')}\``, fixed(f.raw / 1024, 1), fixed(f.gzip / 1024, 1)]),
      ),
    );
  }
  for (const c of o.cases) {
    const rows = results.filter((r) => r.models === c.models && r.ratePerModel === c.ratePerModel);
    if (rows.length === 0) continue;
    out.push('', `#### ${caseName(c)} (${int(c.models * c.ratePerModel)} events/s)`, '', caseTable(rows));
  }
  const goals: string[][] = [];
  for (const r of results.filter((x) => x.variant === 'tradewire')) {
    const main = r.models === first?.models && r.ratePerModel === first?.ratePerModel;
    goals.push([
      caseName(r),
      `${int(r.longTasks)} ${r.longTasks <= GOALS.longTasks ? '✓' : '✗'}`,
      main ? `${fixed(fps(r), 0)} ${fps(r) >= GOALS.fps ? '✓' : '✗'}` : fixed(fps(r), 0),
      main ? `${fixed(msPerK(r), 0)} ${msPerK(r) <= GOALS.msPerK ? '✓' : '✗'}` : fixed(msPerK(r), 0),
      `${fixed(growth(r), 2)} MB`,
    ]);
  }
  if (goals.length > 0) {
    out.push(
      '',
      `#### Against the goals: no long task; at ${first ? caseName(first) : 'the first case'} also ≥ ${GOALS.fps} frames/s and ≤ ${int(GOALS.msPerK)} ms of main thread per 1,000 events; heap flat`,
      '',
      table(['Case', 'Long tasks', 'Frames/s', 'Main-thread ms / 1k events', 'Heap change in the window'], goals),
    );
  }
  const tw = results.find((r) => r.variant === 'tradewire' && r.models === first?.models && r.ratePerModel === first?.ratePerModel);
  const seed = results.find((r) => r.variant === 'seed');
  if (tw && seed) {
    out.push('', '#### Ratios: Tradewire vs the seed\'s hook (below 1x: Tradewire uses less)', '');
    out.push(
      table(
        ['Long-task ms', 'Dropped frames', 'Main thread busy', 'Main thread per event received', 'Heap growth', 'DOM elements at the end', 'Events received'],
        [[
          ratio(tw.longTaskMs, seed.longTaskMs),
          ratio(tw.droppedFrames, seed.droppedFrames),
          ratio(busyPct(tw), busyPct(seed)),
          ratio(msPerK(tw), msPerK(seed)),
          ratio(Math.max(0, growth(tw)), growth(seed)),
          ratio(tw.elementsEnd, seed.elementsEnd),
          ratio(received(tw), received(seed)),
        ]],
      ),
    );
    const expectedSeed = seed.emitted;
    out.push(
      '',
      `**The seed's page held ${openStreams(seed)} of its ${seed.sources.length} streams open** and received ${int(received(seed))} of ` +
        `${int(expectedSeed)} events (${fixed((received(seed) / Math.max(1, expectedSeed)) * 100, 0)} %): Chromium opens at most 6 ` +
        `HTTP/1.1 connections per origin, and every EventSource holds one, so the streams past the sixth wait for a free connection ` +
        `for as long as the others stay open, and their models look dead. (With all 6 held, any REST call the page made would wait too.) ` +
        `Tradewire's one stream received ${int(received(tw))} of ${int(tw.emitted)}. The seed's heap grows with every event ` +
        `(${fixed((growth(seed) / Math.max(1, received(seed))) * 1000, 2)} MB per 1,000 events received, ` +
        `${int((growth(seed) / windowS(seed)) * 3600)} MB an hour at this rate) and never stops; Tradewire keeps 100 events per model ` +
        `(its heap changed by ${fixed(growth(tw), 2)} MB in the window, after the warm-up).`,
    );
  }
  return out.join('\n');
}

/** `10x20,50x4`: models x events/s per model. */
const parseCases = (text: string): DashboardCase[] =>
  text.split(',').map((c) => {
    const [models, rate] = c.split('x').map(Number);
    if (!(models! > 0 && rate! > 0)) throw new Error(`--cases: '${c}' is not MODELSxRATE`);
    return { models: models!, ratePerModel: rate! };
  });

export const dashboard: Part<DashboardOptions> = {
  name: 'dashboard',
  title: 'Dashboard in headless Chromium (bench/src/dashboard)',
  options: ({ full, values }) => ({
    variants: (values.variants?.split(',') ?? VARIANTS) as Variant[],
    cases:
      values.models || values.rate
        ? [{ models: number(values.models, 10), ratePerModel: number(values.rate, 20) }]
        : parseCases(values.cases ?? '10x20,50x4'),
    durationS: number(values.duration, full ? 60 : 30),
    warmupS: number(values.warmup, 15),
    settleS: number(values.settle, 2),
    graceS: number(values.grace, 1),
  }),
  async run(o, log) {
    log('dashboard: building apps/web and the seed page');
    await buildPages(o.variants);
    const results: VariantResult[] = [];
    for (const [i, c] of o.cases.entries()) {
      for (const variant of i === 0 ? o.variants : o.variants.filter((v) => v === 'tradewire')) {
        log(`dashboard: ${variant}, ${c.models} models x ${c.ratePerModel} events/s for ${o.durationS} s`);
        const r = await runVariant(o, variant, c);
        log(
          `  received ${int(received(r))}/${int(r.emitted)} events on ${openStreams(r)}/${r.sources.length} streams, long tasks ${r.longTasks} (${int(r.longTaskMs)} ms), ` +
            `${fixed(fps(r), 0)} fps, dropped frames ${r.droppedFrames}, busy ${fixed(busyPct(r), 0)}%, ${fixed(msPerK(r), 0)} ms/1k events, heap ${fixed(r.heapStartMb)} → ${fixed(r.heapEndMb)} MB, ` +
            `DOM ${r.elementsStart} → ${r.elementsEnd}, REST ${r.restRequests.length}, publish errors ${r.publishErrors}` +
            (r.variant === 'tradewire' && r.bundle ? `, route JS ${kb(r.bundle.raw)} raw / ${kb(r.bundle.gzip)} gzip` : ''),
        );
        if (r.pageErrors.length > 0) log(`  page errors: ${r.pageErrors.slice(0, 3).join(' | ')}`);
        results.push(r);
      }
    }
    return { markdown: render(o, results), data: { options: o, results } };
  },
};
