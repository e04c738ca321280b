import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signUp } from './support/app';
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

const sessionUser = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('tradewire.session') ?? 'null')?.user as { id: number; email: string; role: string });

test('an admin sees every user and changes a role; a normal user gets no admin link and a 403', async () => {
  const admin = await openPage(browser, server.url);
  const trader = await openPage(browser, server.url);
  try {
    // The first account of a fresh server is the admin.
    const adminToken = await signUp(admin.page, 'Root');
    const traderToken = await signUp(trader.page, 'Trader');
    const traderUser = await sessionUser(trader.page);
    expect(traderUser.role).toBe('user');

    // The trader: no Admin link, a clear message at /admin, and the API refuses.
    expect(await trader.page.getByTestId('admin-link').count()).toBe(0);
    await trader.page.goto('/admin');
    await trader.page.getByTestId('admins-only').getByText('Admins only').waitFor();
    expect(await trader.page.getByTestId('admin-page').count()).toBe(0);
    const refused = await fetch(`${server.url}/api/admin/users`, { headers: { authorization: `Bearer ${traderToken}` } });
    expect(refused.status).toBe(403);

    // The admin: the link opens the users table, which lists both accounts.
    await admin.page.getByTestId('admin-link').click();
    await admin.page.getByTestId('admin-page').waitFor();
    const row = admin.page.getByTestId(`admin-user-${traderUser.id}`);
    await row.waitFor();
    expect(await row.getAttribute('data-email')).toBe(traderUser.email);
    expect(await row.getAttribute('data-role')).toBe('user');
    expect(await admin.page.getByTestId('admin-users').locator('tbody tr').count()).toBe(2);

    // Make the trader an admin through the role select.
    await admin.page.getByTestId(`role-select-${traderUser.id}`).click();
    await admin.page.getByTestId('role-option-admin').click();
    await admin.page.locator(`[data-testid=admin-user-${traderUser.id}][data-role=admin]`).waitFor();
    const users = await server.api('GET', '/api/admin/users', adminToken);
    expect(users.items.find((u: { id: number }) => u.id === traderUser.id).role).toBe('admin');

    // The other tabs render too.
    await admin.page.getByTestId('admin-tab-stats').click();
    await admin.page.getByTestId('admin-stat-users-value').filter({ hasText: /^2$/ }).waitFor();
    await admin.page.getByTestId('admin-tab-leaderboard').click();
    await admin.page.getByTestId('leaderboard-empty').waitFor();
    await admin.page.getByTestId('admin-tab-users').click();
    await saveScreenshot(admin.page, 'admin');

    expect(admin.errors).toEqual([]);
    expect(trader.errors).toEqual([]);
  } finally {
    await admin.context.close();
    await trader.context.close();
  }
});
