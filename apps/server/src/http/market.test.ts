import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarsResponse, ErrorBody, ImportResult, SplitsFound, SymbolList } from '@tradewire/contract';
import { splitCsv } from '../test/fixtures.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';

let t: TestServer;
let admin: string;
let user: string;

beforeAll(async () => {
  t = await startTestServer();
  admin = (await signup(t, 'admin@example.com')).token;
  user = (await signup(t, 'trader@example.com')).token;
});
afterAll(async () => {
  await t?.close();
});

const CSV = ['date,open,high,low,close,volume', '2024-01-02,10,11,9.5,10.5,1000', '2024-01-03,10.5,12,10,11.75,1500'].join('\n');
const csv = (token: string, body: string, query = '') =>
  t.req('POST', `/api/market/import${query}`, { token, raw: body, headers: { 'content-type': 'text/csv' } });

function expectError(res: { status: number; body: any }, status: number, message: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.message).toContain(message);
}

describe('GET /api/market/symbols', () => {
  it('lists the simulated tickers with name, sector and source', async () => {
    const res = await t.req('GET', '/api/market/symbols', { token: user });
    expect(res.status).toBe(200);
    const { symbols } = SymbolList.parse(res.body);
    expect(symbols.length).toBeGreaterThanOrEqual(30);
    expect(symbols.find((s) => s.symbol === 'ZNTH')).toEqual({ symbol: 'ZNTH', name: 'Zenith Lattice Systems', sector: 'Technology', source: 'simulated' });
  });

  it('requires a signed-in user', async () => {
    expect((await t.req('GET', '/api/market/symbols')).status).toBe(401);
    expect((await t.req('GET', '/api/market/bars?symbol=ZNTH')).status).toBe(401);
  });
});

describe('GET /api/market/bars', () => {
  it('returns the bars within the inclusive range, oldest first', async () => {
    const res = await t.req('GET', '/api/market/bars?symbol=znth&from=2026-10-26&to=2026-10-30', { token: user });
    expect(res.status).toBe(200);
    const body = BarsResponse.parse(res.body);
    expect(body.symbol).toBe('ZNTH');
    expect(body.source).toBe('simulated');
    expect(body.bars.map((b) => b.date)).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30']);
  });

  it('answers 404 naming an unknown symbol', async () => {
    expectError(await t.req('GET', '/api/market/bars?symbol=NOSUCH', { token: user }), 404, 'unknown symbol NOSUCH');
  });

  it('answers 400 for bad dates and a range that ends before it starts', async () => {
    expectError(await t.req('GET', '/api/market/bars?symbol=ZNTH&from=2026-02-30', { token: user }), 400, 'from');
    expectError(await t.req('GET', '/api/market/bars?symbol=ZNTH&to=yesterday', { token: user }), 400, 'to');
    expectError(await t.req('GET', '/api/market/bars?symbol=ZNTH&from=2026-10-30&to=2026-10-01', { token: user }), 400, 'from 2026-10-30 is after to 2026-10-01');
    expectError(await t.req('GET', '/api/market/bars', { token: user }), 400, 'symbol');
  });
});

describe('POST /api/market/import', () => {
  it('is for admins only', async () => {
    expectError(await csv(user, CSV, '?symbol=ACME'), 403, 'admin only');
    expect((await t.req('GET', '/api/market/bars?symbol=ACME', { token: user })).status).toBe(404);
  });

  it('imports a CSV body; the symbol then shows with source import', async () => {
    const res = await csv(admin, CSV, '?symbol=acme');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ImportResult.parse(res.body)).toEqual({
      imported: [{ symbol: 'ACME', bars: 2, from: '2024-01-02', to: '2024-01-03', splits: [], split_adjusted: false }],
    });
    const { symbols } = SymbolList.parse((await t.req('GET', '/api/market/symbols', { token: user })).body);
    expect(symbols.find((s) => s.symbol === 'ACME')).toMatchObject({ source: 'import' });
    const bars = await t.req('GET', '/api/market/bars?symbol=ACME&from=2024-01-03', { token: user });
    expect(bars.body).toEqual({ symbol: 'ACME', source: 'import', bars: [{ date: '2024-01-03', open: 10.5, high: 12, low: 10, close: 11.75, volume: 1500 }] });
  });

  it('imports an Alpha Vantage document that replaces a simulated ticker', async () => {
    const doc = {
      'Meta Data': { '2. Symbol': 'QLLX' },
      'Time Series (Daily)': { '2024-05-01': { '1. open': '5', '2. high': '6', '3. low': '4', '4. close': '5.5', '5. volume': '100' } },
    };
    const res = await t.req('POST', '/api/market/import', { token: admin, body: doc });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const bars = BarsResponse.parse((await t.req('GET', '/api/market/bars?symbol=QLLX', { token: user })).body);
    expect(bars.source).toBe('import');
    expect(bars.bars.map((b) => b.close)).toEqual([5.5]);
  });

  it('rejects a bad file whole with a message naming the line, and changes nothing', async () => {
    const bad = CSV + '\n2024-01-04,1,2,1,oops,5';
    const res = await csv(admin, bad, '?symbol=BADCO');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_import', message: 'line 4: bad number "oops" in close' });
    expect((await t.req('GET', '/api/market/bars?symbol=BADCO', { token: user })).status).toBe(404);
  });

  it('rejects an Alpha Vantage error body with its text', async () => {
    const res = await t.req('POST', '/api/market/import', { token: admin, body: { Note: 'API call frequency exceeded' } });
    expectError(res, 400, 'Alpha Vantage returned no data: API call frequency exceeded');
  });

  it('needs a symbol for a CSV without a symbol column, and a supported content type', async () => {
    expectError(await csv(admin, CSV), 400, 'no symbol column and no symbol given');
    expectError(await csv(admin, CSV, '?symbol=not%20a%20ticker'), 400, 'symbol');
    for (const type of ['text/plain', 'application/xml']) {
      const res = await t.req('POST', '/api/market/import?symbol=ACME', { token: admin, raw: CSV, headers: { 'content-type': type } });
      expect(res.status).toBe(415);
      expect(res.body.error).toEqual({
        code: 'unsupported_media_type',
        message: `Content-Type ${type} is not supported: send text/csv, application/json, or a file as application/octet-stream with ?filename=`,
      });
    }
  });
});

describe('POST /api/market/import with a split in the file', () => {
  const { csv: file, splitDate, before } = splitCsv();
  const split = { symbol: 'SPLT', date: splitDate, ratio: '15:1', factor: 15, previous_date: before.date, previous_close: 1348.1, open: 90 };
  const closeBefore = async () => {
    const res = await t.req('GET', `/api/market/bars?symbol=SPLT&from=${before.date}&to=${before.date}`, { token: user });
    return res.status === 200 ? BarsResponse.parse(res.body).bars[0]!.close : res.status;
  };

  it('refuses it with 422 listing the splits and how to go on, importing nothing', async () => {
    const res = await csv(admin, file, '?symbol=SPLT');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const { error } = ErrorBody.parse(res.body);
    expect(error.code).toBe('splits_found');
    expect(error.message).toBe(
      `a split found in prices as traded: SPLT 15:1 on ${splitDate} (1348.1 -> 90); nothing was imported: send adjust_splits=true to back-adjust the prices before them, or adjust_splits=false to keep prices as traded`,
    );
    expect(SplitsFound.parse(error.details)).toEqual({ splits: [split] });
    expect(await closeBefore()).toBe(404);
  });

  it('back-adjusts with adjust_splits=true, or keeps prices as traded with false', async () => {
    const adjusted = await csv(admin, file, '?symbol=SPLT&adjust_splits=true');
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(200);
    expect(ImportResult.parse(adjusted.body).imported).toMatchObject([{ symbol: 'SPLT', bars: 40, splits: [split], split_adjusted: true }]);
    expect(await closeBefore()).toBe(89.873333);
    expect(await t.server.ctx.storage.market.splitAdjusted('import')).toEqual([{ symbol: 'SPLT', splits: [{ date: splitDate, ratio: '15:1', factor: 15 }] }]);

    const kept = await csv(admin, file, '?symbol=SPLT&adjust_splits=false');
    expect(ImportResult.parse(kept.body).imported).toMatchObject([{ symbol: 'SPLT', splits: [split], split_adjusted: false }]);
    expect(await closeBefore()).toBe(1348.1);
  });

  it('names adjust_splits when it is neither true nor false', async () => {
    expectError(await csv(admin, file, '?symbol=SPLT&adjust_splits=yes'), 400, 'querystring.adjust_splits: must be true or false');
  });
});

describe('POST /api/market/import?filename= (a file uploaded from the browser)', () => {
  const upload = (name: string, content: string, query = '') =>
    t.req('POST', `/api/market/import?filename=${encodeURIComponent(name)}${query}`, {
      token: admin,
      raw: content,
      headers: { 'content-type': 'application/octet-stream' },
    });

  it('reads the file as the CLI does: the name gives the symbol and the format', async () => {
    const res = await upload('UPLD.csv', CSV, '&dataset=uploads');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ImportResult.parse(res.body).imported).toMatchObject([{ symbol: 'UPLD', bars: 2, from: '2024-01-02', to: '2024-01-03' }]);
    const symbols = SymbolList.parse((await t.req('GET', '/api/market/symbols?dataset=uploads', { token: user })).body).symbols;
    expect(symbols.map((s) => s.symbol)).toEqual(['UPLD']);
    const doc = { 'Meta Data': { '2. Symbol': 'AVUP' }, 'Time Series (Daily)': { '2024-01-02': { '1. open': '5', '2. high': '6', '3. low': '4', '4. close': '5.5', '5. volume': '100' } } };
    const json = await upload('AVUP.json', JSON.stringify(doc), '&dataset=uploads');
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body.imported).toHaveLength(1);
  });

  it('answers with the CLI’s messages, naming the file, and writes nothing', async () => {
    const bad = `${CSV}\n2024-01-04,1,2,0.5,oops,10`;
    expect((await upload('BADUP.csv', bad)).body.error).toEqual({ code: 'invalid_import', message: 'BADUP.csv line 4: bad number "oops" in close' });
    expect((await upload('notes.txt', CSV)).body.error.message).toBe('notes.txt: unknown file type: expected .csv or .json');
    expect((await upload('BROKEN.json', '{ nope')).body.error.message).toMatch(/^BROKEN\.json: not valid JSON: /);
    expectError(await upload('UPLD.csv', CSV, '&symbol=UPLD'), 400, 'symbol: leave it out with filename');
    expectError(await upload('../etc/passwd.csv', CSV), 400, 'filename: must be a file name');
    expect((await t.req('GET', '/api/market/bars?symbol=BADUP', { token: user })).status).toBe(404);
  });
});
