import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { createModelInForm, signUp } from './support/app';
import { launchBrowser, openPage } from './support/browser';
import { freePort, startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startE2EServer({ LLM_TIMEOUT_MS: '500' })]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('an agent that fails shows an error toast, an error in the feed and a failed run', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  try {
    await signUp(page);
    // An LLM endpoint on a loopback port nobody listens on: every call is refused at once.
    const deadUrl = `http://127.0.0.1:${await freePort()}/v1`;

    // The form checks what it can before sending: a base URL that is no URL is marked on its field.
    await page.getByTestId('new-model').click();
    await page.locator('input[name=name]').fill('Broken LLM');
    await page.getByTestId('agent-kind').click();
    await page.getByTestId('agent-kind-llm').click();
    await page.locator('[name="agent.params.base_url"]').fill('not a url');
    await page.getByTestId('save-model').click();
    await page.getByTestId('field-error-agent.params.base_url').waitFor();
    expect(page.url()).toMatch(/\/models\/new$/);

    const id = await createModelInForm(page, {
      name: 'Broken LLM',
      kind: 'llm',
      params: { base_url: deadUrl, model: 'gpt-test', api_key: 'sk-e2e-not-a-real-key' },
      onForm: true,
    });

    // The key is stored but never shown again: the edit form only says one is set.
    await page.getByTestId('edit-model').click();
    await page.getByTestId('api-key-set').waitFor();
    expect(await page.locator('[name="agent.params.api_key"]').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByTestId(`start-${id}`).click();
    const toast = page.locator('[data-sonner-toast][data-type=error]');
    await toast.filter({ hasText: `Broken LLM: Error` }).filter({ hasText: `Agent error: cannot reach ${deadUrl}` }).waitFor({ timeout: 30_000 });
    await toast.filter({ hasText: 'Broken LLM: Trading failed' }).waitFor();

    const modelPage = page.locator(`[data-testid=model-page][data-model-id="${id}"]`);
    await modelPage.and(page.locator('[data-status=idle]')).waitFor();
    const stream = page.getByTestId('model-stream');
    await stream.locator('[data-testid=activity-item][data-event-type=error]').filter({ hasText: 'cannot reach' }).waitFor();
    await page.getByTestId(`start-${id}`).waitFor();

    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByTestId('runs-table').getByText('Failed').waitFor();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
