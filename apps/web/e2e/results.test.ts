import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Benchmark, Breakdown, RoundTrip, RoundTrips, Run, Trade } from '@tradewire/contract';
import { eventually, signUp } from './support/app';
import { launchBrowser, openPage, saveScreenshot, type TestPage } from './support/browser';
import { startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;
let tab: TestPage;
let page: Page;
let token: string;
/** An SMA crossover model with two finished runs, and an RSI model with one. */
let cross: number;
let revert: number;
let run1: Run;
let run2: Run;
let other: Run;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startE2EServer()]);
  tab = await openPage(browser, server.url);
  page = tab.page;
  token = await signUp(page);
  const create = async (body: object) => (await server.api('POST', '/api/models', token, body)).id as number;
  const start = (id: number, from: string, to: string): Promise<Run> => server.api('POST', `/api/trading/start/${id}`, token, { start_date: from, end_date: to, pace_ms: 0 });
  const finished = async (model: number, run: Run) =>
    eventually(async () => expect((await server.api('GET', `/api/models/${model}/runs/${run.id}`, token)).status).toBe('completed'), 30_000);
  cross = await create({ name: 'Crosser', agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: ['ZNTH', 'LDGR', 'QLLX'] });
  revert = await create({ name: 'Reverter', agent: { kind: 'rsi_mean_reversion', params: {} }, allowed_symbols: ['VRDX', 'ZNTH'] });
  [run1, other] = await Promise.all([start(cross, '2026-04-01', '2026-10-30'), start(revert, '2026-04-01', '2026-10-30')]);
  await finished(cross, run1);
  await finished(revert, other);
  run2 = await start(cross, '2026-08-03', '2026-10-30');
  await finished(cross, run2);
});

afterAll(async () => {
  await tab?.context.close();
  await browser?.close();
  await server?.close();
});

/** The closed-trades rows as the page shows them, in its order. */
async function shownTrips(page: Page) {
  return page.getByTestId('round-trip-row').evaluateAll((rows) =>
    rows.map((r) => ({
      symbol: r.getAttribute('data-symbol'),
      entry_date: r.getAttribute('data-entry-date'),
      exit_date: r.getAttribute('data-exit-date'),
      quantity: Number(r.getAttribute('data-quantity')),
      pnl: Number(r.getAttribute('data-pnl')),
    })),
  );
}

const rowOf = (t: RoundTrip) => ({ symbol: t.symbol, entry_date: t.entry_date, exit_date: t.exit_date, quantity: t.quantity, pnl: t.pnl });

test('a finished run reads as results: closed trades as the API computes them, fill reasons, breakdown, a benchmark with its figures, SMA and RSI lines on the candles', { timeout: 30_000 }, async () => {
  // Closed trades: the API's round trips, in the order they closed, with their totals.
  const trips = (await server.api('GET', `/api/models/${cross}/runs/${run1.id}/round-trips`, token)) as RoundTrips;
  expect(trips.round_trips.length).toBeGreaterThan(2);
  await page.goto(`/models/${cross}/runs/${run1.run_number}`);
  await page.getByTestId('round-trips-table').waitFor();
  expect(await shownTrips(page)).toEqual(trips.round_trips.map(rowOf));
  const wins = trips.round_trips.filter((t) => t.pnl > 0).length;
  const totals = page.getByTestId('round-trip-totals');
  expect(await totals.getAttribute('data-count')).toBe(String(trips.round_trips.length));
  expect(await totals.getAttribute('data-wins')).toBe(String(wins));
  expect(await page.getByTestId('round-trip-row').first().getByTestId('entry-reason').textContent()).toBe(`In: ${trips.round_trips[0]!.entry_reason}`);
  // Sorted by P/L, biggest first, then flipped.
  await page.getByTestId('sort-pnl').click();
  const byPnl = [...trips.round_trips].map(rowOf).sort((a, b) => b.pnl - a.pnl);
  expect((await shownTrips(page)).map((t) => t.pnl)).toEqual(byPnl.map((t) => t.pnl));
  await page.getByTestId('sort-pnl').click();
  expect((await shownTrips(page)).map((t) => t.pnl)).toEqual(byPnl.map((t) => t.pnl).reverse());

  // The benchmark: the simulated market has no QQQ, so the equal-weighted universe, drawn on the equity chart.
  const universe = (await server.api('GET', `/api/models/${cross}/runs/${run1.id}/benchmark?benchmark=universe`, token)) as Benchmark;
  const detail = await server.api('GET', `/api/models/${cross}/runs/${run1.id}`, token);
  expect(await page.getByTestId('benchmark-select').inputValue()).toBe('universe');
  const chart = page.getByTestId('equity-chart');
  await page.locator(`[data-testid=equity-chart][data-benchmark-points="${detail.equity_curve.length}"]`).waitFor();
  expect(await chart.getAttribute('data-benchmark')).toBe('Equal-weighted universe (3 symbols)');
  expect(await chart.getByRole('img').getAttribute('aria-label')).toContain('Equal-weighted universe (3 symbols)');
  const stats = page.locator('[data-testid=benchmark-stats][data-benchmark=universe]');
  await stats.waitFor();
  expect(Number(await stats.getAttribute('data-beta'))).toBe(universe.stats.beta);
  expect(Number(await stats.getAttribute('data-alpha'))).toBe(universe.stats.alpha_pct);
  expect(Number(await stats.getAttribute('data-excess'))).toBe(universe.stats.excess_return_pct);
  expect(await stats.getByTestId('benchmark-information-ratio').locator('dd').textContent()).toMatch(/^[−\d]/);
  // Another benchmark: one of the run's symbols; the URL keeps it.
  await page.getByTestId('benchmark-select').selectOption('ZNTH');
  await page.locator('[data-testid=benchmark-stats][data-benchmark=ZNTH]').waitFor();
  await page.locator('[data-testid=equity-chart][data-benchmark="ZNTH buy-and-hold"]').waitFor();
  expect(new URL(page.url()).searchParams.get('benchmark')).toBe('ZNTH');

  // Fills carry their reasons.
  const fills = ((await server.api('GET', `/api/models/${cross}/trades?run_id=${run1.id}&limit=1000`, token)).items as Trade[]).filter((t) => t.action !== 'hold');
  await page.getByRole('tab', { name: 'Fills', exact: true }).click();
  const runPage = page.getByTestId('run-page');
  await runPage.getByTestId('trades-table').waitFor();
  const reasons = await runPage.getByTestId('trade-reason').allTextContents();
  expect(reasons).toEqual(fills.map((t) => t.reason ?? ''));
  expect(reasons.every((r) => r.length > 0)).toBe(true);

  // Breakdown: per symbol as the API has it; months, then weeks, as bars and as a table.
  const breakdown = (await server.api('GET', `/api/models/${cross}/runs/${run1.id}/breakdown`, token)) as Breakdown;
  await page.getByRole('tab', { name: 'Breakdown', exact: true }).click();
  await page.getByTestId('symbol-pnl-table').waitFor();
  const bySymbol = await page.getByTestId('symbol-pnl-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-symbol'), Number(r.getAttribute('data-total'))]));
  expect(bySymbol).toEqual([...breakdown.by_symbol].sort((a, b) => b.total_pnl - a.total_pnl).map((s) => [s.symbol, s.total_pnl]));
  expect(await page.getByTestId('profit-chart').getAttribute('data-bars')).toBe(String(breakdown.by_month.length));
  await page.getByTestId('profit-period-week').click();
  await page.locator(`[data-testid=profit-chart][data-period=week][data-bars="${breakdown.by_week.length}"]`).waitFor();
  await page.getByTestId('profit-view-table').click();
  expect(await page.getByTestId('profit-row').count()).toBe(breakdown.by_week.length);
  await page.locator(`[data-testid=exposure-chart][data-points="${breakdown.exposure.length}"]`).waitFor();

  // The candles with the strategy's own lines and its fills; the legend follows the cursor.
  await page.getByRole('tab', { name: 'Price chart', exact: true }).click();
  const price = page.locator('[data-testid=price-chart]:not([data-loading]):not([data-indicators=loading])');
  await price.waitFor();
  expect(await price.getAttribute('data-overlays')).toBe('SMA5,SMA20');
  expect(await price.getAttribute('data-oscillator')).toBe('');
  const bars = Number(await price.getAttribute('data-bars'));
  const drawn = Object.fromEntries(((await price.getAttribute('data-indicators')) ?? '').split(',').map((s) => s.split(':')).map(([n, c]) => [n, Number(c)]));
  // Warmed up before the run: every day of the run has both averages.
  expect(drawn).toEqual({ SMA5: bars, SMA20: bars });
  expect(Number(await price.getAttribute('data-markers'))).toBeGreaterThan(0);
  expect(await price.getAttribute('aria-label')).toContain('SMA5 and SMA20 drawn over the prices');
  const legend = page.getByTestId('price-chart-legend');
  const lastDay = await legend.getAttribute('data-date');
  expect(await page.getByTestId('price-chart-indicator-legend').textContent()).toMatch(/SMA5 [\d,.]+SMA20 [\d,.]+/);
  const box = (await price.boundingBox())!;
  await price.hover({ position: { x: box.width * 0.2, y: box.height * 0.4 } });
  await eventually(async () => expect(await legend.getAttribute('data-date')).not.toBe(lastDay));
  expect(await legend.textContent()).toMatch(/O \$[\d,.]+H \$[\d,.]+L \$[\d,.]+C \$[\d,.]+V [\d,]+/);
  await saveScreenshot(page, 'run-price-indicators');

  // An RSI strategy: its line in a pane of its own, with the thresholds it trades on.
  await page.goto(`/models/${revert}/runs/${other.run_number}?tab=chart`);
  const rsi = page.locator('[data-testid=price-chart]:not([data-loading]):not([data-indicators=loading])');
  await rsi.waitFor();
  expect(await rsi.getAttribute('data-oscillator')).toBe('RSI14');
  expect(await rsi.getAttribute('data-thresholds')).toBe('30,70');
  expect(await rsi.getAttribute('data-overlays')).toBe('');

  expect(tab.errors).toEqual([]);
});

test('runs of one model and of another compared: ticked in the runs table, added on the page, metrics as the API has them, curves normalised to 100', { timeout: 30_000 }, async () => {
  const detail = await server.api('GET', `/api/models/${cross}/runs/${run1.id}`, token);
  // Compare: tick the model's two runs, then add the other model's run on the compare page.
  await page.goto(`/models/${cross}`);
  await page.getByRole('tab', { name: 'Runs', exact: true }).click();
  await page.getByTestId(`compare-run-${run1.run_number}`).check();
  await page.getByTestId(`compare-run-${run2.run_number}`).check();
  await page.getByTestId('compare-runs').click();
  await page.waitForURL(`**/compare?runs=${cross}:${run1.run_number},${cross}:${run2.run_number}`);
  const compareChart = page.locator('[data-testid=compare-chart][data-series="2"]');
  await compareChart.waitFor();
  expect(await page.getByTestId('compare-page').getAttribute('data-runs')).toBe(`${run1.id},${run2.id}`);
  // The union of both runs' days: the longer run covers the shorter one.
  expect(Number(await compareChart.getAttribute('data-points'))).toBe(detail.equity_curve.length);
  expect(await page.getByTestId('compare-legend-item').allTextContents()).toEqual([
    expect.stringContaining(`Crosser · Run #${run1.run_number}`),
    expect.stringContaining(`Crosser · Run #${run2.run_number}`),
  ]);
  const comparison = await server.api('GET', `/api/runs/compare?ids=${run1.id},${run2.id}`, token);
  const totalReturn = page.locator('[data-testid=compare-metric-row][data-metric="Total return"] td[data-value]');
  expect((await totalReturn.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value')))))).toEqual(
    comparison.runs.map((r: { metrics: { total_return_pct: number } }) => r.metrics.total_return_pct),
  );
  await page.getByTestId('compare-add-model').selectOption(String(revert));
  await page.getByTestId('compare-add-run').selectOption(String(other.run_number));
  await page.getByTestId('compare-add-button').click();
  await page.locator('[data-testid=compare-chart][data-series="3"]').waitFor();
  await page.getByTestId('compare-legend').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'compare');
  expect(await page.getByTestId('compare-picked-run').count()).toBe(3);
  expect(new URL(page.url()).searchParams.get('runs')).toBe(`${cross}:${run1.run_number},${cross}:${run2.run_number},${revert}:${other.run_number}`);
  // Back to two: the first run removed.
  await page.getByRole('button', { name: `Remove Crosser · Run #${run1.run_number} from the comparison` }).click();
  await page.locator('[data-testid=compare-chart][data-series="2"]').waitFor();
  expect(await page.getByTestId('compare-page').getAttribute('data-runs')).toBe(`${run2.id},${other.id}`);

  expect(tab.errors).toEqual([]);
});
