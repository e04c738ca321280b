import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, numberIn, recordRestRequests, signUp } from './support/app';
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

/** Debounced refetches run at most 3 s after a burst's first event; wait that out before counting. */
const SETTLE_MS = 3_500;
/** Long enough for a page's first loads to finish, so only the burst's requests are counted. */
const QUIET_MS = 1_000;

/** A run of the seeded coin flip on five symbols, trading every symbol every day, as fast as it can. */
const BURST = { start_date: '2026-09-16', end_date: '2026-10-30', pace_ms: 0 };

async function filledTrades(token: string, modelId: number, runId: number): Promise<number> {
  const events = (await server.api('GET', `/api/models/${modelId}/runs/${runId}/events`, token)).items;
  return events.filter((e: any) => e.type === 'trade' && e.data.status === 'filled').length;
}

/** Waits for the run to end in the browser (card or page idle, the final trade count shown), then for refetches to settle. */
async function settled(page: Page, idle: string, tradesTestId: string, trades: number) {
  await page.locator(idle).waitFor();
  await eventually(async () => expect(numberIn(await page.getByTestId(tradesTestId).first().textContent())).toBe(trades));
  await page.waitForTimeout(SETTLE_MS);
}

// Measured here: 135 fills cost the dashboard 4 REST requests (models, stats, positions,
// performance) and the model page 11 (the start, its own refresh, then one debounced refresh).
test('a burst of 100+ trades costs the dashboard a handful of REST requests, not one per trade', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const model = await server.api('POST', '/api/models', token, {
      name: 'Burst',
      agent: { kind: 'random', params: { seed: 1, probability: 1 } },
      allowed_symbols: ['ZNTH', 'QLLX', 'VRDX', 'HLVX', 'MDRQ'],
    });

    // On the dashboard: stats, cards, sidebar and the activity feed all follow the burst.
    await page.goto('/');
    await page.getByTestId(`model-card-${model.id}`).waitFor();
    await page.waitForTimeout(QUIET_MS);
    const onDashboard = recordRestRequests(page);
    const run1 = await server.api('POST', `/api/trading/start/${model.id}`, token, BURST);
    await eventually(async () => expect((await server.api('GET', `/api/models/${model.id}/runs/${run1.id}`, token)).status).toBe('completed'));
    const burst1 = await filledTrades(token, model.id, run1.id);
    expect(burst1).toBeGreaterThanOrEqual(100);
    await settled(page, `[data-testid=model-card-${model.id}][data-status=idle]`, 'card-trades', burst1);
    onDashboard.stop();
    console.log(`dashboard: ${burst1} trades -> ${onDashboard.requests.length} REST requests: ${onDashboard.requests.join(', ')}`);
    expect(onDashboard.requests.length).toBeLessThan(20);
    await eventually(async () => expect(numberIn(await page.getByTestId('stat-trades-today-value').textContent())).toBe(burst1));

    // On the model page, started from the "Start with options" dialog: the click's own request
    // and refresh are counted too.
    await page.getByTestId(`sidebar-model-${model.id}`).click();
    await page.locator(`[data-testid=model-page][data-model-id="${model.id}"]`).waitFor();
    await page.waitForTimeout(QUIET_MS);
    const onModelPage = recordRestRequests(page);
    await page.getByTestId('start-options').click();
    const form = page.getByTestId('start-form');
    await form.locator('input[name=start_date]').fill(BURST.start_date);
    await form.locator('input[name=end_date]').fill(BURST.end_date);
    await form.locator('input[name=pace_ms]').fill(String(BURST.pace_ms));
    await form.getByRole('button', { name: 'Start' }).click();
    await form.waitFor({ state: 'detached' });
    const run2 = await eventually(async () => {
      const latest = (await server.api('GET', `/api/models/${model.id}/runs`, token)).items[0];
      expect(latest.id).not.toBe(run1.id);
      expect(latest.status).toBe('completed');
      return latest;
    });
    const burst2 = await filledTrades(token, model.id, run2.id);
    await settled(page, `[data-testid=model-page][data-model-id="${model.id}"][data-status=idle]`, 'model-trade-count', burst2);
    onModelPage.stop();
    console.log(`model page: ${burst2} trades -> ${onModelPage.requests.length} REST requests: ${onModelPage.requests.join(', ')}`);
    expect(onModelPage.requests.length).toBeLessThan(20);

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
