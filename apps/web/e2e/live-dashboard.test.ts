import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createModelInForm, eventually, feedEventIds, numberIn, signUp } from './support/app';
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

const text = (page: Page, testId: string) => page.getByTestId(testId).first().textContent();

/** Waits until `testId` shows exactly `value`. */
const shows = (page: Page, testId: string, value: string) =>
  page.getByTestId(testId).filter({ hasText: new RegExp(`^${value.replace(/[$.]/g, '\\$&')}$`) }).waitFor();

test('two models trade live: badges, activity feed, toasts and totals follow the stream, and Stop ends one', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);

    // One model through the API, one through the form (kind, parameters and symbols chosen by hand;
    // saving it refreshes the tab's model list, so both are in it).
    const beta: number = (
      await server.api('POST', '/api/models', token, {
        name: 'Steady B',
        agent: { kind: 'buy_and_hold', params: {} },
        allowed_symbols: ['LDGR', 'GRNQ', 'SLRW', 'AQWL'],
      })
    ).id;
    const alpha = await createModelInForm(page, {
      name: 'Coin Flip A',
      kind: 'random',
      params: { seed: '7', probability: '0.6' },
      symbols: ['ZNTH', 'QLLX', 'VRDX'],
    });
    expect(await page.getByTestId('model-page').getAttribute('data-status')).toBe('idle');
    expect(await page.getByTestId('model-name').textContent()).toBe('Coin Flip A');

    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByTestId(`model-card-${beta}`).waitFor();
    await shows(page, 'stat-active-runs-value', '0');
    await shows(page, 'stat-trades-today-value', '0');
    const equityBefore = await text(page, 'stat-total-equity-value');
    expect(await page.getByTestId('activity-empty').isVisible()).toBe(true);

    // Start both from their cards (the server's defaults: the last year at 200 ms a day).
    await page.getByTestId(`start-${alpha}`).click();
    await page.getByTestId(`start-${beta}`).click();

    for (const id of [alpha, beta]) {
      await page.locator(`[data-testid=model-card-${id}][data-status=running]`).getByTestId('live-badge').waitFor();
      await page.locator(`[data-testid=sidebar-model-${id}][data-status=running]`).getByTestId('live-badge').waitFor();
      await page.getByTestId(`model-card-${id}`).getByTestId('card-progress').waitFor();
      await page.getByTestId(`stop-${id}`).waitFor();
    }
    await shows(page, 'stat-active-runs-value', '2');

    // Fills: toasts (one per model per few seconds, its count updated in place), rows
    // in the feed, and figures that move without a page reload.
    const toasts = page.locator('[data-sonner-toast]');
    // One toast per model per few seconds: a fill, or the count of them.
    await toasts.filter({ hasText: /^(Coin Flip A|Steady B): ((BUY|SELL) \d+ [A-Z]{4} @ \$[\d,.]+|\d+ fills in the last 3 s)/ }).first().waitFor();
    const feed = page.getByTestId('recent-activity');
    await feed.locator('[data-testid=activity-item][data-event-type=trade]').first().waitFor();
    await eventually(async () => {
      const names = new Set(await feed.getByTestId('activity-model').allTextContents());
      expect(names).toEqual(new Set(['Coin Flip A', 'Steady B']));
    });
    await eventually(async () => {
      expect(numberIn(await page.getByTestId(`model-card-${alpha}`).getByTestId('card-trades').textContent())).toBeGreaterThan(0);
      expect(numberIn(await page.getByTestId(`model-card-${beta}`).getByTestId('card-trades').textContent())).toBe(4);
      expect(numberIn(await text(page, 'stat-trades-today-value'))).toBeGreaterThan(4);
      expect(await text(page, 'stat-total-equity-value')).not.toBe(equityBefore);
    });
    // The feed is newest first and never shows an event twice.
    const shown = await feedEventIds(feed);
    expect(shown).toEqual([...new Set(shown)].sort((a, b) => a - b));

    // Stop one: it goes idle everywhere; the other keeps running.
    await page.getByTestId(`stop-${alpha}`).click();
    await page.locator(`[data-testid=model-card-${alpha}][data-status=idle]`).waitFor();
    await page.locator(`[data-testid=sidebar-model-${alpha}][data-status=idle]`).waitFor();
    expect(await page.getByTestId(`sidebar-model-${alpha}`).getByTestId('live-badge').count()).toBe(0);
    // Its own toast, or a line in the summary of the burst it ended.
    await toasts.filter({ hasText: /^Coin Flip A: Trading stopped/ }).first().waitFor();
    await feed.locator('[data-testid=activity-item][data-event-type=complete]').first().waitFor();
    await shows(page, 'stat-active-runs-value', '1');
    expect(await page.getByTestId(`model-card-${beta}`).getAttribute('data-status')).toBe('running');
    await page.getByTestId(`start-${alpha}`).waitFor();
    await saveScreenshot(page, 'dashboard');

    // The running model's page: live status, a moving progress bar and its own stream only.
    await page.getByTestId(`sidebar-model-${beta}`).click();
    const modelPage = page.locator(`[data-testid=model-page][data-model-id="${beta}"]`);
    await modelPage.and(page.locator('[data-status=running]')).waitFor();
    await modelPage.getByTestId('live-badge').waitFor();
    await page.getByTestId('model-equity').filter({ hasText: /^\$/ }).waitFor();
    const day = async () => Number(/Day (\d+) of/.exec((await page.getByTestId('run-progress').textContent()) ?? '')?.[1]);
    const firstDay = await eventually(day);
    const daysRun = await eventually(async () => {
      const d = await day();
      expect(d).toBeGreaterThan(firstDay + 5);
      return d;
    });
    // The equity chart grows by a point for every trading day the stream reports, fills or not
    // (it redraws at most once a second: wait for it to catch up with the day read above).
    const chartPoints = async () => Number((await page.getByTestId('equity-chart').getAttribute('data-points')) ?? '0');
    await eventually(async () => expect(await chartPoints()).toBeGreaterThanOrEqual(daysRun - 1));
    // Its text alternative lists the same points (rendered once it is opened).
    await page.getByTestId('equity-chart-data').locator('summary').click();
    await eventually(async () => expect(await page.getByTestId('equity-chart-data').locator('tbody tr').count()).toBeGreaterThanOrEqual(daysRun - 1));
    // Both charts are named for what they show, and the price chart ends at the session's current
    // day: no candles from the rest of the run's year.
    await page.getByRole('img', { name: /^Equity from \d{4}-\d{2}-\d{2} to / }).waitFor();
    const price = page.locator('[data-testid=price-chart]:not([data-loading])');
    await price.waitFor();
    expect(await price.getAttribute('aria-label')).toMatch(/^[A-Z]{4} daily prices from \d{4}-\d{2}-\d{2} to /);
    const candles = Number(await price.getAttribute('data-bars'));
    const lastCandle = (await price.getAttribute('data-last-date'))!;
    const [dayNow, totalDays] = (/Day (\d+) of (\d+)/.exec((await page.getByTestId('run-progress').textContent()) ?? '') ?? []).slice(1).map(Number);
    expect(candles).toBeGreaterThan(0);
    expect(candles).toBeLessThanOrEqual(dayNow! + 1);
    expect(candles).toBeLessThan(totalDays!);
    const betaRunNow = (await server.api('GET', `/api/models/${beta}/runs`, token)).items[0];
    expect(lastCandle < betaRunNow.end_date).toBe(true);
    // Every column of the positions (value and P/L too) fits a desktop window without scrolling.
    const positions = page.getByTestId('main').getByTestId('positions-table');
    await positions.getByTestId('position-LDGR').waitFor();
    expect(await positions.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth)).toBe(0);
    const betaRun = (await server.api('GET', `/api/models/${beta}/runs`, token)).items[0];
    const betaExport = await server.api('GET', `/api/models/${beta}/runs/${betaRun.id}/events`, token);
    const betaEvents = new Set<number>(betaExport.items.map((e: { id: string }) => Number(e.id)));
    const panelIds = await feedEventIds(page.getByTestId('model-stream'));
    expect(panelIds.length).toBeGreaterThan(0);
    // Events that arrived after the export above are newer; everything older must be this model's.
    for (const id of panelIds.filter((i) => i <= Math.max(...betaEvents))) expect(betaEvents.has(id)).toBe(true);
    await saveScreenshot(page, 'model');

    await page.getByTestId(`stop-${beta}`).click();
    await modelPage.and(page.locator('[data-status=idle]')).waitFor();
    await shows(page, 'model-trade-count', '4');

    // The stopped model: its fills in the Trades tab, its run in Runs, the run's recorded events.
    await page.getByTestId(`sidebar-model-${alpha}`).click();
    await page.locator(`[data-testid=model-page][data-model-id="${alpha}"]`).waitFor();
    await page.getByRole('tab', { name: 'Trades' }).click();
    const tradeRows = page.getByTestId('main').getByTestId('trades-table').getByTestId('trade-row');
    await tradeRows.first().waitFor();
    const alphaTrades = (await server.api('GET', `/api/models/${alpha}/trades?limit=50`, token)).items.length;
    expect(await tradeRows.count()).toBe(alphaTrades);
    await page.getByRole('tab', { name: 'Runs' }).click();
    const alphaRun = (await server.api('GET', `/api/models/${alpha}/runs`, token)).items[0];
    expect(alphaRun.status).toBe('stopped');
    await page.getByTestId(`run-row-${alphaRun.id}`).filter({ hasText: 'Stopped' }).waitFor();
    await page.getByTestId(`run-row-${alphaRun.id}`).getByRole('link', { name: '#1' }).click();
    await page.locator(`[data-testid=run-page][data-run-id="${alphaRun.id}"]`).waitFor();
    await page.getByRole('tab', { name: 'Event timeline' }).click();
    await page.locator('[data-testid=timeline-item][data-event-type=trade]').first().waitFor();
    await page.locator('[data-testid=timeline-item][data-event-type=complete]').waitFor();

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
