import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { parseMarketFile } from '../../server/src/market/import.js';
import { fakeProviderEnv, startFakeYahoo, type FakeProvider } from '../../server/src/test/fake-providers.js';
import { eventually, signUp } from './support/app';
import { launchBrowser, openPage } from './support/browser';
import { startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;
let yahoo: FakeProvider;

beforeAll(async () => {
  yahoo = await startFakeYahoo({ missing: ['NOPE'] });
  // A pause between symbols, so the progress bar is seen on its way.
  [browser, server] = await Promise.all([launchBrowser(), startE2EServer({ ...fakeProviderEnv({ yahoo }), MARKET_FETCH_INTERVAL_MS: '400' })]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await yahoo?.close();
});

const CSV = ['date,open,high,low,close,volume', '2024-01-02,10,11,9.5,10.5,1000', '2024-01-03,10.5,12,10,11.75,1500'].join('\n');

test('an admin fetches from a provider (progress to 100 %, a result per symbol), imports files with the CLI’s checks, and starts a run on the new data set', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page, 'Admin');
    await page.getByTestId('sidebar-market-link').click();
    await page.getByTestId('market-data-page').waitFor();
    expect(await page.title()).toBe('Market data · Tradewire');
    await page.getByTestId('dataset-row-simulated').waitFor();

    // Every value the progress bar takes, from the first render on.
    await page.evaluate(() => {
      const w = window as unknown as { progress: number[] };
      w.progress = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=fetch-progress]');
        const now = Number(bar?.getAttribute('aria-valuenow'));
        if (bar && w.progress.at(-1) !== now) w.progress.push(now);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await page.getByTestId('fetch-symbols').fill('aapl, MSFT NOPE');
    await page.getByTestId('fetch-from').fill('2026-01-05');
    await page.getByTestId('fetch-to').fill('2026-03-31');
    await page.getByTestId('fetch-submit').click();

    await page.locator('[data-testid=fetch-job][data-status=completed]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('fetch-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('fetch-progress-text').textContent()).toBe('3 of 3 symbols · 100%');
    const seen = await page.evaluate(() => (window as unknown as { progress: number[] }).progress);
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((p) => p < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await page.getByTestId('fetch-result-AAPL').getAttribute('data-status')).toBe('updated');
    expect(await page.getByTestId('fetch-result-MSFT').getAttribute('data-status')).toBe('updated');
    expect(await page.getByTestId('fetch-result-NOPE').getAttribute('data-status')).toBe('failed');
    expect(await page.getByTestId('fetch-result-AAPL').textContent()).toContain('Jan 5, 2026 – Mar 31, 2026');

    // The new data set, with its span and symbols.
    const row = page.getByTestId('dataset-row-yahoo');
    await row.getByTestId('dataset-span').filter({ hasText: 'Jan 5, 2026 – Mar 31, 2026' }).waitFor();
    await page.getByTestId('dataset-symbols-yahoo').click();
    await eventually(async () => expect(await page.getByTestId('dataset-symbol-list').locator('li').allTextContents()).toEqual(['AAPL', 'MSFT']));

    // Files: one good, one with a bad number; each gets its own line, the bad one the CLI's message.
    const bad = `${CSV}\n2024-01-04,1,2,0.5,oops,10`;
    await page.getByTestId('import-files').setInputFiles([
      { name: 'UPLD.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) },
      { name: 'BADF.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) },
    ]);
    await page.getByTestId('import-submit').click();
    const results = page.getByTestId('import-result');
    await eventually(async () => expect(await results.count()).toBe(2));
    expect(await results.nth(0).textContent()).toBe('UPLD.csv: UPLD, 2 bars, Jan 2, 2024 – Jan 3, 2024');
    let cliMessage = '';
    try {
      parseMarketFile({ name: 'BADF.csv', content: bad });
    } catch (e) {
      cliMessage = (e as Error).message;
    }
    expect(cliMessage).toBe('BADF.csv line 4: bad number "oops" in close');
    expect(await results.nth(1).textContent()).toBe(`BADF.csv: ${cliMessage}`);
    await page.getByTestId('dataset-row-import').waitFor();

    // A model on the downloaded data: the start dialog shows the data set's dates before anything is sent.
    const model = await server.api('POST', '/api/models', token, {
      name: 'Real Apple',
      agent: { kind: 'buy_and_hold', params: {} },
      dataset: 'yahoo',
      allowed_symbols: ['AAPL'],
    });
    await page.goto(`/models/${model.id}`);
    await page.getByTestId('start-options').click();
    await page.getByTestId('start-dataset-span').filter({ hasText: 'Has bars from Jan 5, 2026 – Mar 31, 2026.' }).waitFor();
    await page.getByTestId('start-dataset').click();
    await page.getByTestId('start-dataset-simulated').waitFor();
    await page.keyboard.press('Escape');
    const form = page.getByTestId('start-form');
    await form.locator('input[name=start_date]').fill('2026-02-02');
    await form.locator('input[name=end_date]').fill('2026-02-27');
    await form.locator('input[name=pace_ms]').fill('0');
    await form.getByRole('button', { name: 'Start' }).click();
    await eventually(async () => {
      const [run] = (await server.api('GET', `/api/models/${model.id}/runs`, token)).items;
      expect(run).toMatchObject({ start_date: '2026-02-02', end_date: '2026-02-27' });
    });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
