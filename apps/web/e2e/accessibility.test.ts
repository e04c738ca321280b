import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, signUp } from './support/app';
import { axeViolations, blocking, describeViolations, nodeCounts, type A11yViolation } from './support/axe';
import { launchBrowser, openPage } from './support/browser';
import { startE2EServer, type E2EServer } from './support/server';

let browser: Browser;
let server: E2EServer;
let email: string;
let finished: { model: number; run: number; second: number };
let idle: number;

const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startE2EServer()]);
  // The first account is the admin, so every page (admin ones too) has something to show.
  const { context, page } = await openPage(browser, server.url);
  const token = await signUp(page, 'Axe');
  email = await page.evaluate(() => JSON.parse(localStorage.getItem('tradewire.session')!).user.email as string);
  await context.close();
  const flip = await server.api('POST', '/api/models', token, {
    name: 'Coin Flip',
    agent: { kind: 'random', params: { seed: 3, probability: 0.6 } },
    allowed_symbols: ['ZNTH', 'LDGR'],
  });
  idle = (await server.api('POST', '/api/models', token, { name: 'Slow Cross', agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } } })).id;
  const run = await server.api('POST', `/api/trading/start/${flip.id}`, token, { start_date: '2026-09-01', end_date: '2026-10-30', pace_ms: 0 });
  await eventually(async () => expect((await server.api('GET', `/api/models/${flip.id}/runs/${run.id}`, token)).status).toBe('completed'), 30_000);
  // A second run, so the compare page has two to show.
  const again = await server.api('POST', `/api/trading/start/${flip.id}`, token, { start_date: '2026-10-01', end_date: '2026-10-30', pace_ms: 0 });
  await eventually(async () => expect((await server.api('GET', `/api/models/${flip.id}/runs/${again.id}`, token)).status).toBe('completed'), 30_000);
  finished = { model: flip.id, run: run.run_number, second: again.run_number };
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(page: Page) {
  await page.goto('/login');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('dashboard').waitFor();
}

interface Visit {
  name: string;
  path: string;
  /** What shows once the page has its data. */
  ready: string;
  /** Tabs (by name) to open and check in turn. */
  tabs?: string[];
  /** What to do on the page before checking it (show results, open a panel). */
  then?: (page: Page) => Promise<void>;
}

const signedOut: Visit[] = [
  { name: 'login', path: '/login', ready: '[data-testid=login-form]' },
  { name: 'signup', path: '/signup', ready: '[data-testid=signup-form]' },
];

const signedIn = (): Visit[] => [
  { name: 'dashboard', path: '/', ready: '[data-testid=model-cards]' },
  { name: 'new model', path: '/models/new', ready: '[data-testid=symbol-ZNTH]' },
  { name: 'model', path: `/models/${finished.model}`, ready: '[data-testid=positions-table], [data-testid=positions-empty]', tabs: ['Trades', 'Runs', 'Logs', 'Ask'] },
  { name: 'idle model', path: `/models/${idle}`, ready: '[data-testid=model-page]' },
  { name: 'edit model', path: `/models/${finished.model}/edit`, ready: '[data-testid=symbol-ZNTH]' },
  {
    name: 'run',
    path: `/models/${finished.model}/runs/${finished.run}`,
    ready: '[data-testid=benchmark-stats]',
    tabs: ['Fills', 'Breakdown', 'Price chart', 'Event timeline', 'Config', 'Ask'],
  },
  { name: 'compare', path: `/compare?runs=${finished.model}:${finished.run},${finished.model}:${finished.second}`, ready: '[data-testid=compare-chart]' },
  {
    name: 'strategy builder',
    path: '/models/new/rules?template=rsi_dip',
    ready: '[data-testid=preview-line]',
    // With a backtest's results, their chart's data table and a rule's field in error on screen.
    then: async (page) => {
      await page.getByTestId('builder-symbol-ZNTH').click();
      await page.getByTestId('backtest-now').click();
      await page.getByTestId('backtest-results').waitFor({ timeout: 30_000 });
      await page.getByTestId('backtest-chart').getByText('Show data').click();
      await page.getByRole('textbox', { name: 'Entry rule 1, condition 1: right side: Number value', exact: true }).fill('abc');
      await page.locator('[data-testid=rule-error]').first().waitFor();
    },
  },
  { name: 'replay', path: `/models/${finished.model}/runs/${finished.run}/replay`, ready: '[data-testid=replay-controls]' },
  { name: 'timeline', path: '/timeline', ready: '[data-testid=timeline-page]' },
  { name: 'arena', path: '/arena', ready: '[data-testid=arena-models] li' },
  { name: 'search', path: '/search', ready: '[data-testid=search-results]' },
  { name: 'settings', path: '/settings', ready: '[data-testid=notify-table]' },
  { name: 'admin', path: '/admin', ready: '[data-testid=admin-users]', tabs: ['Models', 'Stats', 'Leaderboard'] },
  { name: 'market data', path: '/admin/market', ready: '[data-testid=dataset-row-simulated]' },
  { name: 'not found', path: '/no/such/page', ready: '[data-testid=not-found]' },
];

/** Visits every page (and its tabs), runs axe on each and returns the report lines and the blocking violations. */
async function auditAll(page: Page, visits: Visit[]) {
  const report: string[] = [];
  const failures: string[] = [];
  const record = (where: string, violations: A11yViolation[]) => {
    const counts = nodeCounts(violations);
    report.push(`${where.padEnd(28)} critical ${counts.critical ?? 0}  serious ${counts.serious ?? 0}  moderate ${counts.moderate ?? 0}  minor ${counts.minor ?? 0}`);
    const bad = blocking(violations);
    if (bad.length > 0) failures.push(`${where}:\n${describeViolations(bad)}`);
  };
  for (const v of visits) {
    await page.goto(v.path);
    await page.locator(v.ready).first().waitFor().catch((e) => {
      throw new Error(`${v.name} (${v.path}) never showed ${v.ready}: ${String(e)}`);
    });

    await v.then?.(page);
    record(v.name, await axeViolations(page));
    for (const tab of v.tabs ?? []) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await page.locator('[role=tabpanel][data-state=active]').waitFor();
      record(`${v.name} › ${tab}`, await axeViolations(page));
    }
  }
  return { report, failures };
}

for (const size of ['desktop', 'phone'] as const) {
  test(`every page has no serious or critical axe violation at ${size === 'desktop' ? '1440x900' : '390x844'}`, { timeout: 240_000 }, async () => {
    const out = await openPage(browser, server.url, { phone: size === 'phone' });
    try {
      const before = await auditAll(out.page, signedOut);
      await logIn(out.page);
      const after = await auditAll(out.page, signedIn());
      console.log(`axe, ${size}:\n${[...before.report, ...after.report].join('\n')}`);
      expect([...before.failures, ...after.failures]).toEqual([]);
      expect(out.errors).toEqual([]);
    } finally {
      await out.context.close();
    }
  });
}
