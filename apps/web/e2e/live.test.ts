import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { type FakeAlpacaLive, fakeAlpacaLiveEnv, startFakeAlpacaLive } from '../../server/src/test/fake-alpaca-live.js';
import { eventually, numberIn, signUp } from './support/app';
import { expectAccessible } from './support/axe';
import { launchBrowser, openPage } from './support/browser';
import { startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;
let alpaca: FakeAlpacaLive;

// The test-only clock (TEST_CLOCK): Monday 30 November 2026, 10:03 in New York, running 60 times
// faster than the wall clock, so a 5-minute bar passes every 5 seconds. Both the server (across
// its restart) and the fake Alpaca read the same timeline.
const ORIGIN = '2026-11-30T15:03:00Z';
const SCALE = 60;
const anchor = Date.now();
const virtualNow = () => Date.parse(ORIGIN) + (Date.now() - anchor) * SCALE;

beforeAll(async () => {
  alpaca = await startFakeAlpacaLive(virtualNow, { pageSize: 100 });
  [browser, server] = await Promise.all([
    launchBrowser(),
    startE2EServer({ ...fakeAlpacaLiveEnv(alpaca), TEST_CLOCK: `${ORIGIN},${anchor},${SCALE}`, MARKET_FETCH_INTERVAL_MS: '0' }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await alpaca?.close();
});

test('a new user with Alpaca keys starts a model live on 5-minute bars of AAPL and MSFT, watches it decide bar by bar, and it carries on after a restart', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    // The first account is the admin, who may fetch market data.
    const token = await signUp(page, 'Trader');
    // The market clock follows the exchange's calendar.
    await expect.poll(() => page.getByTestId('market-clock').textContent()).toBe('Market open · closes 16:00 ET');

    // AAPL and MSFT from Alpaca into a data set of their own, then a model trading them.
    const job = await server.api('POST', '/api/market/fetch', token, { provider: 'alpaca', symbols: ['AAPL', 'MSFT'], dataset: 'alpaca', from: '2026-06-01' });
    await eventually(async () => expect((await server.api('GET', `/api/market/fetch/${job.job_id}`, token)).status).toBe('completed'));
    const model = await server.api('POST', '/api/models', token, {
      name: 'Live AAPL MSFT',
      agent: { kind: 'random', params: { seed: 7, probability: 0.5 } },
      allowed_symbols: ['AAPL', 'MSFT'],
      dataset: 'alpaca',
    });

    await page.goto(`/models/${model.id}`);
    await page.getByTestId(`start-live-${model.id}`).click();
    await page.getByTestId('live-timeframe').click();
    await page.getByTestId('live-timeframe-5m').click();
    await page.getByTestId('live-submit').click();

    // The model page says when the next decision is due, then counts bars as they are decided.
    const panel = page.getByTestId('live-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('5-minute bars');
    expect(await panel.textContent()).toContain('Bars from alpaca');
    await expect.poll(() => page.getByTestId('live-next-decision').textContent(), { timeout: 15_000 }).toMatch(/^Next decision at \d\d:\d[05] ET$/);
    const progress = page.locator('[data-testid=run-progress][data-mode=live]');
    await progress.waitFor({ timeout: 20_000 });
    const barsAt = async () => numberIn(/bar ([\d,]+)/.exec((await progress.textContent()) ?? '')?.[1] ?? '0');
    const first = await barsAt();
    await eventually(async () => expect(await barsAt()).toBeGreaterThanOrEqual(first + 2), 30_000);
    await expectAccessible(page, 'the model page of a live run');
    // The candle chart moves with the stream's `bar` events.
    const candles = page.getByTestId('live-candles');
    const drawn = Number(await candles.getAttribute('data-bars'));
    await eventually(async () => expect(Number(await candles.getAttribute('data-bars'))).toBeGreaterThan(drawn), 20_000);
    // Each bar brings a decision (a hold or trades) and a `bar` event per symbol for the candle chart.
    const events = (await server.api('GET', `/api/models/${model.id}/runs/1/events`, token)).items as { type: string; data: { symbol?: string } }[];
    expect(events.filter((e) => e.type === 'decision' || e.type === 'trade').length).toBeGreaterThanOrEqual(2);
    expect(new Set(events.filter((e) => e.type === 'bar').map((e) => e.data.symbol))).toEqual(new Set(['AAPL', 'MSFT']));

    // A restart: the run stays running, resumes, and goes on deciding with no double trade.
    const run = (await server.api('GET', `/api/trading/status/${model.id}`, token)).run;
    const tradesBefore = (await server.api('GET', `/api/models/${model.id}/trades?limit=1000`, token)).items as { id: number; date: string; symbol: string }[];
    await server.stop();
    await page.locator('[data-testid=connection-status][data-status=reconnecting]').waitFor();
    await server.start();
    await page.locator('[data-testid=connection-status][data-status=live]').waitFor({ timeout: 20_000 });
    const after = await server.api('GET', `/api/trading/status/${model.id}`, token);
    expect(after.status).toBe('running');
    expect(after.run.id).toBe(run.id);
    const resumedAt = (await server.api('GET', `/api/trading/status/${model.id}`, token)).progress.step as number;
    await eventually(async () => expect((await server.api('GET', `/api/trading/status/${model.id}`, token)).progress.step).toBeGreaterThanOrEqual(resumedAt + 2), 30_000);
    const tradesAfter = (await server.api('GET', `/api/models/${model.id}/trades?limit=1000`, token)).items as { id: number; date: string; symbol: string }[];
    // What was traded before the restart is there once, and nothing new is dated back into it.
    const lastBefore = tradesBefore.map((t) => t.date).sort().at(-1) ?? '';
    const ids = (list: { id: number }[]) => list.map((t) => t.id).sort((a, b) => a - b);
    expect(ids(tradesAfter.filter((t) => t.date <= lastBefore))).toEqual(ids(tradesBefore));
    await page.reload();
    await expect.poll(() => page.getByTestId('live-next-decision').textContent(), { timeout: 15_000 }).toMatch(/^Next decision at \d\d:\d[05] ET$/);

    // The runs list tells a live run from a backtest; Stop ends it as stopped.
    await page.getByRole('tab', { name: 'Runs' }).click();
    expect(await page.getByTestId('run-mode-1').textContent()).toMatch(/^Live · 5m bars from/);
    await page.getByTestId(`stop-${model.id}`).click();
    await page.locator(`[data-testid=model-page][data-status=idle]`).waitFor();
    expect((await server.api('GET', `/api/trading/status/${model.id}`, token)).run.status).toBe('stopped');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
