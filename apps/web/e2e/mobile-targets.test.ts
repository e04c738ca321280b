import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, sidewaysOverflow, signUp, smallTapTargets } from './support/app';
import { launchBrowser, openPage, PHONE } from './support/browser';
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

test('on a 390x844 phone no visible control is under 44x44 px, nothing overflows sideways, and a bottom bar holds the sections', { timeout: 180_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url, { phone: true });
  try {
    const token = await signUp(page);
    const done = await server.api('POST', '/api/models', token, {
      name: 'Thumb Flip',
      agent: { kind: 'random', params: { seed: 2, probability: 0.6 } },
      allowed_symbols: ['ZNTH', 'LDGR'],
    });
    const run = await server.api('POST', `/api/trading/start/${done.id}`, token, { start_date: '2026-09-01', end_date: '2026-10-15', pace_ms: 0 });
    await eventually(async () => expect((await server.api('GET', `/api/models/${done.id}/runs/${run.id}`, token)).status).toBe('completed'), 30_000);
    // A second model trades while the pages are measured: live events, badges and toasts are on screen too.
    const live = await server.api('POST', '/api/models', token, { name: 'Thumb Live', agent: { kind: 'buy_and_hold', params: {} }, allowed_symbols: ['QLLX'] });
    await server.api('POST', `/api/trading/start/${live.id}`, token, { pace_ms: 400 });

    const pages: [string, string, string[]?][] = [
      ['/', '[data-testid=model-cards]'],
      [`/models/${done.id}`, '[data-testid=portfolio-summary]', ['Trades', 'Runs', 'Logs']],
      ['/models/new', '[data-testid=symbol-ZNTH]'],
      [`/models/${done.id}/runs/${run.run_number}`, '[data-testid=benchmark-stats]', ['Fills', 'Breakdown', 'Price chart', 'Event timeline']],
      [`/compare?runs=${done.id}:${run.run_number},${live.id}:1`, '[data-testid=compare-metrics]'],
      ['/models/new/rules?template=rsi_dip', '[data-testid=preview-line]'],
      [`/models/${done.id}/runs/${run.run_number}/replay`, '[data-testid=replay-controls]'],
      ['/timeline', '[data-testid=timeline]'],
      ['/arena', '[data-testid=arena-models] li'],
      ['/search', '[data-testid=search-results]'],
      ['/settings', '[data-testid=notify-table]'],
      ['/admin', '[data-testid=admin-users]', ['Models', 'Leaderboard']],
      ['/admin/market', '[data-testid=dataset-row-simulated]'],
      ['/nowhere', '[data-testid=not-found]'],
    ];
    const small: string[] = [];
    for (const [path, ready, tabs] of pages) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      small.push(...(await smallTapTargets(page)).map((s) => `${path}: ${s}`));
      small.push(...(await sidewaysOverflow(page)).map((s) => `${path} overflows: ${s}`));
      for (const tab of tabs ?? []) {
        await page.getByRole('tab', { name: tab, exact: true }).click();
        await page.locator('[role=tabpanel][data-state=active]').waitFor();
        small.push(...(await smallTapTargets(page)).map((s) => `${path} › ${tab}: ${s}`));
      }
    }
    // The drawer and the activity sheet, open.
    await page.goto('/');
    await page.getByTestId('open-sidebar').click();
    await page.getByRole('dialog').getByTestId('sidebar').waitFor();
    small.push(...(await smallTapTargets(page)).map((s) => `drawer: ${s}`));
    await page.keyboard.press('Escape');
    await page.getByTestId('open-context-panel').click();
    await page.getByRole('dialog').getByTestId('context-panel').waitFor();
    small.push(...(await smallTapTargets(page)).map((s) => `activity sheet: ${s}`));
    await page.keyboard.press('Escape');
    expect(small).toEqual([]);

    // The sections sit in a bar along the bottom edge.
    const bar = (await page.getByTestId('bottom-nav').boundingBox())!;
    expect(Math.round(bar.y + bar.height)).toBe(PHONE.height);
    expect(await page.getByTestId('bottom-nav').getByRole('link').allTextContents()).toEqual(['Dashboard', 'Arena', 'Timeline', 'Search', 'Settings']);
    await page.getByTestId('bottom-nav').getByRole('link', { name: 'Arena' }).click();
    await page.getByTestId('arena-page').waitFor();

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('on a phone toasts come from the top, clear of the bottom bar, and a swipe dismisses one', async () => {
  const { context, page, errors } = await openPage(browser, server.url, { phone: true });
  try {
    const token = await signUp(page);
    // A busy trader: a toast (or a burst summary) every few hundred ms, so one is always there to swipe.
    const model = await server.api('POST', '/api/models', token, {
      name: 'Swipe Flip',
      agent: { kind: 'random', params: { seed: 4, probability: 0.9 } },
      allowed_symbols: ['QLLX', 'ZNTH', 'LDGR'],
    });
    await page.reload();
    await page.getByTestId(`model-card-${model.id}`).waitFor();
    // A trade toast appears at the top, clear of the bottom bar.
    await server.api('POST', `/api/trading/start/${model.id}`, token, { pace_ms: 300 });
    const toast = page.locator('[data-sonner-toast]').first();
    await toast.waitFor();
    // A pointer on the toasts pauses their timers, so this one waits for the swipe.
    await toast.hover();
    const t = (await toast.boundingBox())!;
    expect(t.y + t.height).toBeLessThan(PHONE.height / 2);
    expect(await page.locator('[data-sonner-toaster]').getAttribute('data-y-position')).toBe('top');
    // Swiped up, it goes: sonner marks it swiped out (for 200 ms), then removes it.
    await page.evaluate(() => {
      const w = window as unknown as { swipedOut: number };
      w.swipedOut = 0;
      new MutationObserver((changes) => {
        for (const c of changes) if ((c.target as Element).getAttribute('data-swipe-out') === 'true') w.swipedOut++;
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-swipe-out'] });
    });
    await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2);
    await page.mouse.down();
    await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2 - 30, { steps: 3 });
    await page.mouse.move(t.x + t.width / 2, t.y - 60, { steps: 5 });
    await page.mouse.up();
    await eventually(async () => expect(await page.evaluate(() => (window as unknown as { swipedOut: number }).swipedOut)).toBe(1));
    await page.getByTestId(`stop-${model.id}`).click();

    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
