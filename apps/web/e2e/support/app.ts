import type { Locator, Page } from 'playwright-core';
import type { AgentKind } from '@tradewire/contract';

let users = 0;

/** Signs up through the form and lands on the dashboard; returns the session's access token. */
export async function signUp(page: Page, name = 'Ada'): Promise<string> {
  await page.goto('/signup');
  await page.locator('input[name=email]').fill(`e2e-${++users}-${Date.now()}@example.com`);
  await page.locator('input[name=display_name]').fill(name);
  await page.locator('input[name=password]').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('dashboard').waitFor();
  await page.getByTestId('connection-status').and(page.locator('[data-status=live]')).waitFor();
  return accessToken(page);
}

/** The token the dashboard keeps in localStorage, for REST set-up calls made outside the browser. */
async function accessToken(page: Page): Promise<string> {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tradewire.session') ?? 'null')?.accessToken as string | undefined);
  if (!token) throw new Error('no session in localStorage');
  return token;
}

/** Fills the new-model form (opened from the dashboard unless `onForm`), saves, and returns the new model's id. */
export async function createModelInForm(
  page: Page,
  opts: { name: string; kind: AgentKind; params?: Record<string, string>; symbols?: string[]; onForm?: boolean },
): Promise<number> {
  if (!opts.onForm) await page.getByTestId('new-model').click();
  await page.getByTestId('model-form').waitFor();
  await page.locator('input[name=name]').fill(opts.name);
  await page.getByTestId('agent-kind').click();
  await page.getByTestId(`agent-kind-${opts.kind}`).click();
  for (const [key, value] of Object.entries(opts.params ?? {})) await page.locator(`[name="agent.params.${key}"]`).fill(value);
  for (const symbol of opts.symbols ?? []) await page.locator(`[data-testid=symbol-${symbol}][aria-pressed=false]`).click();
  await page.getByTestId('save-model').click();
  await page.getByTestId('model-page').waitFor();
  const id = Number(await page.getByTestId('model-page').getAttribute('data-model-id'));
  if (!Number.isInteger(id) || id <= 0) throw new Error(`no model id on the model page: ${page.url()}`);
  return id;
}

/** `/api/stream` and the seed's per-model stream are the EventSource, not REST. */
const isRest = (url: string) => {
  const { pathname } = new URL(url);
  return pathname.startsWith('/api/') && pathname !== '/api/stream' && !pathname.startsWith('/api/trading/stream/');
};

/** Counts the REST requests the page makes from now on. */
export function recordRestRequests(page: Page) {
  const seen: string[] = [];
  const listener = (req: { url(): string; method(): string }) => {
    if (isRest(req.url())) seen.push(`${req.method()} ${new URL(req.url()).pathname}`);
  };
  page.on('request', listener);
  return {
    get requests(): readonly string[] {
      return seen;
    },
    stop: () => page.off('request', listener),
  };
}

/** The event ids the activity feed under `scope` shows, oldest first (it lists newest first). */
export async function feedEventIds(scope: Locator): Promise<number[]> {
  const ids = await scope.getByTestId('activity-item').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-event-id'))));
  return ids.reverse();
}

/**
 * Every row of a feed, oldest first: scrolls the panel holding it from top to bottom, half a
 * panel at a time, gathering the rows in the page at each stop, then scrolls back. (The feed now
 * keeps every row in the page, off-screen ones unpainted; scrolling through it still proves the
 * rows a user would reach.)
 */
export async function allFeedEventIds(scope: Locator): Promise<number[]> {
  const ids = new Set<number>();
  const list = scope.getByTestId('activity-feed');
  const scroll = (to: 'top' | 'next') =>
    list.evaluate(async (ol, where) => {
      let panel = ol.parentElement;
      while (panel && !/(auto|scroll)/.test(getComputedStyle(panel).overflowY)) panel = panel.parentElement;
      if (!panel) return true;
      const before = panel.scrollTop;
      panel.scrollTop = where === 'top' ? 0 : before + panel.clientHeight / 2;
      // Two frames: the rows at the new position have been laid out and painted.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return panel.scrollTop === before;
    }, to);
  for (let stop = 0; stop < 50; stop++) {
    for (const id of await feedEventIds(scope)) ids.add(id);
    if (await scroll('next')) break;
  }
  await scroll('top');
  return [...ids].sort((a, b) => a - b);
}

/**
 * Elements that stick out past the right edge of the viewport, unless a scrolling container
 * holds them (a wide table in an `overflow-x: auto` box is fine; a page that scrolls sideways is not).
 */
export function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`document is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    const scrolls = (el: Element) => {
      const x = getComputedStyle(el).overflowX;
      return x === 'auto' || x === 'scroll';
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= width + 0.5) continue;
      let inside = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p) && p.getBoundingClientRect().right <= width + 0.5) inside = true;
      if (inside) continue;
      const id = el.getAttribute('data-testid');
      out.push(`${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}" ends at ${Math.round(r.right)}px`);
    }
    // main clips sideways overflow (overflow-x: hidden): content wider than it is cut off, also a failure.
    const main = document.querySelector<HTMLElement>('[data-testid=main]');
    if (main && main.scrollWidth > main.clientWidth) out.push(`main content is ${main.scrollWidth}px wide in a ${main.clientWidth}px column`);
    return out;
  });
}

/** Retries `check` until it stops throwing or `timeoutMs` passes (then throws its last error). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** A number as the dashboard prints it ("$10,023.50", "-1.2%", "17") */
export const numberIn = (text: string | null) => Number((text ?? '').replace(/[^0-9.-]/g, ''));

/**
 * Visible controls smaller than `min` px either way, as "selector WxH" lines. A checkbox or radio
 * counts with its label (tapping the label ticks it); controls hidden until focused (the skip
 * link) and ones outside the layout are not visible, so not counted.
 */
export function smallTapTargets(page: Page, min = 44): Promise<string[]> {
  return page.evaluate((min) => {
    const selector = [
      'a[href]',
      'button',
      'input:not([type=hidden])',
      'select',
      'textarea',
      'summary',
      '[role=button]',
      '[role=tab]',
      '[role=checkbox]',
      '[role=switch]',
      '[role=combobox]',
      '[tabindex]:not([tabindex="-1"])',
    ].join(',');
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[aria-hidden=true], [inert]')) continue;
      let r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      const label = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') ? el.labels?.[0] : undefined;
      if (label) {
        const l = label.getBoundingClientRect();
        if (l.width * l.height > r.width * r.height) r = l;
      }
      if (r.width >= min - 0.5 && r.height >= min - 0.5) continue;
      const id = el.getAttribute('data-testid');
      const name = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
      out.push(`${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    return out;
  }, min);
}
