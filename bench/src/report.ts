import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { PartResult } from './lib/part.js';

const root = new URL('../../', import.meta.url);

/** What the numbers were measured on. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    ramGb: totalmem() / 2 ** 30,
    os: `${process.platform} ${release()}`,
    node: process.version,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
  };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Installed versions of the server's runtime dependencies (npm hoists most to the root). */
function serverDeps(): string[] {
  const deps = Object.keys(JSON.parse(readFileSync(new URL('apps/server/package.json', root), 'utf8')).dependencies ?? {});
  return deps.map((name) => {
    for (const dir of ['apps/server/', '']) {
      const manifest = new URL(`${dir}node_modules/${name}/package.json`, root);
      if (existsSync(manifest)) return `${name} ${JSON.parse(readFileSync(manifest, 'utf8')).version}`;
    }
    return `${name} (not installed)`;
  });
}

/** The body of each `## title` section of a report, by title. */
export function reportSections(report: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const chunk of report.split(/^## /m).slice(1)) {
    const [title, ...body] = chunk.split('\n');
    sections.set(title!, body.join('\n').trim());
  }
  return sections;
}

/**
 * docs/benchmarks.md: machine, versions, then one section per part, in the order given. A part
 * with no stored result here keeps its section as `kept` has it (it was measured elsewhere, or
 * earlier), so running one part never erases another's figures.
 */
export function renderReport(parts: { name: string; title: string; result: PartResult | null; pending?: string }[], kept = new Map<string, string>()): string {
  const m = machine();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (see bench/README.md; `npm run bench -- --full` for the full matrix). Each benchmark compares ' +
      'Tradewire against a baseline measured in the same run on the same machine, so read the ratios more than the absolute numbers.',
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb.toFixed(1)} GB RAM, ${m.os}`,
    `- Node ${m.node}; commit ${m.commit || 'unknown'}${m.dirty ? ' with uncommitted changes' : ''}; written ${new Date().toISOString()}`,
    `- Server dependencies: ${serverDeps().join(', ')}`,
  ];
  for (const p of parts) {
    lines.push('', `## ${p.title}`, '');
    if (p.result) lines.push(`Measured ${p.result.date} (${Math.round(p.result.seconds)} s).`, '', p.result.markdown);
    else lines.push(kept.get(p.title) ?? p.pending ?? 'Not measured yet: run `npm run bench`.');
  }
  return lines.join('\n') + '\n';
}
