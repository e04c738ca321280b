import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, numberIn, signUp } from './support/app';
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

/** The replay's "<index>/<total>" readout. */
async function position(page: Page): Promise<{ index: number; total: number }> {
  const [index, total] = ((await page.getByTestId('replay-position').textContent()) ?? '').split('/').map(Number);
  return { index: index!, total: total! };
}

const viewSpan = async (page: Page) => Number(await page.getByTestId('timeline').first().getAttribute('data-span-ms'));

test('a finished run replays into the card, feed and chart: play at 100x, pause, scrub to the end; the timeline zooms', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const model = await server.api('POST', '/api/models', token, {
      name: 'Replay Flip',
      agent: { kind: 'random', params: { seed: 7, probability: 0.6 } },
      allowed_symbols: ['LDGR', 'ZNTH'],
    });
    const run = await server.api('POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-10-01', end_date: '2026-10-21', pace_ms: 0 });
    await eventually(async () => expect((await server.api('GET', `/api/models/${model.id}/runs/${run.id}`, token)).status).toBe('completed'), 30_000);
    const detail = await server.api('GET', `/api/models/${model.id}/runs/${run.id}`, token);
    const recorded = (await server.api('GET', `/api/models/${model.id}/runs/${run.id}/events`, token)).items.length;
    expect(detail.metrics.trade_count).toBeGreaterThan(0);

    // The run page: its recorded events on a time axis, and the way into the replay.
    await page.goto(`/models/${model.id}/runs/${run.run_number}`);
    await page.getByRole('tab', { name: 'Event timeline' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('[data-testid=timeline-dot][data-type=trade]').first().waitFor();
    // A dot's detail on click.
    await timeline.getByTestId('timeline-dot').first().click({ force: true });
    await page.getByTestId('timeline-detail').waitFor();
    const wholeSpan = await viewSpan(page);
    const dotsBefore = await timeline.getByTestId('timeline-dot').count();
    await page.getByTestId('timeline-zoom-in').click();
    await page.getByTestId('timeline-zoom-in').click();
    await eventually(async () => expect(await viewSpan(page)).toBeLessThan(wholeSpan / 3));
    expect(await timeline.getByTestId('timeline-dot').count()).toBeLessThanOrEqual(dotsBefore);
    await page.getByTestId('timeline-zoom-out').click();
    await page.getByTestId('timeline-zoom-out').click();
    await eventually(async () => expect(await viewSpan(page)).toBe(wholeSpan));
    // The wheel zooms too, around the pointer.
    const box = (await timeline.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await eventually(async () => expect(await viewSpan(page)).toBeLessThan(wholeSpan));

    await page.getByTestId('replay-link').click();
    await page.locator(`[data-testid=replay-page][data-run-id="${run.id}"]`).waitFor();
    expect(await position(page)).toEqual({ index: 0, total: recorded });
    expect(await page.getByTestId('replay-card').getByTestId('card-trades').textContent()).toBe('0');
    const feed = page.getByTestId('replay-feed');
    await feed.getByTestId('activity-empty').waitFor();

    // Play at 100x: the position moves and the feed fills.
    await page.getByTestId('replay-speed-100').click();
    expect(await page.getByTestId('replay-speed-100').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('replay-play').click();
    await eventually(async () => expect((await position(page)).index).toBeGreaterThan(0));
    await feed.getByTestId('activity-item').first().waitFor();

    // Pause: the position stays put (the run may already have played out at this speed).
    await page.getByTestId('replay-play').click();
    await page.locator('[data-testid=replay-controls][data-playing=false]').waitFor();
    const paused = (await position(page)).index;
    await page.waitForTimeout(500);
    expect((await position(page)).index).toBe(paused);

    // Scrub back to the start, then to the end: the state is rebuilt both ways.
    const scrubber = page.getByTestId('replay-scrubber');
    await scrubber.fill('0');
    await eventually(async () => expect(await position(page)).toEqual({ index: 0, total: recorded }));
    await feed.getByTestId('activity-empty').waitFor();
    await scrubber.fill(String(recorded));
    await eventually(async () => expect(await position(page)).toEqual({ index: recorded, total: recorded }));
    const card = page.getByTestId('replay-card');
    await eventually(async () => expect(numberIn(await card.getByTestId('card-trades').textContent())).toBe(detail.metrics.trade_count));
    await feed.locator('[data-testid=activity-item][data-event-type=complete]').waitFor();
    await page.getByTestId('equity-chart').waitFor();
    // The replay's own timeline shows what has played.
    expect(await page.getByTestId('timeline').getByTestId('timeline-dot').count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'replay');

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
