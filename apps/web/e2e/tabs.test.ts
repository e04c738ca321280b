import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, signUp } from './support/app';
import { DESKTOP, launchBrowser } from './support/browser';
import { startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startE2EServer()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

declare global {
  interface Window {
    openStreams: number;
  }
}

/** Before the app loads: counts this page's EventSources to /api/stream not yet closed by the app. */
function countStreams() {
  const Real = window.EventSource;
  window.openStreams = 0;
  window.EventSource = class extends Real {
    private counted: boolean;
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      this.counted = new URL(String(url), location.href).pathname === '/api/stream';
      if (this.counted) window.openStreams++;
    }
    override close() {
      if (this.counted) window.openStreams--;
      this.counted = false;
      super.close();
    }
  };
}

const openStreams = (page: Page) => page.evaluate(() => window.openStreams);
/** The ids of the trades the page's activity feed lists. */
const tradeIds = (page: Page) =>
  page
    .getByTestId('recent-activity')
    .locator('[data-testid=activity-item][data-event-type=trade]')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-event-id')));

test('tabs of one browser share one stream; when the leading tab closes another opens its own and keeps receiving', async () => {
  const context = await browser.newContext({ baseURL: server.url, viewport: DESKTOP, colorScheme: 'dark' });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(countStreams);
  const errors: string[] = [];
  try {
    const first = await context.newPage();
    first.on('pageerror', (e) => errors.push(e.message));
    const token = await signUp(first);
    // Signed in by the session in localStorage that both pages share.
    const second = await context.newPage();
    second.on('pageerror', (e) => errors.push(e.message));
    await second.goto('/');
    for (const page of [first, second]) await page.getByTestId('connection-status').and(page.locator('[data-status=live]')).waitFor();

    const model = await server.api('POST', '/api/models', token, {
      name: 'Shared',
      agent: { kind: 'random', params: { seed: 5, probability: 0.7 } },
      allowed_symbols: ['ZNTH', 'QLLX'],
    });
    const run1 = await server.api('POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-03-02', end_date: '2026-03-31', pace_ms: 20 });
    await eventually(async () => expect((await server.api('GET', `/api/models/${model.id}/runs/${run1.id}`, token)).status).toBe('completed'));
    await eventually(async () => {
      const [a, b] = await Promise.all([tradeIds(first), tradeIds(second)]);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    });
    expect([await openStreams(first), await openStreams(second)]).toEqual([1, 0]);

    // The leader goes: the other tab takes the lock, opens its own stream and gets the next run.
    const before = new Set(await tradeIds(second));
    await first.close();
    await eventually(async () => expect(await openStreams(second)).toBe(1));
    await second.getByTestId('connection-status').and(second.locator('[data-status=live]')).waitFor();
    const run2 = await server.api('POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-04-01', end_date: '2026-04-30', pace_ms: 20 });
    await eventually(async () => expect((await server.api('GET', `/api/models/${model.id}/runs/${run2.id}`, token)).status).toBe('completed'));
    await eventually(async () => expect((await tradeIds(second)).filter((id) => !before.has(id)).length).toBeGreaterThan(0));
    expect(await openStreams(second)).toBe(1);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
