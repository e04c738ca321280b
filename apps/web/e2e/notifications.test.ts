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

declare global {
  interface Window {
    recordedNotifications: { title: string; body: string }[];
  }
}

/** Before the app loads: the real Notification, recording every one constructed. */
function recordNotifications() {
  const Real = window.Notification;
  window.recordedNotifications = [];
  window.Notification = class extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      window.recordedNotifications.push({ title, body: options?.body ?? '' });
    }
  };
}

test('desktop notifications chosen on the settings page are kept on the server and shown when a run completes', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript(recordNotifications);
    const token = await signUp(page);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('settings-link').click();
    const complete = page.getByTestId('notify-desktop-complete');
    await complete.waitFor();
    expect(await complete.isChecked()).toBe(false);
    expect(await page.getByTestId('notify-sound-complete').isChecked()).toBe(false);
    // Permission is already granted in this context, so there is nothing to ask for.
    expect(await page.getByTestId('enable-desktop').count()).toBe(0);

    const saved = page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'PUT' && r.ok());
    await complete.check();
    await saved;
    // Created before the reload, so the tab's model list names it.
    const model = await server.api('POST', '/api/models', token, { name: 'Notifier', agent: { kind: 'buy_and_hold', params: {} } });
    await page.reload();
    await page.getByTestId('notify-desktop-complete').waitFor();
    expect(await page.getByTestId('notify-desktop-complete').isChecked()).toBe(true);
    expect(await page.getByTestId('notify-desktop-trade').isChecked()).toBe(false);
    const settings = await server.api('GET', '/api/settings', token);
    expect(settings.notifications.desktop.complete).toBe(true);
    expect(settings.notifications.desktop.trade).toBe(false);
    expect(settings.notifications.sound.complete).toBe(false);

    await page.getByTestId('connection-status').and(page.locator('[data-status=live]')).waitFor();
    await server.api('POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-03-02', end_date: '2026-03-31', pace_ms: 0 });

    await eventually(async () => {
      const shown = await page.evaluate(() => window.recordedNotifications);
      expect(shown).toHaveLength(1);
      expect(shown[0]!.title).toMatch(/^Notifier: Trading completed/);
    });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
