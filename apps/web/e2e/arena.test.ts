import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, signUp } from './support/app';
import { launchBrowser, openPage, saveScreenshot } from './support/browser';
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

test('an arena starts four models at once, ranks them live, charts their equity, and the price chart marks fills', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const create = async (name: string, agent: object, allowed_symbols: string[]) =>
      (await server.api('POST', '/api/models', token, { name, agent, allowed_symbols })).id as number;
    // A line-up whose ranking on this seeded market changes often over the period (each order holds for days).
    const ids = [
      await create('Crossover', { kind: 'sma_crossover', params: { fast: 3, slow: 10 } }, ['SLRW', 'AQWL', 'ZNTH']),
      await create('Holder CLYX', { kind: 'buy_and_hold', params: {} }, ['CLYX']),
      await create('Holder SLRW', { kind: 'buy_and_hold', params: {} }, ['SLRW']),
      await create('Reverter', { kind: 'rsi_mean_reversion', params: {} }, ['QLLX', 'GRNQ', 'AQWL']),
    ];
    const names = ['Crossover', 'Holder CLYX', 'Holder SLRW', 'Reverter'];

    // A second tab on the dashboard: its live equity chart follows the same runs from its own stream.
    const dashboard = await context.newPage();
    await dashboard.goto('/');
    await dashboard.getByTestId('connection-status').and(dashboard.locator('[data-status=live]')).waitFor();
    await dashboard.getByTestId('live-equity-empty').waitFor();

    // Models made through the API are not in this tab's list yet: load the arena afresh, then use its link.
    await page.goto('/search');
    await page.getByTestId('arena-link').click();
    await page.getByTestId('arena-page').waitFor();
    for (const id of ids) await page.getByTestId(`arena-model-${id}`).check();
    await page.getByTestId('arena-start-date').fill('2025-10-01');
    await page.getByTestId('arena-end-date').fill('2026-03-31');
    await page.getByTestId('arena-pace').fill('60');
    await page.getByTestId('arena-start').click();

    const rows = page.getByTestId('leaderboard').getByTestId('leaderboard-row');
    await eventually(async () => expect(await rows.count()).toBe(4));

    // Watch the ranking while the runs go: once every model has a return, the order must move.
    const orders = new Set<string>();
    let running = true;
    const deadline = Date.now() + 60_000;
    while (running && Date.now() < deadline) {
      const snapshot = await page.getByTestId('leaderboard').evaluate((table) =>
        [...table.querySelectorAll('tbody > tr')].map((tr) => ({ rank: tr.getAttribute('data-rank'), id: tr.getAttribute('data-model-id'), ret: tr.getAttribute('data-return'), status: tr.getAttribute('data-status') })),
      );
      if (snapshot.every((r) => r.ret !== '')) {
        const returns = snapshot.map((r) => Number(r.ret));
        // Rows are in rank order: returns never increase down the table.
        for (let i = 1; i < returns.length; i++) expect(returns[i], JSON.stringify(snapshot)).toBeLessThanOrEqual(returns[i - 1]!);
        orders.add(snapshot.map((r) => r.id).join(','));
      }
      running = snapshot.some((r) => r.status === 'running' || r.status === 'waiting');
      await page.waitForTimeout(40);
    }
    expect(running).toBe(false);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect([...orders].length, [...orders].join(' | ')).toBeGreaterThanOrEqual(2);

    const chart = page.locator('[data-testid=live-equity-chart][data-series="4"]');
    await chart.waitFor();
    expect(new Set(await chart.getByTestId('live-equity-legend-item').allTextContents())).toEqual(new Set(names));
    // One canvas line per run, drawn from day 1 of each; the chart is named for what it shows.
    expect(await chart.getByRole('img').getAttribute('aria-label')).toMatch(/^Live return since each run's start, by trading day: /);
    for (const name of names) expect(await chart.getByRole('img').getAttribute('aria-label')).toContain(name);
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    await dashboard.locator('[data-testid=live-equity-chart][data-series="4"]').waitFor();

    // Ranked by Sharpe once complete: the runs' final metrics decide, still four rows.
    await page.getByTestId('leaderboard-rank-by').selectOption('sharpe');
    await eventually(async () => expect(await page.getByTestId('leaderboard').getAttribute('data-rank-by')).toBe('sharpe'));
    expect(await rows.count()).toBe(4);
    await saveScreenshot(page, 'arena');

    // The arena is kept: its URL reopens the same leaderboard after a reload, and the list links to it.
    expect(page.url()).toMatch(/\/arena\/\d+$/);
    const ranking = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-model-id')}:${tr.getAttribute('data-return')}`));
    await page.reload();
    await page.getByTestId('leaderboard-rank-by').selectOption('sharpe');
    await eventually(async () => expect(await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-model-id')}:${tr.getAttribute('data-return')}`))).toEqual(ranking));
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).toEqual(['completed', 'completed', 'completed', 'completed']);
    await page.locator('[data-testid=arena-list-item][data-status=finished]').first().waitFor();
    expect(await page.getByTestId('arena-title').textContent()).toContain('Crossover vs Holder CLYX vs Holder SLRW vs Reverter');

    // The crossover's fills sit on its price chart, as many as the API lists for the symbol.
    const runs = (await server.api('GET', `/api/models/${ids[0]}/runs`, token)).items;
    const trades: { symbol: string | null; status: string }[] = (
      await server.api('GET', `/api/models/${ids[0]}/trades?run_id=${runs[0].id}&limit=1000`, token)
    ).items;
    const fills = (symbol: string) => trades.filter((t) => t.status === 'filled' && t.symbol === symbol).length;
    await page.goto(`/models/${ids[0]}`);
    const price = page.locator('[data-testid=price-chart]:not([data-loading])');
    await price.waitFor();
    const first = (await price.getAttribute('data-symbol'))!;
    expect(Number(await price.getAttribute('data-bars'))).toBeGreaterThan(100);
    expect(Number(await price.getAttribute('data-markers'))).toBe(fills(first));
    expect(fills(first)).toBeGreaterThan(0);
    const other = (await page.getByTestId('price-chart-symbol').locator('option').allTextContents()).find((s) => s !== first)!;
    await page.getByTestId('price-chart-symbol').selectOption(other);
    await page.locator(`[data-testid=price-chart][data-symbol=${other}]:not([data-loading])`).waitFor();
    expect(Number(await page.getByTestId('price-chart').getAttribute('data-markers'))).toBe(fills(other));
    expect(await page.locator('[data-testid=price-chart] canvas').count()).toBeGreaterThan(0);

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
