import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, signUp } from './support/app';
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

test('the feed filters by type and model; search finds a symbol’s trades and exports them as CSV', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const create = async (name: string, kind: string, symbols: string[], params: Record<string, unknown> = {}) =>
      (await server.api('POST', '/api/models', token, { name, agent: { kind, params }, allowed_symbols: symbols })).id as number;
    const flip = await create('Coin Flip', 'random', ['LDGR', 'ZNTH'], { seed: 7, probability: 0.6 });
    const steady = await create('Steady', 'buy_and_hold', ['GRNQ', 'SLRW']);
    // Models made outside the tab: a reload lists them and streams their events.
    await page.reload();
    await page.getByTestId(`model-card-${steady}`).waitFor();
    await page.getByTestId('connection-status').and(page.locator('[data-status=live]')).waitFor();
    for (const id of [flip, steady]) await server.api('POST', `/api/trading/start/${id}`, token, { start_date: '2026-10-01', pace_ms: 0 });
    for (const id of [flip, steady]) {
      await eventually(async () => expect((await server.api('GET', `/api/trading/status/${id}`, token)).status).toBe('idle'), 30_000);
    }

    // The live feed: every kind of row, then only the chosen type, then only the chosen model.
    const feed = page.getByTestId('recent-activity');
    const types = () => feed.getByTestId('activity-item').evaluateAll((li) => li.map((e) => e.getAttribute('data-event-type')));
    await eventually(async () => expect(await types()).toEqual(expect.arrayContaining(['trade', 'session_complete', 'complete'])));
    await feed.getByTestId('feed-filter-type-complete').click();
    await eventually(async () => expect(await types()).toEqual(['complete', 'complete']));
    await feed.getByTestId('feed-filter-type-complete').click();
    await feed.getByTestId('feed-filter-model').selectOption(String(steady));
    await eventually(async () => expect(new Set(await feed.getByTestId('activity-model').allTextContents())).toEqual(new Set(['Steady'])));

    // Search the recorded history for one symbol's trades.
    await page.getByTestId('search-link').click();
    await page.getByTestId('search-page').waitFor();
    await page.getByTestId('search-input').fill('ldgr');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('search-filter-type-trade').click();
    const results = page.getByTestId('search-result');
    await eventually(async () => {
      expect(await page.getByTestId('search-filter-type-trade').getAttribute('aria-pressed')).toBe('true');
      const shown = await results.evaluateAll((li) => li.map((e) => e.getAttribute('data-event-type')));
      expect(shown.length).toBeGreaterThan(0);
      expect(new Set(shown)).toEqual(new Set(['trade']));
    });
    expect(page.url()).toContain('q=ldgr');
    while (await page.getByTestId('search-more').isVisible()) {
      const before = await results.count();
      await page.getByTestId('search-more').click();
      await eventually(async () => expect(await results.count()).toBeGreaterThan(before));
    }
    const shownIds = await results.evaluateAll((li) => li.map((e) => e.getAttribute('data-event-id')));
    for (const text of await results.allTextContents()) expect(text).toContain('LDGR');

    // Export: the downloaded CSV holds exactly those events, newest first.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('events-search.csv');
    const rows: string[][] = parse(await readFile((await download.path())!, 'utf8'));
    expect(rows[0]).toEqual(['id', 'type', 'timestamp', 'model_id', 'run_id', 'message', 'action', 'symbol', 'quantity', 'price', 'amount', 'status', 'reason', 'data']);
    const body = rows.slice(1);
    expect(body.map((r) => r[0])).toEqual(shownIds);
    for (const r of body) {
      expect(r[1]).toBe('trade');
      expect(Number(r[3])).toBe(flip);
      expect(`${r[5]} ${r[7]}`).toContain('LDGR');
    }
    expect(body.some((r) => r[7] === 'LDGR')).toBe(true);

    // The match is highlighted; "Fills only" with a symbol leaves only that symbol's filled buys and sells.
    expect(await results.first().getByTestId('search-match').first().textContent()).toBe('LDGR');
    await page.getByTestId('search-input').fill('');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('search-filter-type-trade').click();
    await page.getByTestId('search-filter-fills').click();
    await page.getByTestId('search-filter-symbol').fill('ldgr');
    await page.getByTestId('search-filter-symbol').press('Enter');
    await eventually(async () => {
      expect(page.url()).toContain('fills=1');
      expect(page.url()).toContain('symbol=LDGR');
      const texts = await results.allTextContents();
      expect(texts.length).toBeGreaterThan(0);
      for (const t of texts) expect(t).toMatch(/ (buys|sells) [\d,]+ LDGR at /);
    });
    const fills = (await server.api('GET', '/api/events/search?fills_only=true&symbol=LDGR&limit=500', token)).items;
    expect(await results.count()).toBe(Math.min(fills.length, 50));
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
