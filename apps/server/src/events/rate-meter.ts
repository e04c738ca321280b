/** Events per second over a sliding window of whole seconds. */
export class RateMeter {
  private readonly counts: number[];
  private second = 0;

  constructor(private readonly windowS: number) {
    this.counts = new Array<number>(windowS).fill(0);
  }

  add(n: number) {
    this.roll();
    this.counts[this.second % this.windowS]! += n;
  }

  perSecond() {
    this.roll();
    const total = this.counts.reduce((a, b) => a + b, 0);
    return Math.round((total / this.windowS) * 10) / 10;
  }

  private roll() {
    const now = Math.floor(Date.now() / 1000);
    if (now - this.second >= this.windowS) this.counts.fill(0);
    else for (let s = this.second + 1; s <= now; s++) this.counts[s % this.windowS] = 0;
    this.second = now;
  }
}
