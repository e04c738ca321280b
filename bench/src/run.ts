import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dashboard } from './dashboard/dashboard.js';
import { engine } from './engine/engine.js';
import { intraday } from './intraday/intraday.js';
import type { Flags, Part, PartResult } from './lib/part.js';
import { renderReport, reportSections } from './report.js';
import { fanout } from './stream-fanout/fanout.js';

/**
 * `npm run bench [-- part... --full --name=value]`: runs the parts (all by default), keeps each
 * part's raw result in bench/results/, and rewrites docs/benchmarks.md from the latest result of
 * every part, so running one part updates its section and leaves the others as they were.
 */
const PARTS: (Part<unknown> | { name: string; title: string; pending: string })[] = [
  fanout,
  engine,
  dashboard,
  intraday,
];

const resultsDir = new URL('../results/', import.meta.url);
const reportFile = new URL('../../docs/benchmarks.md', import.meta.url);

const { values, positionals } = parseArgs({ allowPositionals: true, strict: false });
const flags: Flags = {
  full: values.full === true,
  values: Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string') as [string, string][]),
};
const unknown = positionals.filter((p) => !PARTS.some((part) => part.name === p));
if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}: choose from ${PARTS.map((p) => p.name).join(', ')}`);
const chosen = PARTS.filter((p) => 'run' in p && (positionals.length === 0 || positionals.includes(p.name)));

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
mkdirSync(resultsDir, { recursive: true });
for (const part of chosen) {
  if (!('run' in part)) continue;
  const started = Date.now();
  const { markdown, data } = await part.run(part.options(flags), log);
  const result: PartResult = { name: part.name, title: part.title, date: new Date().toISOString(), seconds: (Date.now() - started) / 1000, markdown, data };
  writeFileSync(new URL(`${part.name}.json`, resultsDir), JSON.stringify(result, null, 2));
  log(`${part.name} done in ${Math.round(result.seconds)} s`);
  console.log(`\n${result.markdown}\n`);
}

const saved = (name: string): PartResult | null => {
  try {
    return JSON.parse(readFileSync(new URL(`${name}.json`, resultsDir), 'utf8'));
  } catch {
    return null;
  }
};
const previous = (() => {
  try {
    return reportSections(readFileSync(reportFile, 'utf8'));
  } catch {
    return new Map<string, string>();
  }
})();
writeFileSync(
  reportFile,
  renderReport(
    PARTS.map((p) => ({ name: p.name, title: p.title, result: 'run' in p ? saved(p.name) : null, ...('pending' in p ? { pending: p.pending } : {}) })),
    previous,
  ),
);
log(`wrote ${reportFile.pathname}`);
