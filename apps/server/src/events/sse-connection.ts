import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Frame, PING } from './frame.js';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Writes SSE frames to one client. Frames are encoded once and shared by every client: on an
 * HTTP/1.1 stream each is one pre-framed chunk written straight to the socket (no per-client
 * string, chunk header or http bookkeeping); other streams (HTTP/1.0, HTTP/2) go through the
 * response. A client whose unsent bytes pass `maxBufferBytes` is cut off (it will resume by id),
 * so a stalled reader can never make the server hold more than that for it.
 */
export class SseConnection {
  private closed = false;
  private readonly closeHandlers: (() => void)[] = [];
  /** The socket frames go to directly, once the response is known to be chunked and flushed. */
  private socket: Socket | null = null;
  /** When the last bytes were written (performance.now()): the heartbeat skips busy streams. */
  lastWriteAt = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferBytes: number,
  ) {
    res.on('close', () => this.finish());
  }

  /**
   * Sends the headers and `retry:`. Until `flush()`, what is sent waits in the socket (corked), so
   * the headers and the opening frames (connected, the replay) leave in one write, not one each.
   */
  open(extraHeaders: Record<string, string> = {}, retryMs = 3000) {
    const { req } = this.res;
    if (req.httpVersionMajor === 1) this.res.socket?.cork();
    // HTTP/2 forbids connection-specific headers: node drops them with a warning, or throws outside its compatibility API.
    const { Connection, ...http2Headers } = SSE_HEADERS;
    const http11 = req.httpVersionMajor === 1 && req.httpVersionMinor === 1;
    const headers = req.httpVersionMajor >= 2 ? http2Headers : http11 ? { ...SSE_HEADERS, 'Transfer-Encoding': 'chunked' } : SSE_HEADERS;
    this.res.writeHead(200, { ...headers, ...extraHeaders });
    this.res.flushHeaders();
    // The headers are in the socket (corked), nothing of this response waits in node's own queue
    // (the response's unsent bytes are all the socket's): from here the stream's chunks can go
    // straight to the socket, in order, and `res.end` still ends the chunked body.
    const socket = this.res.socket;
    if (http11 && socket && !socket.destroyed && this.res.writableLength === socket.writableLength) this.socket = socket;
    this.send(new Frame(`retry: ${retryMs}\n\n`));
  }

  /** Lets what `open` and the opening frames queued leave together. */
  flush() {
    const socket = this.res.socket;
    if (this.res.req.httpVersionMajor === 1 && socket && socket.writableCorked > 0) socket.uncork();
  }

  get isClosed() {
    return this.closed;
  }

  onClose(fn: () => void) {
    if (this.closed) fn();
    else this.closeHandlers.push(fn);
  }

  send(frame: Frame) {
    if (this.closed) return;
    this.lastWriteAt = performance.now();
    const out = this.socket ?? this.res;
    if (this.socket) this.socket.write(frame.chunk);
    else this.res.write(frame.bytes);
    if (out.writableLength > this.maxBufferBytes) {
      this.res.destroy();
      this.finish();
    }
  }

  ping() {
    this.send(PING);
  }

  /** Ends the stream politely (a comment says why; EventSource will reconnect). */
  end(reason: string) {
    if (this.closed) return;
    this.res.end(`: closing: ${reason.replace(/\n/g, ' ')}\n\n`);
    this.finish();
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closeHandlers.splice(0)) fn();
  }
}
