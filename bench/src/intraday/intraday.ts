import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../apps/server/dist/config/config.js';
import { openStorage } from '../../../apps/server/dist/storage/open.js';
import { int, table } from '../lib/format.js';
import { type Part, number } from '../lib/part.js';

export interface IntradayOptions {
  symbols: number;
  days: number;
}

const MINUTE = 60_000;
const BARS_PER_DAY = 390;

/** Weekdays from 2025-12-01 on, `count` of them: a year of sessions when 252. */
function tradingDays(count: number): string[] {
  const days: string[] = [];
  for (let t = Date.parse('2025-12-01T00:00:00Z'); days.length < count; t += 86_400_000) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** A day of one-minute bars: a random walk in cents with four-decimal prices, like real minute bars. */
function dayOfMinutes(day: string, start: number, seed: number) {
  let price = start;
  let x = seed;
  const rnd = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const open0 = Date.parse(`${day}T14:30:00Z`);
  return Array.from({ length: BARS_PER_DAY }, (_, i) => {
    const open = Math.round(price * 1e4) / 1e4;
    price = Math.max(1, price * (1 + (rnd() - 0.5) * 0.002));
    const close = Math.round(price * 1e4) / 1e4;
    return {
      date: `${new Date(open0 + i * MINUTE).toISOString().slice(0, 19)}Z`,
      open,
      high: Math.round((Math.max(open, close) + rnd() * 0.05) * 1e4) / 1e4,
      low: Math.round((Math.min(open, close) - rnd() * 0.05) * 1e4) / 1e4,
      close,
      volume: Math.floor(rnd() * 50_000),
    };
  });
}

/**
 * Writes `days` trading days of one-minute bars (390 a day) for `symbols` symbols into a fresh
 * SQLite file through the storage layer, then measures the file and how fast bars load back.
 */
export const intraday: Part<IntradayOptions> = {
  name: 'intraday',
  title: 'Intraday bars: a year of 1-minute bars for 100 symbols',
  options: (flags) => ({ symbols: number(flags.values.symbols, 100), days: number(flags.values.days, 252) }),
  async run(o, log) {
    const dir = mkdtempSync(join(tmpdir(), 'tradewire-bench-intraday-'));
    const storage = await openStorage(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn' }));
    try {
      const dataset = { name: 'minutes', source: 'provider', provider: 'alpaca', adjusted: true } as const;
      const days = tradingDays(o.days);
      const writeStart = Date.now();
      for (let s = 0; s < o.symbols; s++) {
        const symbol = `S${String(s).padStart(3, '0')}`;
        const bars = days.flatMap((d, i) => dayOfMinutes(d, 50 + s, s * 1000 + i + 1));
        await storage.market.saveIntraday(dataset, { symbol, name: symbol, sector: '', source: 'alpaca' }, '1m', bars);
        if ((s + 1) % 20 === 0) log(`intraday: ${s + 1}/${o.symbols} symbols written`);
      }
      const writeSeconds = (Date.now() - writeStart) / 1000;
      const bytes = ['tradewire.db', 'tradewire.db-wal'].map((f) => {
        try {
          return statSync(join(dir, f)).size;
        } catch {
          return 0;
        }
      });
      const fileBytes = bytes.reduce((a, b) => a + b, 0);
      const bars = o.symbols * o.days * BARS_PER_DAY;

      const oneStart = performance.now();
      const one = await storage.market.intradayBars('minutes', 'S000', '1m');
      const oneMs = performance.now() - oneStart;
      const allStart = performance.now();
      let loaded = 0;
      for (let s = 0; s < o.symbols; s++) loaded += (await storage.market.intradayBars('minutes', `S${String(s).padStart(3, '0')}`, '1m')).length;
      const allMs = performance.now() - allStart;
      if (one.length !== o.days * BARS_PER_DAY || loaded !== bars) throw new Error(`intraday: loaded ${loaded} bars of ${bars}`);
      const data = { symbols: o.symbols, days: o.days, bars, fileBytes, bytesPerBar: fileBytes / bars, writeSeconds, oneSymbolMs: oneMs, allSymbolsMs: allMs };
      const markdown = [
        `${o.symbols} symbols × ${o.days} trading days × ${BARS_PER_DAY} one-minute bars, written through the storage layer ` +
          `(\`saveIntraday\`, one packed row per symbol-day) into a fresh SQLite file, then read back (\`intradayBars\`).`,
        '',
        table(
          ['bars', 'file size', 'bytes per bar', 'write', 'load one symbol (a year)', 'load all symbols'],
          [[int(bars), `${(fileBytes / 2 ** 20).toFixed(1)} MiB`, (fileBytes / bars).toFixed(1), `${writeSeconds.toFixed(1)} s`, `${oneMs.toFixed(0)} ms`, `${(allMs / 1000).toFixed(1)} s`]],
        ),
      ].join('\n');
      return { markdown, data };
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
