import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * axe-core's own bundle, evaluated in the page: no network, no wrapper package. Not a script tag,
 * which the server's Content-Security-Policy (script-src 'self') rightly refuses.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Moderate rules the dashboard holds itself to as well: one h1, headings in order, distinct landmarks. */
export const STRUCTURE_RULES = ['page-has-heading-one', 'heading-order', 'landmark-unique'];

export interface A11yViolation {
  rule: string;
  impact: ImpactValue | null;
  help: string;
  /** One CSS selector (and axe's summary of what is wrong) per failing element. */
  nodes: { target: string; summary: string }[];
}

/** Runs axe-core over the whole document as it is now and returns every violation. */
export async function axeViolations(page: Page): Promise<A11yViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? null,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
  }));
}

/** The violations a page must not have: serious and critical ones, and the structure rules above. */
export const blocking = (violations: A11yViolation[]) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || STRUCTURE_RULES.includes(v.rule));

/** Failing elements per impact, e.g. `{ serious: 12, moderate: 3 }`. */
export function nodeCounts(violations: A11yViolation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of violations) out[v.impact ?? 'unknown'] = (out[v.impact ?? 'unknown'] ?? 0) + v.nodes.length;
  return out;
}

export function describeViolations(violations: A11yViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.rule}: ${v.help}\n${v.nodes.map((n) => `    ${n.target} — ${n.summary}`).join('\n')}`)
    .join('\n');
}

/** Fails with the list of blocking violations (rule, element, what is wrong) when there are any. */
export async function expectAccessible(page: Page, where: string): Promise<A11yViolation[]> {
  const all = await axeViolations(page);
  const bad = blocking(all);
  if (bad.length > 0) throw new Error(`axe: ${where} has ${bad.length} blocking violation(s):\n${describeViolations(bad)}`);
  return all;
}
