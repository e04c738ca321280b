import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RULE_TEMPLATES } from '@tradewire/contract';
import { eventually, signUp } from './support/app';
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

const rsi = (period: number) => ({ kind: 'rsi', period });
const constant = (value: number) => ({ kind: 'constant', value });

/** The rule document a user builds by hand below: the RSI dip template without its RSI exit. */
const BY_HAND = {
  version: 1,
  rule_sets: [
    {
      symbols: [],
      entries: [
        {
          when: {
            kind: 'all',
            conditions: [
              { kind: 'compare', left: rsi(14), op: 'below', right: constant(30) },
              { kind: 'compare', left: { kind: 'price', field: 'close' }, op: 'above', right: { kind: 'sma', period: 200 } },
            ],
          },
          buy: { kind: 'percent_of_equity', percent: 25 },
        },
      ],
      exits: [],
      stops: { stop_loss_pct: null, take_profit_pct: 8, trailing_stop_pct: null, trailing_atr: null, max_holding_days: 10 },
    },
  ],
};

const control = (page: Page, role: 'combobox' | 'textbox' | 'checkbox', name: string) => page.getByRole(role, { name, exact: true });

test('a new user builds "RSI(14) < 30 and price above SMA(200), out at +8 % or after 10 days" by hand, backtests, saves and starts it', { timeout: 60_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    // From the model form's kind choice to the builder.
    await page.getByTestId('new-model').click();
    await page.getByTestId('model-form').waitFor();
    await page.getByTestId('agent-kind').click();
    await page.getByTestId('agent-kind-rules').click();
    await page.getByTestId('strategy-builder').waitFor();
    expect(new URL(page.url()).pathname).toBe('/models/new/rules');

    // A blank strategy starts with one entry rule: RSI(14) below 30, buying 25 % of equity.
    const preview = page.getByTestId('rules-preview');
    await expect.poll(() => preview.textContent()).toContain('Entry rule 1: buy 25% of equity when RSI(14) is below 30.');

    // A second condition: the last close above SMA(200), chosen from dropdowns.
    await page.locator('[data-path="rule_sets.0.entries.0.when"] [data-testid=add-condition]').first().click();
    const second = 'Entry rule 1, condition 2';
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`${second}: left side: what to read`);
    await control(page, 'combobox', `${second}: left side: what to read`).selectOption('price');
    await control(page, 'combobox', `${second}: comparison`).selectOption('above');
    await control(page, 'combobox', `${second}: right side: what to read`).selectOption('sma');
    const period = control(page, 'textbox', `${second}: right side: SMA days`);
    // Inline validation, from the contract's schema, at the field.
    await period.fill('1000');
    await expect.poll(() => period.getAttribute('aria-invalid')).toBe('true');
    const problem = page.locator('[data-testid=rule-error][data-path="rule_sets.0.entries.0.when.conditions.1.right.period"]');
    expect(await problem.textContent()).toBe('must be at most 500');
    await period.fill('200');
    await problem.waitFor({ state: 'detached' });

    // Out at +8 % or after 10 days.
    await control(page, 'checkbox', 'Take-profit').check();
    await control(page, 'checkbox', 'Sell after a number of days').check();
    await expect
      .poll(() => preview.locator('[data-testid=preview-line]').allTextContents())
      .toEqual([
        'Entry rule 1: buy 25% of equity when RSI(14) is below 30 and the last close is above SMA(200).',
        "Take-profit: sell the whole position when today's open is 8% or more above the entry price.",
        'Time stop: sell the whole position after 10 days held.',
      ]);

    // Backtest now, before saving: metrics, equity against buy-and-hold, round trips.
    await page.getByTestId('backtest-from').fill('2025-01-02');
    await page.getByTestId('backtest-to').fill('2026-10-30');
    await page.getByTestId('backtest-now').click();
    const results = page.getByTestId('backtest-results');
    await results.waitFor({ timeout: 20_000 });
    expect(await results.getByTestId('metrics-grid').textContent()).toContain('Total return');
    const trips = results.getByTestId('round-trip');
    expect(await trips.count()).toBeGreaterThan(0);
    expect(await trips.first().textContent()).toMatch(/In: Entry rule 1: RSI\(14\) [\d.]+ < 30 AND close [\d.]+ > SMA\(200\) [\d.]+/);
    expect(await trips.first().textContent()).toMatch(/Out: (Take-profit|Time stop)/);
    const chart = results.getByTestId('backtest-chart');
    expect(await chart.getByRole('img').getAttribute('aria-label')).toMatch(/^Equity of the strategy against buy-and-hold from 2025-01-02 to 2026-10-30: /);
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    await chart.getByText('Show data').click();
    // The table renders after the click's own frame: wait for it rather than read it at once.
    const points = Number(await chart.getAttribute('data-points'));
    expect(points).toBeGreaterThan(0);
    await eventually(async () => expect(await chart.getByRole('row').count()).toBe(points + 1));
    expect((await page.getByTestId('backtest-status').textContent())!).toMatch(/^Backtest finished: /);
    expect((await server.api('GET', '/api/models', token)).items).toEqual([]);
    await saveScreenshot(page, 'builder');

    // Save as a model, then start it: the model page shows it running.
    await page.getByTestId('builder-name').fill('RSI dip by hand');
    await page.getByTestId('save-strategy').click();
    await expect.poll(() => page.getByTestId('save-status').textContent()).toMatch(/^Saved as RSI dip by hand\./);
    const id = Number(await page.getByTestId('strategy-builder').getAttribute('data-saved-id'));
    const saved = await server.api('GET', `/api/models/${id}`, token);
    expect(saved.agent).toEqual({ kind: 'rules', params: BY_HAND });

    await page.getByTestId('start-pace').selectOption('200');
    await page.getByTestId('start-strategy').click();
    const modelPage = page.locator(`[data-testid=model-page][data-model-id="${id}"]`);
    await modelPage.waitFor();
    await page.locator(`[data-testid=model-page][data-status=running]`).waitFor();
    const run = (await server.api('GET', `/api/models/${id}/runs`, token)).items[0];
    expect(run).toMatchObject({ start_date: '2025-01-02', end_date: '2026-10-30', pace_ms: 200, status: 'running' });
    await page.getByTestId(`stop-${id}`).click();
    await page.locator(`[data-testid=model-page][data-status=idle]`).waitFor();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('by keyboard alone: a template, conditions reordered with buttons, exported, and a broken file refused naming the path', { timeout: 45_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    await signUp(page);
    await page.goto('/models/new/rules');
    await page.getByTestId('strategy-builder').waitFor();
    await page.getByTestId('template-rsi_dip').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('builder-name').inputValue()).toBe('RSI dip with trend filter');

    // Move the trend filter above the RSI condition with the keyboard: focus follows the moved condition.
    const conditions = page.locator('[data-path="rule_sets.0.entries.0.when"] > ol > [data-testid=condition]');
    const lefts = () => conditions.evaluateAll((items) => items.map((li) => li.querySelector('[data-testid=operand]')?.getAttribute('data-kind')));
    expect(await lefts()).toEqual(['rsi', 'price']);
    await page.getByRole('button', { name: 'Move Entry rule 1, condition 2 up', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(lefts).toEqual(['price', 'rsi']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Entry rule 1, condition 1 up');
    await expect.poll(() => page.getByTestId('rules-preview').textContent()).toContain('when the last close is above SMA(200) and RSI(14) is below 30.');

    // Export: a versioned strategy file holding the rules as the preview reads them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-strategy').press('Enter')]);
    expect(download.suggestedFilename()).toBe('rsi-dip-with-trend-filter.strategy.json');
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    const template = structuredClone(RULE_TEMPLATES.find((t) => t.id === 'rsi_dip')!.document) as any;
    template.rule_sets[0].entries[0].when.conditions.reverse();
    expect(file).toEqual({ format: 'tradewire-strategy', version: 1, name: 'RSI dip with trend filter', description: '', rules: template });

    // A shared file with a bad value is refused, naming where; nothing changes.
    file.rules.rule_sets[0].stops.take_profit_pct = 0;
    await page.getByTestId('paste-toggle').click();
    await page.getByTestId('paste-text').fill(JSON.stringify(file));
    await page.getByTestId('paste-load').click();
    expect(await page.getByTestId('import-problems').textContent()).toContain('rules.rule_sets.0.stops.take_profit_pct: must be at least 0.1');
    // The good file loads (the rules were changed since the template: it asks first).
    file.rules.rule_sets[0].stops.take_profit_pct = 12;
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('paste-text').fill(JSON.stringify(file));
    await page.getByTestId('paste-load').click();
    await expect.poll(() => page.getByTestId('rules-preview').textContent()).toContain('12% or more above the entry price');
    await page.getByTestId('import-problems').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('on a 390x844 phone the builder fits, and a rules model opens in it from its edit link', { timeout: 45_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url, { phone: true });
  try {
    const token = await signUp(page);
    const model = await server.api('POST', '/api/models', token, { name: 'Breakout', agent: { kind: 'rules', params: RULE_TEMPLATES.find((t) => t.id === 'bollinger_breakout')!.document } });
    await page.goto(`/models/${model.id}/edit`);
    await page.getByTestId('strategy-builder').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/models/${model.id}/rules`);
    await eventually(async () => expect(await page.getByTestId('preview-line').first().textContent()).toMatch(/^Entry rule 1: buy 25% of equity when the last close crosses above Bollinger upper\(20,2\)\.$/));
    // Opened as saved: nothing to save until something changes; then it says so.
    expect(await page.getByTestId('save-strategy').textContent()).toBe('Saved');
    expect(await page.getByTestId('start-strategy').textContent()).toBe('Start');
    await page.getByTestId('template-golden_cross').click();
    await expect.poll(() => page.getByTestId('save-strategy').textContent()).toBe('Save changes');
    await saveScreenshot(page, 'builder-phone');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
