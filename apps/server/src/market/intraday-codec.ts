import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Bar } from '@tradewire/contract';

/**
 * One trading day of one symbol's intraday bars, packed for storage: ~390 one-minute bars in a
 * few kilobytes instead of 390 rows. Layout before compression (little-endian):
 *
 *   u8 version (1) · u8 price decimals (4, or 2 for prices past $214,748) · u32 bar count ·
 *   f64 first bar start (ms since the epoch) ·
 *   per bar: u32 minutes since the first bar · i32 open − previous close · i32 high − open ·
 *            i32 low − open · i32 close − open (all in price units of 10^-decimals) · f64 volume
 *
 * Prices as deltas in whole ticks compress well (deflate), and decode exactly at 4 decimals.
 * Bar dates are their start instants (`2026-11-27T14:30:00Z`).
 */
const VERSION = 1;
const HEADER = 1 + 1 + 4 + 8;
const PER_BAR = 4 + 4 * 4 + 8;
const MINUTE = 60_000;

const isoOf = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function packBars(bars: readonly Bar[]): Uint8Array {
  const maxPrice = bars.reduce((m, b) => Math.max(m, b.high), 0);
  const decimals = maxPrice * 1e4 < 2 ** 31 - 1 ? 4 : 2;
  const scale = 10 ** decimals;
  const buf = Buffer.alloc(HEADER + PER_BAR * bars.length);
  const first = bars.length > 0 ? Date.parse(bars[0]!.date) : 0;
  buf.writeUInt8(VERSION, 0);
  buf.writeUInt8(decimals, 1);
  buf.writeUInt32LE(bars.length, 2);
  buf.writeDoubleLE(first, 6);
  let prevClose = 0;
  bars.forEach((b, i) => {
    const at = HEADER + i * PER_BAR;
    const [o, h, l, c] = [b.open, b.high, b.low, b.close].map((p) => Math.round(p * scale)) as [number, number, number, number];
    buf.writeUInt32LE(Math.round((Date.parse(b.date) - first) / MINUTE), at);
    buf.writeInt32LE(o - prevClose, at + 4);
    buf.writeInt32LE(h - o, at + 8);
    buf.writeInt32LE(l - o, at + 12);
    buf.writeInt32LE(c - o, at + 16);
    buf.writeDoubleLE(b.volume, at + 20);
    prevClose = c;
  });
  return deflateRawSync(buf);
}

export function unpackBars(packed: Uint8Array): Bar[] {
  const buf = inflateRawSync(packed);
  if (buf.readUInt8(0) !== VERSION) throw new Error(`intraday bars packed with unknown version ${buf.readUInt8(0)}`);
  const scale = 10 ** buf.readUInt8(1);
  const count = buf.readUInt32LE(2);
  const first = buf.readDoubleLE(6);
  const bars: Bar[] = new Array(count);
  // Bars of one day share their date: only the time of day is written per bar (Date.toISOString is slow).
  const dayStart = Math.floor(first / 86_400_000) * 86_400_000;
  const dayPrefix = `${new Date(dayStart).toISOString().slice(0, 11)}`;
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const dateOf = (minutes: number) => {
    const ms = first + minutes * MINUTE;
    const sinceMidnight = (ms - dayStart) / MINUTE;
    if (sinceMidnight >= 1440) return isoOf(ms);
    return `${dayPrefix}${two(Math.floor(sinceMidnight / 60))}:${two(sinceMidnight % 60)}:00Z`;
  };
  let prevClose = 0;
  for (let i = 0; i < count; i++) {
    const at = HEADER + i * PER_BAR;
    const o = prevClose + buf.readInt32LE(at + 4);
    const h = o + buf.readInt32LE(at + 8);
    const l = o + buf.readInt32LE(at + 12);
    const c = o + buf.readInt32LE(at + 16);
    bars[i] = { date: dateOf(buf.readUInt32LE(at)), open: o / scale, high: h / scale, low: l / scale, close: c / scale, volume: buf.readDoubleLE(at + 20) };
    prevClose = c;
  }
  return bars;
}
