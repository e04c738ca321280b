import type { Bar } from '@tradewire/contract';

/** What the market shows on one trading day. */
export interface MarketDay {
  date: string;
  /** Per symbol: complete bars strictly before `date`, oldest first. */
  history: ReadonlyMap<string, readonly Readonly<Bar>[]>;
  /** The day's open, only for symbols with a bar on `date`: the only price an order can fill at. */
  open: ReadonlyMap<string, number>;
  /** The day's close, known only once the day is over (for marking the book after the step). */
  close: ReadonlyMap<string, number>;
  /** Per symbol: the latest close before `date` (what the book is marked at before the open). */
  lastClose: ReadonlyMap<string, number>;
}

/**
 * The market as a session may see it, one trading day at a time: the no-look-ahead rule lives
 * here. On day t the history grows by the bars strictly before t; of day t only the open is given
 * for deciding; its close is handed out for marking after the fills.
 */
export class MarketWindow {
  private readonly history = new Map<string, Readonly<Bar>[]>();
  private readonly cursor = new Map<string, number>();
  private readonly lastClose = new Map<string, number>();

  constructor(
    private readonly symbols: readonly string[],
    private readonly bars: ReadonlyMap<string, readonly Readonly<Bar>[]>,
  ) {
    for (const s of symbols) {
      this.history.set(s, []);
      this.cursor.set(s, 0);
    }
  }

  /** Moves to `date` (dates must increase); returns what is known on that day. */
  advance(date: string): MarketDay {
    const open = new Map<string, number>();
    const close = new Map<string, number>();
    for (const s of this.symbols) {
      const series = this.bars.get(s) ?? [];
      let c = this.cursor.get(s)!;
      while (c < series.length && series[c]!.date < date) {
        const bar = series[c++]!;
        this.history.get(s)!.push(bar);
        this.lastClose.set(s, bar.close);
      }
      this.cursor.set(s, c);
      const today = series[c];
      if (today?.date === date) {
        open.set(s, today.open);
        close.set(s, today.close);
      }
    }
    return { date, history: this.history, open, close, lastClose: new Map(this.lastClose) };
  }
}
