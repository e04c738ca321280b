/**
 * Batches streamed text so a chatty model produces at most one event per interval: text is
 * gathered while a send is pending and handed to `send` in one piece.
 */
export class ReasoningThrottle {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (text: string) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  push(text: string) {
    this.pending += text;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => void this.flush().catch(this.onError), wait);
  }

  /** Sends what is gathered now (a step is about to be recorded, or the run ends). */
  async flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const text = this.pending;
    if (!text) return;
    this.pending = '';
    this.lastSentAt = Date.now();
    await this.send(text);
  }
}
