/** What replaces the part of a text past its bound. */
export const TRUNCATED = '… [truncated]';

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
function prefixBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  // A split character decodes to U+FFFD at the end: drop it.
  return cut.endsWith('\uFFFD') && !text.startsWith(cut) ? cut.slice(0, -1) : cut;
}

/** `text` cut to `maxBytes` with the marker after it when it was longer. */
export function truncateBytes(text: string, maxBytes: number): string {
  return Buffer.byteLength(text) <= maxBytes ? text : prefixBytes(text, maxBytes) + TRUNCATED;
}

/**
 * A byte allowance for text that arrives in pieces (a model's streamed reasoning over one
 * trading day): pieces pass while it lasts; the piece that crosses it is cut and followed by the
 * marker, and everything after is dropped.
 */
export class TextBudget {
  private used = 0;
  private spent = false;

  constructor(private readonly maxBytes: number) {}

  get exhausted() {
    return this.spent;
  }

  /** The part of `piece` that may be kept ('' once the allowance is spent). */
  take(piece: string): string {
    if (this.spent) return '';
    const bytes = Buffer.byteLength(piece);
    if (this.used + bytes <= this.maxBytes) {
      this.used += bytes;
      return piece;
    }
    this.spent = true;
    return prefixBytes(piece, this.maxBytes - this.used) + TRUNCATED;
  }
}
