import type { ComparedRun } from '@tradewire/contract';

/** At most this many runs side by side (the API's limit). */
export const MAX_COMPARED = 4;

/** A run as the dashboard addresses it: its model and its number there. */
export interface RunRef {
  modelId: number;
  runNumber: number;
}

const REF = /^(\d{1,9}):(\d{1,9})$/;

/**
 * The runs of `/compare?runs=3:1,5:2` (model 3's run #1, model 5's run #2): well-formed entries
 * in order, without repeats, at most four; anything else in the list is left out.
 */
export function parseRunRefs(param: string | null): RunRef[] {
  const refs: RunRef[] = [];
  for (const part of (param ?? '').split(',')) {
    const m = REF.exec(part.trim());
    if (!m) continue;
    const ref = { modelId: Number(m[1]), runNumber: Number(m[2]) };
    if (ref.modelId < 1 || ref.runNumber < 1 || refs.some((r) => sameRun(r, ref))) continue;
    refs.push(ref);
    if (refs.length === MAX_COMPARED) break;
  }
  return refs;
}

export const sameRun = (a: RunRef, b: RunRef) => a.modelId === b.modelId && a.runNumber === b.runNumber;

export const formatRunRefs = (refs: readonly RunRef[]) => refs.map((r) => `${r.modelId}:${r.runNumber}`).join(',');

/** The compare page's address for these runs (commas and colons kept readable). */
export const compareHref = (refs: readonly RunRef[]) => `/compare?runs=${formatRunRefs(refs)}`;

/** Line colours of the compared runs, in order: distinct on the dark theme and for common colour blindness. */
export const COMPARE_COLORS = ['#60a5fa', '#f59e0b', '#f472b6', '#34d399'] as const;

/**
 * The chart's columns: the union of the runs' trading days (sorted) as x, and for each run its
 * equity normalised to 100 on those days (null on days it did not trade).
 */
export function alignCurves(runs: readonly Pick<ComparedRun, 'equity_curve'>[]): { dates: string[]; series: (number | null)[][] } {
  const dates = [...new Set(runs.flatMap((r) => r.equity_curve.map((p) => p.date)))].sort();
  const series = runs.map((r) => {
    const byDate = new Map(r.equity_curve.map((p) => [p.date, p.value]));
    return dates.map((d) => byDate.get(d) ?? null);
  });
  return { dates, series };
}

/**
 * Which run has the best value of a metric (index into `values`), or null when fewer than two
 * runs have one or the best is shared: only a clear winner is marked.
 */
export function bestIndex(values: readonly (number | null)[], better: 'higher' | 'lower'): number | null {
  const known = values.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => x.v !== null);
  if (known.length < 2) return null;
  const best = known.reduce((a, b) => ((better === 'higher' ? b.v > a.v : b.v < a.v) ? b : a));
  return known.filter((x) => x.v === best.v).length > 1 ? null : best.i;
}
