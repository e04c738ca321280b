import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../storage/sqlite.js';
import { splitCsv } from '../test/fixtures.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const { csv, splitDate, before } = splitCsv();

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradewire-cli-import-'));
  file = join(dir, 'NFLX.csv');
  writeFileSync(file, csv);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the compiled `market:import` script as npm would, against a SQLite file in `dir`. */
const cli = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['apps/server/dist/cli/market-import.js', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', DATA_DIR: dir } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });

/** What the database holds for NFLX: the close before the split and the recorded adjustments. */
async function stored() {
  const storage = await openSqlite(join(dir, 'tradewire.db'));
  try {
    const bar = (await storage.market.bars('import', 'NFLX', before.date, before.date))[0];
    return { close: bar?.close, adjusted: await storage.market.splitAdjusted('import') };
  } finally {
    await storage.close();
  }
}

describe('npm run market:import with a split in the file', () => {
  it('refuses the file, naming the split and both ways on, and imports nothing', async () => {
    const run = await cli(file);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`a split found in prices as traded: NFLX 15:1 on ${splitDate} (1348.1 -> 90); nothing was imported.`);
    expect(run.stderr).toContain('Run again with --adjust-splits to back-adjust the prices before them, or --no-adjust-splits to keep prices as traded.');
    expect((await stored()).close).toBeUndefined();
  });

  it('back-adjusts with --adjust-splits and says so', async () => {
    const run = await cli('--adjust-splits', file);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`split 15:1 on ${splitDate} (1348.1 -> 90): earlier prices back-adjusted`);
    expect(await stored()).toEqual({ close: 89.873333, adjusted: [{ symbol: 'NFLX', splits: [{ date: splitDate, ratio: '15:1', factor: 15 }] }] });
  });

  it('keeps prices as traded with --no-adjust-splits, and takes only one of the two', async () => {
    const run = await cli('--no-adjust-splits', file);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('kept as traded');
    expect(await stored()).toEqual({ close: 1348.1, adjusted: [] });
    const both = await cli('--adjust-splits', '--no-adjust-splits', file);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--adjust-splits and --no-adjust-splits exclude each other');
  });
});
