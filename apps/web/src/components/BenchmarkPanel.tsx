import { useId } from 'react';
import type { Benchmark } from '@tradewire/contract';
import { fmt, formatPct, pnlClass } from '../lib/format';
import type { BenchmarkOption } from './benchmark';
import { Figure } from './Figure';
import { ErrorState } from './states';
import { Skeleton } from './ui/skeleton';

const ratio = (v: number | null, digits = 2) => (v === null ? '—' : fmt.decimal(v, digits));

/** Which benchmark the run is measured against: a labelled native select (a full-size target on phones). */
export function BenchmarkSelect({ value, options, onChange }: { value: string | null; options: readonly BenchmarkOption[]; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="grid min-w-0 gap-1 text-sm text-muted-foreground">
      <label htmlFor={id}>Benchmark</label>
      <select
        id={id}
        className="h-9 w-full min-w-0 rounded-md border border-border bg-background px-2 text-sm text-foreground"
        value={value ?? ''}
        disabled={value === null}
        onChange={(e) => onChange(e.target.value)}
        data-testid="benchmark-select"
      >
        {value === null && <option value="">Loading…</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The run against its benchmark: both returns, the difference, alpha, beta, information ratio. */
export function BenchmarkFigures({ benchmark, error, label }: { benchmark: Benchmark | undefined; error: unknown; label: string | null }) {
  if (error) return <ErrorState error={error} title="Could not compute the benchmark" />;
  if (!benchmark) return <Skeleton className="h-40" />;
  const s = benchmark.stats;
  return (
    <dl
      className="grid grid-cols-2 gap-3"
      data-testid="benchmark-stats"
      data-benchmark={benchmark.kind === 'universe' ? 'universe' : benchmark.symbols[0]}
      data-alpha={s.alpha_pct ?? ''}
      data-beta={s.beta ?? ''}
      data-excess={s.excess_return_pct}
      data-information-ratio={s.information_ratio ?? ''}
      aria-label={label ? `Against ${label}` : undefined}
    >
      <Figure label="Benchmark return" value={formatPct(s.benchmark_return_pct)} tone={pnlClass(s.benchmark_return_pct)} testId="benchmark-return" />
      <Figure label="Excess return" value={formatPct(s.excess_return_pct)} tone={pnlClass(s.excess_return_pct)} testId="benchmark-excess" />
      <Figure
        label="Alpha (ann.)"
        value={s.alpha_pct === null ? '—' : formatPct(s.alpha_pct)}
        tone={s.alpha_pct === null ? undefined : pnlClass(s.alpha_pct)}
        testId="benchmark-alpha"
      />
      <Figure label="Beta" value={ratio(s.beta)} detail={s.correlation === null ? undefined : `corr. ${ratio(s.correlation)}`} testId="benchmark-beta" />
      <Figure label="Information ratio" value={ratio(s.information_ratio)} testId="benchmark-information-ratio" />
      <Figure label="Tracking error" value={fmt.unsignedPct(s.tracking_error_pct)} testId="benchmark-tracking-error" />
    </dl>
  );
}
