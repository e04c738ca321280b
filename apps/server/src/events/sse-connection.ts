import type { ServerResponse } from 'node:http';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Writes SSE frames to one client. Frames are pre-serialised strings shared by every client;
 * a client whose unsent bytes pass `maxBufferBytes` is cut off (it will resume by id), so a
 * stalled reader can never make the server hold more than that for it.
 */
export class SseConnection {
  private closed = false;
  private readonly closeHandlers: (() => void)[] = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferBytes: number,
  ) {
    res.on('close', () => this.finish());
  }

  open(extraHeaders: Record<string, string> = {}, retryMs = 3000) {
    this.res.writeHead(200, { ...SSE_HEADERS, ...extraHeaders });
    this.res.flushHeaders();
    this.write(`retry: ${retryMs}\n\n`);
  }

  get isClosed() {
    return this.closed;
  }

  onClose(fn: () => void) {
    if (this.closed) fn();
    else this.closeHandlers.push(fn);
  }

  send(frame: string) {
    this.write(frame);
  }

  ping() {
    this.write(': ping\n\n');
  }

  /** Ends the stream politely (a comment says why; EventSource will reconnect). */
  end(reason: string) {
    if (this.closed) return;
    this.res.end(`: closing: ${reason.replace(/\n/g, ' ')}\n\n`);
    this.finish();
  }

  private write(chunk: string) {
    if (this.closed) return;
    this.res.write(chunk);
    if (this.res.writableLength > this.maxBufferBytes) {
      this.res.destroy();
      this.finish();
    }
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closeHandlers.splice(0)) fn();
  }
}
