import type { TradingEvent } from '@tradewire/contract';

/**
 * One SSE message, encoded once and written as is to every client: its bytes sit inside an
 * HTTP/1.1 chunk (size line, bytes, CRLF), so a chunked response can put the whole chunk on its
 * socket in one write, and any other response writes the bytes alone (a view, not a copy).
 */
export class Frame {
  /** The frame as one HTTP/1.1 chunk. */
  readonly chunk: Buffer;
  private readonly start: number;

  constructor(text: string) {
    const length = Buffer.byteLength(text);
    const head = `${length.toString(16)}\r\n`;
    this.start = head.length;
    this.chunk = Buffer.allocUnsafe(head.length + length + 2);
    this.chunk.write(head, 0, 'latin1');
    this.chunk.write(text, this.start, 'utf8');
    this.chunk.write('\r\n', this.start + length, 'latin1');
  }

  /** The frame's own bytes, without the chunk framing. */
  get bytes(): Buffer {
    return this.chunk.subarray(this.start, this.chunk.length - 2);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }
}

/** One unnamed SSE message, so EventSource.onmessage receives it. */
export const sseFrame = (e: TradingEvent) => new Frame(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);

/** The comment that keeps idle streams open through proxies. */
export const PING = new Frame(': ping\n\n');
