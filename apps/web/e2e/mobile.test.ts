import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { eventually, sidewaysOverflow, signUp } from './support/app';
import { launchBrowser, openPage, PHONE, saveScreenshot } from './support/browser';
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

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}

test('on a 390x844 phone the sidebar is a drawer, the context panel a bottom sheet, and nothing overflows sideways', async () => {
  const { context, page, errors } = await openPage(browser, server.url, { phone: true });
  try {
    const token = await signUp(page);
    const running = await server.api('POST', '/api/models', token, {
      name: 'Pocket Momentum with a rather long name that has to truncate',
      agent: { kind: 'random', params: { seed: 5, probability: 0.4 } },
      allowed_symbols: ['ZNTH', 'LDGR', 'SLRW'],
    });
    await server.api('POST', '/api/models', token, { name: 'Pocket Hold', agent: { kind: 'buy_and_hold', params: {} } });
    await server.api('POST', `/api/trading/start/${running.id}`, token, {});
    await page.goto('/');

    // The dashboard: no sidebar column, a menu button and the connection status in the header.
    await page.locator(`[data-testid=model-card-${running.id}][data-status=running]`).getByTestId('card-progress').waitFor();
    await page.getByTestId('stat-active-runs-value').filter({ hasText: /^1$/ }).waitFor();
    expect(await page.getByTestId('sidebar').count()).toBe(0);
    expect(await page.getByTestId('connection-status').isVisible()).toBe(true);
    expect(await page.getByTestId('connection-status').getAttribute('data-status')).toBe('live');
    const cards = await box(page.getByTestId('model-cards'));
    expect(cards.x).toBeGreaterThanOrEqual(0);
    expect(cards.x + cards.width).toBeLessThanOrEqual(PHONE.width);
    await page.locator('[data-sonner-toast]').first().waitFor();
    expect(await sidewaysOverflow(page)).toEqual([]);
    // A few weeks in, so the sparkline has a shape and the server's trade count has caught up.
    await page.getByTestId('card-progress').filter({ hasText: /^Day (1[2-9]|[2-9]\d)/ }).waitFor();
    await page.getByTestId('stat-trades-today-value').filter({ hasText: /^[1-9]\d+$/ }).waitFor();
    await saveScreenshot(page, 'mobile');

    // The drawer: slides over from the left, shows the live badge, closes when a model is picked.
    await page.getByTestId('open-sidebar').click();
    const drawer = page.getByRole('dialog').filter({ has: page.getByTestId('sidebar') });
    await drawer.waitFor();
    const d = await box(drawer);
    expect(d.x).toBe(0);
    expect(d.width).toBeLessThanOrEqual(PHONE.width * 0.85 + 1);
    expect(d.height).toBe(PHONE.height);
    await drawer.locator(`[data-testid=sidebar-model-${running.id}][data-status=running]`).getByTestId('live-badge').waitFor();
    expect(await sidewaysOverflow(page)).toEqual([]);
    await drawer.getByTestId(`sidebar-model-${running.id}`).click();
    await drawer.waitFor({ state: 'detached' });
    await page.locator(`[data-testid=model-page][data-model-id="${running.id}"][data-status=running]`).waitFor();
    await page.getByTestId('run-progress').waitFor();
    expect(await sidewaysOverflow(page)).toEqual([]);

    // The bottom sheet: the model's live stream, docked to the bottom, at most three quarters high.
    await page.getByTestId('open-context-panel').click();
    const sheet = page.getByRole('dialog').filter({ has: page.locator('[data-testid=context-panel][data-context=model]') });
    await sheet.waitFor();
    await sheet.getByTestId('model-stream').getByTestId('activity-item').first().waitFor();
    await eventually(async () => {
      const s = await box(sheet);
      expect(s.x).toBe(0);
      expect(s.width).toBe(PHONE.width);
      expect(Math.round(s.y + s.height)).toBe(PHONE.height);
      expect(s.height).toBeLessThanOrEqual(PHONE.height * 0.75 + 1);
    });
    expect(await sidewaysOverflow(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    // The other pages people use on a phone fit too: the model's tabs and the new-model form.
    for (const tab of ['Trades', 'Runs', 'Logs']) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await sidewaysOverflow(page), tab).toEqual([]);
    }
    await page.goto('/models/new');
    await page.getByTestId('model-form').waitFor();
    expect(await sidewaysOverflow(page)).toEqual([]);

    // The dashboard's sheet is the activity of every model.
    await page.goto('/');
    await page.getByTestId('open-context-panel').click();
    await page.locator('[data-testid=context-panel][data-context=dashboard]').getByTestId('activity-item').first().waitFor();
    expect(await sidewaysOverflow(page)).toEqual([]);

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
