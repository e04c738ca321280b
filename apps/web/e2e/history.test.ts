import net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, numberIn, signUp } from './support/app';
import { launchBrowser, openPage } from './support/browser';
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

/** A loopback port nobody listens on: an LLM endpoint that refuses every call. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

test('after runs finished (one failed, one interrupted by a restart), a fresh page tells what happened; an outage keeps last-known values and recovers by itself', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const symbols: string[] = (await server.api('GET', '/api/market/symbols', token)).symbols.map((s: { symbol: string }) => s.symbol);
    const create = (name: string, agent: object, allowed: string[]) => server.api('POST', '/api/models', token, { name, agent, allowed_symbols: allowed });
    const steady = await create('Steady', { kind: 'sma_crossover', params: { fast: 3, slow: 8 } }, symbols);
    const broken = await create('Broken LLM', { kind: 'llm', params: { base_url: `http://127.0.0.1:${await closedPort()}/v1`, model: 'm' } }, symbols.slice(0, 2));
    const long = await create('Long run', { kind: 'random', params: { seed: 5, probability: 0.3 } }, symbols.slice(0, 3));
    const finish = async (id: number, body: object) => {
      await server.api('POST', `/api/trading/start/${id}`, token, body);
      await eventually(async () => expect((await server.api('GET', `/api/trading/status/${id}`, token)).status).toBe('idle'), 30_000);
    };
    await finish(steady.id, { start_date: '2026-09-01', end_date: '2026-10-30', pace_ms: 0 });
    await finish(broken.id, { start_date: '2026-10-01', end_date: '2026-10-09', pace_ms: 0 });
    // Still running when the server goes away: the run ends `interrupted`.
    await server.api('POST', `/api/trading/start/${long.id}`, token, { pace_ms: 200 });
    await eventually(async () => expect((await server.api('GET', `/api/trading/status/${long.id}`, token)).progress?.step ?? 0).toBeGreaterThan(2));
    await server.stop();
    await server.start();

    // A page opened afterwards (a reload, a new tab): every surface starts from what is stored.
    await page.goto('/');
    const feed = page.getByTestId('recent-activity');
    await feed.locator('[data-testid=activity-item]').first().waitFor();
    expect(await feed.getByTestId('activity-empty').count()).toBe(0);
    await page.locator(`[data-testid=model-card-${broken.id}][data-outcome=failed]`).waitFor();
    expect(await page.getByTestId(`model-card-${broken.id}`).getByTestId('card-outcome').textContent()).toMatch(/^Last run failed: .+/);
    await page.locator(`[data-testid=model-card-${long.id}][data-outcome=interrupted]`).waitFor();
    await page.locator(`[data-testid=model-card-${steady.id}][data-outcome=completed]`).waitFor();
    // Outcomes in their own style in the feed: the failure is not a green check.
    const ends = feed.locator('[data-testid=activity-item][data-event-type=complete]');
    await eventually(async () => expect(await ends.count()).toBeGreaterThanOrEqual(3));
    const labels = await ends.locator('svg[aria-label]').evaluateAll((icons) => icons.map((i) => i.getAttribute('aria-label')));
    expect(new Set(labels)).toEqual(new Set(['Completed', 'Failed', 'Interrupted']));
    const failedRow = ends.filter({ has: page.locator('svg[aria-label=Failed]') });
    expect(await failedRow.first().locator('svg').getAttribute('class')).toContain('text-loss');
    // The live chart draws the runs it did not watch.
    await eventually(async () => expect(Number(await page.getByTestId('live-equity-chart').getAttribute('data-series'))).toBeGreaterThanOrEqual(2));

    // A hold of 30 symbols is one line per model-day, never a line per symbol; "Fills only" keeps buys and sells.
    await feed.getByTestId('feed-filter-model').selectOption(String(steady.id));
    await feed.getByTestId('feed-filter-type-decision').click();
    const holds = feed.locator('[data-testid=activity-item][data-event-type=decision]');
    await holds.first().waitFor();
    expect(await holds.first().textContent()).toMatch(/30 symbols weighed/);
    const decisionIds = (await server.api('GET', `/api/events/history?models=${steady.id}&type=decision&limit=1000`, token)).events;
    const days = new Set(decisionIds.map((e: { data: { date: string } }) => e.data.date));
    expect(days.size).toBe(decisionIds.length);
    await feed.getByTestId('feed-filter-type-decision').click();
    await feed.getByTestId('feed-filter-fills').click();
    await eventually(async () => {
      const types = await feed.locator('[data-testid=activity-item]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-type')));
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set(['trade']));
    });
    await feed.getByTestId('feed-filter-fills').click();
    await feed.getByTestId('feed-filter-model').selectOption('');

    // The model page's own stream panel and the timeline start from history too.
    await page.goto(`/models/${broken.id}`);
    const panel = page.getByTestId('model-stream');
    await panel.locator('[data-testid=activity-item][data-event-type=complete]').waitFor();
    await page.locator('[data-testid=status-badge][data-outcome=failed]').first().waitFor();
    await page.goto('/timeline');
    await eventually(async () => expect(Number(await page.getByTestId('timeline-card').getAttribute('data-recorded'))).toBeGreaterThan(10));

    // Outage: the server goes away; last-known totals stay on screen, marked stale.
    await page.goto('/');
    const trades = page.getByTestId('stat-trades-today-value');
    await trades.waitFor();
    const before = await trades.textContent();
    await server.stop();
    await page.locator('[data-testid=connection-status][data-status=reconnecting]').waitFor();
    await page.locator('[data-testid=stats-grid][data-stale]').waitFor();
    expect(await trades.textContent()).toBe(before);
    expect(await page.getByText('Could not load totals').count()).toBe(0);

    // Back, with more trades made while the page was away: once Live, every figure is current, without a reload.
    await server.start();
    await finish(steady.id, { start_date: '2026-06-01', end_date: '2026-10-30', pace_ms: 0 });
    const stats = await server.api('GET', '/api/stats', token);
    expect(stats.trades_today).toBeGreaterThan(numberIn(before));
    await page.locator('[data-testid=connection-status][data-status=live]').waitFor({ timeout: 30_000 });
    const liveAt = Date.now();
    await page.locator('[data-testid=stats-grid]:not([data-stale])').waitFor({ timeout: 5_000 });
    await eventually(async () => expect(numberIn(await trades.textContent())).toBe(stats.trades_today), 5_000);
    console.log(`figures current ${Date.now() - liveAt} ms after the stream was live again`);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);
