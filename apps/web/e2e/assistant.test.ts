import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Run } from '@tradewire/contract';
import { type FakeOpenAI, type FakeReply, type FakeRequest, startFakeOpenAI } from '../../server/src/test/fake-llm.js';
import { eventually, signUp } from './support/app';
import { expectAccessible } from './support/axe';
import { launchBrowser, openPage, saveScreenshot } from './support/browser';
import { startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;
let fake: FakeOpenAI;
let script: (req: FakeRequest, n: number) => FakeReply = () => ({ kind: 'answer', text: 'OK' });

beforeAll(async () => {
  [browser, server, fake] = await Promise.all([launchBrowser(), startE2EServer(), startFakeOpenAI((req, n) => script(req, n))]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

/** The round trips a tool answered with, from the conversation the fake was sent. */
function worstTrips(req: FakeRequest) {
  const tool = req.body.messages.find((m) => m.role === 'tool');
  return (JSON.parse(tool!.content!) as { round_trips: { exit_trade_id: number; symbol: string; pnl: number; exit_reason: string | null }[] }).round_trips;
}

test(
  'a new user sets up the assistant, asks which three trades hurt most, and the answer streams in with links that open those trades',
  { timeout: 90_000 },
  async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      const token = await signUp(page);
      const model = (await server.api('POST', '/api/models', token, { name: 'Crosser', agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: ['ZNTH', 'LDGR', 'QLLX'] })).id as number;
      const run: Run = await server.api('POST', `/api/trading/start/${model}`, token, { start_date: '2026-02-02', end_date: '2026-10-30', pace_ms: 0 });
      await eventually(async () => expect((await server.api('GET', `/api/models/${model}/runs/${run.id}`, token)).status).toBe('completed'), 30_000);

      // Without an endpoint the Ask tab says how to set one up.
      await page.goto(`/models/${model}/runs/${run.run_number}?tab=ask`);
      await page.getByTestId('assistant-setup').waitFor();
      await page.getByRole('link', { name: 'Set up the assistant in Settings' }).click();
      await page.getByTestId('assistant-settings').waitFor();
      await page.getByTestId('assistant-base-url').fill(fake.baseUrl);
      await page.getByTestId('assistant-model').fill('fake-model');
      await page.getByTestId('assistant-api-key').fill('sk-e2e-key');
      await page.getByTestId('assistant-save').click();
      await page.getByText('A key is stored (encrypted). Leave empty to keep it.').waitFor();
      await page.getByTestId('assistant-test').click();
      await page.getByTestId('assistant-test-result').filter({ hasText: 'Connected: fake-model' }).waitFor();

      // The question: one tool round for the worst round trips, then an answer citing their exit trades.
      let asked = 0;
      script = (req) => {
        if (req.body.messages.some((m) => m.role === 'tool')) {
          const lines = worstTrips(req).map((t) => `- [trade ${t.exit_trade_id}] **${t.symbol}** lost ${(-t.pnl).toFixed(2)}: ${t.exit_reason ?? 'no reason recorded'}`);
          return { kind: 'answer', text: `The three trades that hurt most:\n\n${lines.join('\n')}\n\nNote: <script>document.title = "pwned"</script> is not code here.` };
        }
        asked++;
        return { kind: 'answer', text: 'Looking at the closed trades.', toolCalls: [{ name: 'get_round_trips', arguments: JSON.stringify({ sort: 'pnl_asc', limit: 3 }) }] };
      };
      await page.goto(`/models/${model}/runs/${run.run_number}?tab=ask`);
      await page.getByTestId('assistant-panel').waitFor();
      await expectAccessible(page, 'run page › Ask');
      await page.getByTestId('assistant-suggestion').filter({ hasText: 'Which three trades hurt most and why?' }).click();
      const answer = page.getByTestId('assistant-answer').last();
      await answer.filter({ hasText: 'The three trades that hurt most' }).waitFor();
      expect(asked).toBe(1);
      const links = answer.getByTestId('assistant-citation');
      await eventually(async () => expect(await links.count()).toBe(3));
      const trips = worstTrips(fake.requests.at(-1)!);
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs).toEqual(trips.map((t) => `/models/${model}/runs/${run.run_number}?tab=fills&trade=${t.exit_trade_id}`));
      // The answer's HTML is text: the script is shown, not run.
      expect(await answer.locator('script').count()).toBe(0);
      await answer.getByText('<script>document.title = "pwned"</script>', { exact: false }).waitFor();
      expect(await page.title()).not.toBe('pwned');
      await saveScreenshot(page, 'assistant-answer');

      // A citation opens the trade it names, highlighted on the Fills tab.
      await links.first().click();
      await page.waitForURL((u) => u.searchParams.get('trade') === String(trips[0]!.exit_trade_id));
      const row = page.locator(`[data-testid=trade-row][data-trade-id="${trips[0]!.exit_trade_id}"]`);
      await row.and(page.locator('[data-selected=true]')).waitFor();
      expect(await row.textContent()).toContain(trips[0]!.symbol);
      expect(await page.locator('[data-testid=trade-row][data-selected=true]').count()).toBe(1);

      // Stop mid-answer: the stream is cut and the partial answer is kept as stopped.
      script = () => ({ kind: 'stall', text: 'Partial thoughts' });
      await page.goto(`/models/${model}/runs/${run.run_number}?tab=ask`);
      await page.getByTestId('assistant-input').fill('Tell me everything');
      await page.getByTestId('assistant-send').click();
      await page.getByTestId('assistant-pending').filter({ hasText: 'Partial thoughts' }).waitFor();
      await page.getByTestId('assistant-stop').click();
      await page.locator('[data-testid=assistant-answer][data-status=stopped]').filter({ hasText: 'Partial thoughts' }).waitFor();
      await page.getByTestId('assistant-send').waitFor();

      // An endpoint that refuses the key: the agents' words, shown as an error.
      script = () => ({ kind: 'status', status: 401, message: 'bad key' });
      await page.getByTestId('assistant-input').fill('Hello?');
      await page.getByTestId('assistant-send').click();
      await page.getByTestId('assistant-error').filter({ hasText: 'authentication failed (401): check the API key' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  },
);

test('the LLM model form tests its saved connection', { timeout: 30_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    const token = await signUp(page);
    script = () => ({ kind: 'answer', text: 'OK' });
    const model = (await server.api('POST', '/api/models', token, { name: 'Talker', agent: { kind: 'llm', params: { base_url: fake.baseUrl, model: 'fake-model', api_key: 'sk-e2e' } } })).id as number;
    await page.goto(`/models/${model}/edit`);
    await page.getByTestId('test-connection').click();
    await page.getByTestId('test-connection-result').filter({ hasText: 'Connected: fake-model' }).waitFor();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
