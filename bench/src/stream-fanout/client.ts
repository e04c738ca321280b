import { type Socket, connect } from 'node:net';
import { nowMs } from '../lib/clock.js';
import { parentChannel } from '../lib/child.js';
import { Histogram } from '../lib/histogram.js';
import { EMITTED_AT, type ClientConn, type FromClient, type ToClient } from './protocol.js';
import { HOST } from './targets/target.js';

/**
 * A client process: holds many SSE connections over raw TCP (a small HTTP/1.1 reader with
 * chunked decoding), counts the measured events each receives and records their latency.
 * It never reconnects: a connection the server drops is reported, and its missing events are drops.
 */
const latency = new Histogram();
let received: number[] = [];
let opened: number[] = [];
let disconnects = 0;
let measureFrom = Infinity;
let cpuAtMeasure: NodeJS.CpuUsage | null = null;
const sockets: Socket[] = [];

/** Decodes `Transfer-Encoding: chunked` bodies incrementally. */
class Dechunker {
  private remaining = 0;
  private skip = 0;
  private line = '';

  feed(buf: Buffer, out: (part: string) => void) {
    let i = 0;
    while (i < buf.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, buf.length - i);
        out(buf.toString('latin1', i, i + n));
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.skip = 2;
      } else if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - i);
        i += n;
        this.skip -= n;
      } else {
        const nl = buf.indexOf(10, i);
        if (nl === -1) return void (this.line += buf.toString('latin1', i));
        this.line += buf.toString('latin1', i, nl);
        i = nl + 1;
        this.remaining = parseInt(this.line, 16) || 0;
        this.line = '';
      }
    }
  }
}

/** Opens one stream; resolves once its first data frame (`connected`) arrives: null, or why it failed. */
function openStream(port: number, conn: ClientConn, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port, noDelay: true });
    sockets.push(socket);
    let head = '';
    let dechunk: Dechunker | null | undefined;
    let text = '';
    let connected = false;
    const timer = setTimeout(() => done('no connected event in time'), timeoutMs);
    const done = (error: string | null) => {
      clearTimeout(timer);
      if (connected) return;
      if (error) socket.destroy();
      else connected = true;
      resolve(error);
    };

    const onText = (part: string, at: number) => {
      text += part;
      let start = 0;
      for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n', start)) {
        const mark = text.indexOf(EMITTED_AT, start);
        if (mark !== -1 && mark < end) {
          const emittedAt = parseFloat(text.slice(mark + EMITTED_AT.length, mark + EMITTED_AT.length + 32));
          if (emittedAt >= measureFrom) {
            received[conn.model]!++;
            latency.record(at - emittedAt);
          }
        } else if (!connected) {
          const data = text.indexOf('data:', start);
          if (data !== -1 && data < end) {
            opened[conn.model]!++;
            done(null);
          }
        }
        start = end + 2;
      }
      text = text.slice(start);
    };

    socket.on('connect', () => socket.write(`GET ${conn.path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nAccept: text/event-stream\r\n\r\n`));
    socket.on('data', (buf: Buffer) => {
      const at = nowMs();
      if (dechunk === undefined) {
        head += buf.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        const status = head.slice(9, 12);
        if (status !== '200') return done(`HTTP ${status}`);
        dechunk = /\r\ntransfer-encoding:\s*chunked/i.test(head.slice(0, end)) ? new Dechunker() : null;
        const rest = Buffer.from(head.slice(end + 4), 'latin1');
        head = '';
        buf = rest;
      }
      if (dechunk) dechunk.feed(buf, (part) => onText(part, at));
      else onText(buf.toString('latin1'), at);
    });
    socket.on('error', (e) => done(e.message));
    socket.on('close', () => {
      if (connected) disconnects++;
      else done('closed before connected');
    });
  });
}

/** Opens every stream with at most `maxPending` handshakes in flight (the server's backlog is finite). */
async function openAll(port: number, conns: ClientConn[], maxPending: number, timeoutMs: number) {
  const models = Math.max(0, ...conns.map((c) => c.model)) + 1;
  received = new Array<number>(models).fill(0);
  opened = new Array<number>(models).fill(0);
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < conns.length) {
      const error = await openStream(port, conns[next++]!, timeoutMs);
      if (error) [failed, firstError] = [failed + 1, firstError ?? error];
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxPending, conns.length) }, worker));
  return { ok: conns.length - failed, failed, firstError };
}

const reply = parentChannel<ToClient, FromClient>(
  async (msg) => {
    if (msg.type === 'open') {
      reply({ type: 'opened', ...(await openAll(msg.port, msg.conns, msg.maxPending, msg.timeoutMs)) });
    } else if (msg.type === 'measure') {
      measureFrom = msg.from;
      cpuAtMeasure = process.cpuUsage();
    } else if (msg.type === 'report') {
      const cpu = process.cpuUsage(cpuAtMeasure ?? undefined);
      reply({ type: 'report', received, opened, latency: latency.toJSON(), disconnects, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  },
  async () => {
    for (const s of sockets) s.destroy();
  },
);
