import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

/** What has keyboard focus: its tag, test id, name attribute and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      testId: el?.getAttribute('data-testid') ?? '',
      name: el?.getAttribute('name') ?? '',
      text: (el?.textContent ?? '').trim(),
      inPicker: Boolean(el?.closest('[data-testid=symbol-picker]')),
    };
  });

test('by keyboard alone: dashboard to a created, started model in at most 15 Tabs, focus on each page’s h1 and on the Start/Stop toggle', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    await page.goto('/');
    await page.getByTestId('dashboard').waitFor();
    let tabs = 0;
    const tab = async () => {
      tabs++;
      await page.keyboard.press('Tab');
    };

    // The first Tab reaches the skip link, which jumps past the sidebar.
    await tab();
    expect((await focused(page)).testId).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect((await focused(page)).testId).toBe('main');
    await tab();
    expect((await focused(page)).testId).toBe('new-model');
    await page.keyboard.press('Enter');

    // The form: focus starts on its heading, the first Tab is the first field.
    await page.getByTestId('model-form').waitFor();
    await eventually(async () => expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'New model' }));
    expect(await page.title()).toBe('New model · Tradewire');
    await tab();
    expect((await focused(page)).name).toBe('name');
    await page.keyboard.type('Keyboard Cross');
    // The 30 symbols are one stop: Tab until inside the picker, pick two with Space and an arrow, one Tab leaves.
    while (!(await focused(page)).inPicker) {
      await tab();
      expect(tabs, 'tabs to reach the symbol picker').toBeLessThan(15);
    }
    const first = (await focused(page)).testId;
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    // The roving focus moves on the next tick.
    const second = await eventually(async () => {
      const now = (await focused(page)).testId;
      expect(now).not.toBe(first);
      return now;
    });
    await page.keyboard.press('Space');
    await tab();
    expect((await focused(page)).inPicker).toBe(false);
    expect((await focused(page)).name).toBe('risk.max_position_pct');
    // Enter in a one-line field saves.
    await page.keyboard.press('Enter');

    // The model's page: focus on its name, then one Tab to Start.
    await page.getByTestId('model-page').waitFor();
    const id = Number(await page.getByTestId('model-page').getAttribute('data-model-id'));
    await eventually(async () => expect(await focused(page)).toMatchObject({ tag: 'h1', text: expect.stringContaining('Keyboard Cross') }));
    expect(await page.title()).toBe('Keyboard Cross · Tradewire');
    await tab();
    expect((await focused(page)).testId).toBe(`start-${id}`);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid=model-page][data-status=running]`).waitFor();
    console.log(`keyboard: dashboard to a started model in ${tabs} Tabs`);
    expect(tabs).toBeLessThanOrEqual(15);

    // The toggle flipped under the focus: Stop has it now, and Enter stops the run.
    await eventually(async () => expect((await focused(page)).testId).toBe(`stop-${id}`));
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid=model-page][data-status=idle]`).waitFor();
    await eventually(async () => expect((await focused(page)).testId).toBe(`start-${id}`));

    const model = await server.api('GET', `/api/models/${id}`, token);
    expect(model.allowed_symbols).toEqual([first, second].map((t) => t.replace('symbol-', '')));
    const runs = await server.api('GET', `/api/models/${id}/runs`, token);
    expect(runs.items).toHaveLength(1);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a new page opens at the top; Back returns to where the last one was scrolled', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    const model = await server.api('POST', '/api/models', token, { name: 'Tall Page', agent: { kind: 'random', params: { seed: 1, probability: 0.5 } } });
    const run = await server.api('POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-09-01', end_date: '2026-09-30', pace_ms: 0 });
    await eventually(async () => expect((await server.api('GET', `/api/models/${model.id}/runs/${run.id}`, token)).status).toBe('completed'), 30_000);

    await page.goto(`/models/${model.id}`);
    await page.getByTestId('portfolio-summary').waitFor();
    const scrollY = () => page.evaluate(() => Math.round(window.scrollY));
    await page.evaluate(() => window.scrollTo(0, 400));
    await eventually(async () => expect(await scrollY()).toBe(400));

    await page.getByTestId('search-link').click();
    await page.getByTestId('search-page').waitFor();
    expect(await scrollY()).toBe(0);

    await page.goBack();
    await page.getByTestId('portfolio-summary').waitFor();
    await eventually(async () => expect(await scrollY()).toBe(400));
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a page whose code fails to load says so inside the app and loads on Retry', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    await signUp(page);
    const chunk = '**/assets/SearchPage-*.js';
    await page.route(chunk, (route) => route.abort('connectionrefused'));
    await page.getByTestId('search-link').click();

    // The shell stays (sidebar, header); the page area says what happened and offers Retry.
    await page.getByTestId('page-load-error').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Couldn’t load this page');
    expect(await page.getByTestId('sidebar').isVisible()).toBe(true);
    expect(await page.getByText('Hey developer').count()).toBe(0);

    await page.unroute(chunk);
    await page.getByTestId('page-retry').click();
    await page.getByTestId('search-page').waitFor();
    expect(await page.getByTestId('page-load-error').count()).toBe(0);
    // Errors the failed chunk caused are the test's doing; nothing else may have thrown.
    expect(errors.filter((e) => !/dynamically imported module|Failed to fetch/.test(e))).toEqual([]);
  } finally {
    await context.close();
  }
});
