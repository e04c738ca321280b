/// <reference lib="dom" />
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { Session } from './protocol.js';

/** Debian's Chromium, as the e2e suite drives it: the benchmark never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** What the page saw between `start` and `stop`. */
export interface PageReading {
  longTasks: number;
  longTaskMs: number;
  frames: number;
  /** rAF intervals over 1.5 x 16.7 ms. */
  slowFrames: number;
  /** Frames missed: every rAF interval of k x 16.7 ms missed k - 1. */
  droppedFrames: number;
  worstFrameMs: number;
  /** Every EventSource the page opened: its `message` events in the window, and its readyState at the end. */
  sources: { url: string; messages: number; readyState: number }[];
  elementsStart: number;
  elementsEnd: number;
  heapStartMb: number;
  heapEndMb: number;
  /** Main-thread time in tasks (CDP TaskDuration), of which script (ScriptDuration), ms. */
  taskMs: number;
  scriptMs: number;
  /** Of which style recalculation and layout (CDP RecalcStyleDuration + LayoutDuration), ms. */
  styleLayoutMs: number;
  restRequests: string[];
  windowMs: number;
}

interface Probe {
  from: number;
  longTasks: number;
  longTaskMs: number;
  frames: number;
  slowFrames: number;
  droppedFrames: number;
  worstFrameMs: number;
  sources: { url: string; messages: number; es: EventSource }[];
}

/**
 * Runs in the page before any of its scripts: stores the session where the dashboard keeps it,
 * and counts long tasks, frames and EventSource messages from `__bench.from` (ms) on.
 */
function probe(session: Session) {
  localStorage.setItem('tradewire.session', JSON.stringify(session));
  const s: Probe = { from: Infinity, longTasks: 0, longTaskMs: 0, frames: 0, slowFrames: 0, droppedFrames: 0, worstFrameMs: 0, sources: [] };
  (window as unknown as { __bench: Probe }).__bench = s;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.startTime < s.from) continue;
      s.longTasks++;
      s.longTaskMs += e.duration;
    }
  }).observe({ type: 'longtask', buffered: true });
  let last = -1;
  const frame = (t: number) => {
    if (last >= s.from) {
      const dt = t - last;
      s.frames++;
      if (dt > 1.5 * 16.7) s.slowFrames++;
      s.droppedFrames += Math.max(0, Math.round(dt / 16.7) - 1);
      s.worstFrameMs = Math.max(s.worstFrameMs, dt);
    }
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      // The path only: the query holds the token or ticket.
      const rec = { url: new URL(url, location.href).pathname, messages: 0, es: this };
      s.sources.push(rec);
      this.addEventListener('message', () => {
        if (performance.now() >= s.from) rec.messages++;
      });
    }
  };
}

/** REST calls: `/api/...` but not the streams. */
const isRest = (url: string) => {
  const { pathname } = new URL(url);
  return pathname.startsWith('/api/') && pathname !== '/api/stream' && !pathname.startsWith('/api/trading/stream/');
};

async function metrics(cdp: CDPSession) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    heapMb: get('JSHeapUsedSize') / 1_048_576,
    taskMs: get('TaskDuration') * 1000,
    scriptMs: get('ScriptDuration') * 1000,
    styleLayoutMs: (get('RecalcStyleDuration') + get('LayoutDuration')) * 1000,
  };
}

/** The live heap: what is left after a full collection. */
async function heapMb(cdp: CDPSession) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await metrics(cdp)).heapMb;
}

const elements = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);

/** A fresh context with the probe and the session in it; `measure` brackets a window of activity. */
export async function openProbedPage(browser: Browser, baseURL: string, session: Session) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  context.setDefaultTimeout(30_000);
  await context.addInitScript(probe, session);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  /** Starts counting, runs `during`, waits `graceMs` for the last events to land, then reads. */
  async function measure<T>(during: () => Promise<T>, graceMs: number): Promise<{ reading: PageReading; result: T }> {
    const heapStartMb = await heapMb(cdp);
    const before = await metrics(cdp);
    const elementsStart = await elements(page);
    const restRequests: string[] = [];
    const onRequest = (req: { url(): string; method(): string }) => {
      if (isRest(req.url())) restRequests.push(`${req.method()} ${new URL(req.url()).pathname}`);
    };
    page.on('request', onRequest);
    await page.evaluate(() => void ((window as unknown as { __bench: Probe }).__bench.from = performance.now()));
    const result = await during();
    await page.waitForTimeout(graceMs);
    const probed = await page.evaluate(() => {
      const s = (window as unknown as { __bench: Probe }).__bench;
      const { from, sources, ...counts } = s;
      s.from = Infinity;
      return { ...counts, windowMs: performance.now() - from, sources: sources.map((r) => ({ url: r.url, messages: r.messages, readyState: r.es.readyState })) };
    });
    page.off('request', onRequest);
    const after = await metrics(cdp);
    const elementsEnd = await elements(page);
    return {
      result,
      reading: {
        ...probed,
        elementsStart,
        elementsEnd,
        heapStartMb,
        heapEndMb: await heapMb(cdp),
        taskMs: after.taskMs - before.taskMs,
        scriptMs: after.scriptMs - before.scriptMs,
        styleLayoutMs: after.styleLayoutMs - before.styleLayoutMs,
        restRequests,
      },
    };
  }

  return { page, errors, measure, close: () => context.close() };
}
