import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: the e2e suite never downloads a browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * The README's screenshots are refreshed on request (`UPDATE_SCREENSHOTS=1`); other runs write
 * theirs to the git-ignored test-results/, so running the tests never dirties the checkout.
 */
const SCREENSHOTS = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../../../docs/screenshots/' : '../../../../test-results/e2e/', import.meta.url),
);

/** `extraArgs`: more Chromium switches, such as `--host-resolver-rules` for a host name other than 127.0.0.1. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page so far: a test ends by checking there were none. */
  errors: string[];
}

/** A fresh context (no cookies, no localStorage) and one page on `baseURL`. */
export async function openPage(browser: Browser, baseURL: string, opts: { phone?: boolean } = {}): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL,
    viewport: opts.phone ? PHONE : DESKTOP,
    deviceScaleFactor: opts.phone ? 2 : 1,
    isMobile: opts.phone ?? false,
    hasTouch: opts.phone ?? false,
    colorScheme: 'dark',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Saves `<name>.png` (docs/screenshots/ or test-results/e2e/, see above) with animations stopped. */
export async function saveScreenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled', caret: 'hide' });
}
