import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { allFeedEventIds, eventually, feedEventIds, signUp } from './support/app';
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

/** What the activity feed lists; progress, portfolio and connected events only move cards and bars. */
const QUIET = new Set(['progress', 'portfolio', 'connected']);

test('a server restart mid-run shows Reconnecting, then Live, and the feed has every event it missed', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const model = await server.api('POST', '/api/models', token, {
      name: 'Resumer',
      agent: { kind: 'random', params: { seed: 3, probability: 0.5 } },
      allowed_symbols: ['ZNTH', 'QLLX'],
    });
    await page.goto('/');
    const status = page.getByTestId('connection-status');
    const feed = page.getByTestId('recent-activity');

    // Run 1 at the default pace (200 ms a day): still running when the server goes away.
    await page.getByTestId(`start-${model.id}`).click();
    await page.locator(`[data-testid=model-card-${model.id}][data-status=running]`).waitFor();
    await eventually(async () => expect(await feed.locator('[data-testid=activity-item][data-event-type=trade]').count()).toBeGreaterThanOrEqual(3));
    const seenBeforeDrop = Math.max(...(await feedEventIds(feed)));

    await server.stop();
    await page.locator('[data-testid=connection-status][data-status=reconnecting]').waitFor();
    expect(await status.textContent()).toMatch(/^Reconnecting \(attempt \d+\)$/);

    // Hold the tab's next stream request until the server has produced events it has not seen:
    // it must get them by resuming from its last event id (a client that comes back late).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const resumedFrom: string[] = [];
    const isStream = (url: URL) => url.pathname === '/api/stream';
    await page.route(isStream, async (route) => {
      await released;
      resumedFrom.push(new URL(route.request().url()).searchParams.get('last_event_id') ?? '');
      await route.continue();
    });

    await server.start();
    // Run 1 ended `interrupted` with the old process; run 2 happens entirely while the tab is away.
    const run2 = await server.api('POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-10-20', end_date: '2026-10-30', pace_ms: 0 });
    await eventually(async () => expect((await server.api('GET', `/api/models/${model.id}/runs/${run2.id}`, token)).status).toBe('completed'));
    expect(await status.getAttribute('data-status')).toBe('reconnecting');

    release();
    await page.locator('[data-testid=connection-status][data-status=live]').waitFor();
    expect(await status.textContent()).toBe('Live');
    await page.unroute(isStream);
    expect(Number(resumedFrom[0])).toBeGreaterThanOrEqual(seenBeforeDrop);

    const runs = (await server.api('GET', `/api/models/${model.id}/runs`, token)).items;
    const run1 = runs.find((r: { id: number }) => r.id !== run2.id);
    expect(run1.status).toBe('interrupted');
    const stored: { id: string; type: string; run_id: number }[] = [];
    for (const r of [run1, run2]) stored.push(...(await server.api('GET', `/api/models/${model.id}/runs/${r.id}/events`, token)).items);
    const listed = stored.filter((e) => !QUIET.has(e.type)).map((e) => Number(e.id));
    const run2Ids = new Set(stored.filter((e) => e.run_id === run2.id).map((e) => Number(e.id)));
    expect(Number(resumedFrom[0])).toBeLessThan(Math.min(...run2Ids));

    // The feed shows the newest events it has room for: exactly the stored ones from its oldest
    // row on, with no gap where the stream was down, no duplicate, and no reset.
    await eventually(async () => expect(Math.max(...(await feedEventIds(feed)))).toBe(Math.max(...listed)));
    // Every row the panel scrolls through, as a user would reach them.
    const shown = await allFeedEventIds(feed);
    expect(shown).toEqual(listed.filter((id) => id >= shown[0]!));
    expect(shown.some((id) => id <= seenBeforeDrop)).toBe(true);
    expect(shown.filter((id) => run2Ids.has(id)).length).toBeGreaterThan(5);
    expect(await feed.locator('[data-event-type=reset]').count()).toBe(0);

    await page.locator(`[data-testid=model-card-${model.id}][data-status=idle]`).waitFor();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
