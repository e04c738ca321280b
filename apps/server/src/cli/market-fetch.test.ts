import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, weekdays } from '../market/calendar.js';
import { fakeProviderEnv, startFakeAlphaVantage, startFakeYahoo, type FakeProvider } from '../test/fake-providers.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const yesterday = addDays(new Date().toISOString().slice(0, 10), -1);

let fake: FakeProvider;
let av: FakeProvider;
let dir: string;

beforeAll(async () => {
  fake = await startFakeYahoo({ missing: ['NOPE'], lastDate: yesterday });
  av = await startFakeAlphaVantage({ lastDate: yesterday, actions: [{ symbol: 'NFLX', date: addDays(yesterday, -20), factor: 0.1, split: true }] });
  dir = mkdtempSync(join(tmpdir(), 'tradewire-cli-'));
}, 120_000);
afterAll(async () => {
  await fake?.close();
  await av?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the compiled `market:fetch` script as npm would, with the fake provider configured. */
const cli = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: dir, ...fakeProviderEnv({ yahoo: fake, alphaVantage: av }) };
    execFile(process.execPath, ['apps/server/dist/cli/market-fetch.js', ...args], { cwd: root, env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });

describe('npm run market:fetch', () => {
  it('fetches each symbol, reports the ones that failed, and exits 1 when any did', async () => {
    const from = addDays(yesterday, -30);
    const run = await cli('--provider', 'yahoo', '--symbols', 'aapl,NOPE,MSFT', '--from', from, '--dataset', 'nasdaq-yahoo');
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trim().split('\n');
    const days = weekdays(from, yesterday);
    expect(lines[0]).toBe(`AAPL        +${days.length} bars      ${days[0]} .. ${days.at(-1)}`);
    expect(lines[1]).toBe('NOPE        failed: Yahoo: No data found, symbol may be delisted');
    expect(lines[2]).toMatch(/^MSFT +\+\d+ bars/);
    expect(lines[3]).toBe('Data set nasdaq-yahoo: 2 symbols, prices adjusted for splits and dividends; 2 fetched, 1 failed');
  });

  it('asks again only for days after the last stored bar', async () => {
    const before = fake.requests.length;
    const run = await cli('--provider', 'yahoo', '--symbols', 'AAPL', '--dataset', 'nasdaq-yahoo');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^AAPL +up to date/);
    const asked = fake.requests.slice(before);
    expect(asked.length).toBeLessThanOrEqual(1);
    for (const r of asked) expect(Number(r.query.get('period1'))).toBeGreaterThan(Date.parse(addDays(yesterday, -7)) / 1000);
  });

  it('explains its usage and exits 2 on bad arguments', async () => {
    const missing = await cli('--symbols', 'AAPL');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--provider: must be one of yahoo, alpaca, alphavantage');
    expect(missing.stderr).toContain('usage: npm run market:fetch');
    const noKey = await cli('--provider', 'alpaca', '--symbols', 'AAPL');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('ALPACA_KEY_ID and ALPACA_SECRET_KEY must be set to fetch from alpaca');
    const both = await cli('--provider', 'yahoo', '--symbols', 'AAPL', '--adjust-splits', '--no-adjust-splits');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--adjust-splits and --no-adjust-splits exclude each other');
  });

  it('fails a symbol with a split in prices as traded unless told to back-adjust it', async () => {
    const args = ['--provider', 'alphavantage', '--symbols', 'NFLX', '--from', addDays(yesterday, -40), '--dataset', 'av'];
    const refused = await cli(...args);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^NFLX +failed: a split found in prices as traded: NFLX 10:1 on /);
    const adjusted = await cli(...args, '--adjust-splits');
    expect(adjusted.code, adjusted.stderr).toBe(0);
    expect(adjusted.stdout).toMatch(/^NFLX +\+\d+ bars .*prices before the split 10:1 on \d{4}-\d\d-\d\d back-adjusted/);
  });
});
