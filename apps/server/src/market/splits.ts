import type { Bar, SplitEvent } from '@tradewire/contract';

/** A split ratio as announced (`15:1`) and its factor, new shares per old share (15; 0.1 for `1:10`). */
export interface SplitRatio {
  ratio: string;
  factor: number;
}

const forward = (n: number, d = 1): SplitRatio => ({ ratio: `${n}:${d}`, factor: n / d });
const reverse = (n: number): SplitRatio => ({ ratio: `1:${n}`, factor: 1 / n });

/** The ratios companies split by; a jump matching none of them is a price move. */
export const SPLIT_RATIOS: readonly SplitRatio[] = [
  forward(3, 2),
  forward(2),
  forward(3),
  forward(4),
  forward(5),
  forward(10),
  forward(15),
  forward(20),
  reverse(2),
  reverse(3),
  reverse(4),
  reverse(5),
  reverse(10),
  reverse(15),
];

export interface SplitDetection {
  /**
   * Largest gap, as a log ratio, between the overnight jump and a ratio up to 3:1 either way
   * (0.03, about 3 %): real moves reach those, so the match must be close.
   */
  tolerance?: number;
  /** The same for larger ratios (0.1): no day's news moves a price 4-fold, so a gap may be wide. */
  largeRatioTolerance?: number;
  /** Bars on each side whose median volumes are compared. */
  volumeWindow?: number;
}

/** A split found in one symbol's bars; the contract's SplitEvent less the symbol. */
export type FoundSplit = Omit<SplitEvent, 'symbol'>;

/** A real move of up to this size (x3 either way) could look like a split on prices alone. */
const AMBIGUOUS = Math.log(3) + 1e-9;
/** Fewer bars than this on either side say nothing about volume. */
const MIN_VOLUME_BARS = 5;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Overnight jumps in prices as traded (oldest first) that match a split ratio: the open of a day
 * against the close before it, within the tolerance, with the day's close staying on the new level
 * (a bad opening print is no split). Ratios up to 3:1 either way are within reach of real moves
 * (a 2:1 split and a 50 % crash look alike in prices), so where the bars carry volume, the
 * median volume after the jump must also have moved at least half-way (in log) towards the
 * factor: shares trade in the new count after a split, while a crash only spikes volume for a
 * few days. Larger ratios are taken on prices alone.
 */
export function detectSplits(bars: readonly Bar[], opts: SplitDetection = {}): FoundSplit[] {
  const tolerance = opts.tolerance ?? 0.03;
  const largeTolerance = opts.largeRatioTolerance ?? 0.1;
  const window = opts.volumeWindow ?? 20;
  const found: FoundSplit[] = [];
  for (let i = 1; i < bars.length; i++) {
    const before = bars[i - 1]!;
    const day = bars[i]!;
    const jump = Math.log(before.close / day.open);
    const match = nearestRatio(jump);
    const ambiguous = Math.abs(Math.log(match.factor)) <= AMBIGUOUS;
    if (Math.abs(jump - Math.log(match.factor)) > (ambiguous ? tolerance : largeTolerance)) continue;
    // The close may move as on any day, but not back to the old level.
    if (Math.abs(Math.log(before.close / day.close) - Math.log(match.factor)) > Math.abs(Math.log(match.factor)) / 2) continue;
    if (ambiguous && !volumeAgrees(bars, i, match.factor, window)) continue;
    found.push({ date: day.date, ratio: match.ratio, factor: match.factor, previous_date: before.date, previous_close: before.close, open: day.open });
  }
  return found;
}

function nearestRatio(jump: number): SplitRatio {
  let best = SPLIT_RATIOS[0]!;
  for (const r of SPLIT_RATIOS) if (Math.abs(jump - Math.log(r.factor)) < Math.abs(jump - Math.log(best.factor))) best = r;
  return best;
}

/** True when volume moved at least half-way towards `factor`, or when the bars say too little about volume. */
function volumeAgrees(bars: readonly Bar[], at: number, factor: number, window: number): boolean {
  const before = bars.slice(Math.max(0, at - window), at).map((b) => b.volume);
  const after = bars.slice(at, at + window).map((b) => b.volume);
  if (before.length < MIN_VOLUME_BARS || after.length < MIN_VOLUME_BARS) return true;
  const [was, is] = [median(before), median(after)];
  if (was <= 0 || is <= 0) return true;
  const expected = Math.log(factor);
  return Math.log(is / was) / expected >= 0.5;
}

/**
 * Bars with prices before each split divided by its factor and volumes multiplied by it, so the
 * series reads as if the latest share count had always been. Every price of a bar moves by the
 * same ratio, so the bar stays consistent; prices keep 6 decimals.
 */
export function backAdjust(bars: readonly Bar[], splits: readonly Pick<FoundSplit, 'date' | 'factor'>[]): Bar[] {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return bars.map((bar) => {
    const factor = splits.filter((s) => s.date > bar.date).reduce((f, s) => f * s.factor, 1);
    if (factor === 1) return bar;
    return {
      date: bar.date,
      open: round(bar.open / factor),
      high: round(bar.high / factor),
      low: round(bar.low / factor),
      close: round(bar.close / factor),
      volume: round(bar.volume * factor),
    };
  });
}

/** One line per split for reports: `AAPL 4:1 on 2020-08-31 (499.23 -> 127.58)`. */
export const describeSplit = (s: SplitEvent) => `${s.symbol} ${s.ratio} on ${s.date} (${s.previous_close} -> ${s.open})`;

/** Prices as traded that jump like a split, met without being told what to do about it; nothing was stored. */
export class SplitsFound extends Error {
  override name = 'SplitsFound';
  constructor(readonly splits: SplitEvent[]) {
    super(`${splits.length === 1 ? 'a split' : `${splits.length} splits`} found in prices as traded: ${splits.map(describeSplit).join('; ')}`);
  }
}
