/**
 * A latency histogram with log-spaced buckets (2% wide, 1 µs to ~100 s): fixed memory whatever
 * the number of samples, mergeable across processes, percentiles within 2%. Max is exact.
 */
const RATIO = 1.02;
const MIN_MS = 0.001;
const BUCKETS = Math.ceil(Math.log(100_000 / MIN_MS) / Math.log(RATIO)) + 1;
const LOG_RATIO = Math.log(RATIO);

export interface HistogramData {
  counts: number[];
  count: number;
  max: number;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number) {
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_RATIO));
    this.counts[i]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** Sparse form for IPC: only the buckets that hold samples. */
  toJSON(): HistogramData {
    const counts: number[] = [];
    this.counts.forEach((c, i) => c > 0 && counts.push(i, c));
    return { counts, count: this.count, max: this.max };
  }

  merge(d: HistogramData) {
    for (let k = 0; k < d.counts.length; k += 2) this.counts[d.counts[k]!]! += d.counts[k + 1]!;
    this.count += d.count;
    this.max = Math.max(this.max, d.max);
  }

  /** The upper bound of the bucket holding the p-th percentile (0..100), in ms; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, MIN_MS * RATIO ** i);
    }
    return this.max;
  }
}
