import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetList, FetchJob, Model, SymbolList } from '@tradewire/contract';
import { addDays } from '../market/calendar.js';
import { adjustmentFactor, fakeBar, fakeProviderEnv, startFakeAlpaca, startFakeAlphaVantage, startFakeYahoo, type FakeProvider } from '../test/fake-providers.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

const today = new Date().toISOString().slice(0, 10);
const yesterday = addDays(today, -1);

let yahoo: FakeProvider;
let alpaca: FakeProvider;
let t: TestServer;
let admin: string;
let user: string;

beforeAll(async () => {
  yahoo = await startFakeYahoo({ missing: ['NOPE'], lastDate: yesterday, actions: [{ symbol: 'AAPL', date: '2024-05-10', factor: 0.5 }] });
  alpaca = await startFakeAlpaca({ lastDate: yesterday }, { pageSize: 30 });
  // A pause between symbols long enough for the job's progress to be seen midway.
  t = await startTestServer({ ...fakeProviderEnv({ yahoo, alpaca }), MARKET_FETCH_INTERVAL_MS: '150' });
  admin = (await signup(t, 'admin@example.com')).token;
  user = (await signup(t, 'trader@example.com')).token;
});
afterAll(async () => {
  await t?.close();
  await yahoo?.close();
  await alpaca?.close();
});

function expectError(res: { status: number; body: any }, status: number, message: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.message).toContain(message);
}

/** Starts a fetch as admin and waits for it to finish; returns every status polled on the way. */
async function fetchAndWait(body: Record<string, unknown>, on = t, token = admin) {
  const start = await on.req('POST', '/api/market/fetch', { token, body });
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  const seen: FetchJob[] = [FetchJob.parse(start.body)];
  await until(async () => {
    const res = await on.req('GET', `/api/market/fetch/${start.body.job_id}`, { token });
    expect(res.status).toBe(200);
    seen.push(FetchJob.parse(res.body));
    return seen.at(-1)!.finished_at !== null;
  }, 'the fetch job to finish');
  return seen;
}

describe('POST /api/market/fetch', () => {
  it('is for admins only, and so is reading a job', async () => {
    const body = { provider: 'yahoo', symbols: ['AAPL'] };
    expectError(await t.req('POST', '/api/market/fetch', { token: user, body }), 403, 'admin only');
    expect((await t.req('POST', '/api/market/fetch', { body })).status).toBe(401);
    expectError(await t.req('GET', `/api/market/fetch/${crypto.randomUUID()}`, { token: user }), 403, 'admin only');
    expect(yahoo.requests).toHaveLength(0);
  });

  it('answers 400 naming the field for requests that cannot run', async () => {
    const bad = async (body: Record<string, unknown>, message: string) =>
      expectError(await t.req('POST', '/api/market/fetch', { token: admin, body }), 400, message);
    await bad({ provider: 'alphavantage', symbols: ['IBM'] }, 'provider: ALPHAVANTAGE_API_KEY must be set to fetch from alphavantage');
    await bad({ provider: 'bloomberg', symbols: ['IBM'] }, 'provider');
    await bad({ provider: 'yahoo', symbols: [] }, 'symbols');
    await bad({ provider: 'yahoo', symbols: ['not a ticker'] }, 'symbols');
    await bad({ provider: 'yahoo', symbols: ['IBM'], dataset: 'simulated' }, 'dataset: simulated is generated, not stored');
    await bad({ provider: 'yahoo', symbols: ['IBM'], dataset: 'no spaces' }, 'dataset');
    await bad({ provider: 'yahoo', symbols: ['IBM'], from: '2024-05-01', to: '2024-04-01' }, 'from 2024-05-01 is after to 2024-04-01');
    expect(yahoo.requests).toHaveLength(0);
  });

  it('runs in the background, showing its progress and each symbol’s result; one failing symbol stops no other', async () => {
    const seen = await fetchAndWait({ provider: 'yahoo', symbols: ['AAPL', 'NOPE', 'MSFT'], from: '2024-01-02', dataset: 'nasdaq-yahoo' });
    expect(seen[0]).toMatchObject({ provider: 'yahoo', dataset: 'nasdaq-yahoo', progress: { done: 0, total: 3 }, results: [], finished_at: null });
    expect(['queued', 'running']).toContain(seen[0]!.status);
    expect(seen.some((j) => j.status === 'running' && j.progress.done > 0 && j.progress.done < 3)).toBe(true);
    const done = seen.at(-1)!;
    expect(done.status).toBe('completed');
    expect(done.progress).toEqual({ done: 3, total: 3 });
    expect(done.results.map((r) => [r.symbol, r.status, r.first])).toEqual([
      ['AAPL', 'updated', '2024-01-02'],
      ['NOPE', 'failed', null],
      ['MSFT', 'updated', '2024-01-02'],
    ]);
    expect(done.errors).toEqual(['NOPE: Yahoo: No data found, symbol may be delisted']);
    expect(yahoo.requestsFor('AAPL')[0]!.query.get('period1')).toBe(String(Date.parse('2024-01-02') / 1000));
  });

  it('answers 404 for an unknown job and 400 for a malformed id', async () => {
    expectError(await t.req('GET', `/api/market/fetch/${crypto.randomUUID()}`, { token: admin }), 404, 'not found');
    expectError(await t.req('GET', '/api/market/fetch/42', { token: admin }), 400, 'job_id');
  });

  it('pages through Alpaca into a data set named after the provider', async () => {
    const [, ...polled] = await fetchAndWait({ provider: 'alpaca', symbols: ['AAPL'], from: '2025-01-02' });
    const done = polled.at(-1)!;
    expect(done).toMatchObject({ status: 'completed', dataset: 'alpaca', errors: [] });
    expect(done.results[0]).toMatchObject({ symbol: 'AAPL', status: 'updated', first: '2025-01-02' });
    expect(alpaca.requests.length).toBeGreaterThan(5);
    expect(alpaca.requests.filter((r) => r.query.has('page_token'))).toHaveLength(alpaca.requests.length - 1);
  });
});

describe('data sets', () => {
  it('lists every data set with its source, provider, adjustment, symbols and span', async () => {
    const res = await t.req('GET', '/api/market/datasets', { token: user });
    expect(res.status).toBe(200);
    const { datasets } = DatasetList.parse(res.body);
    expect(datasets.map((d) => d.name)).toEqual(['simulated', 'alpaca', 'nasdaq-yahoo']);
    expect(datasets[0]).toEqual({ name: 'simulated', source: 'simulated', provider: null, adjusted: false, symbols: 30, first: expect.any(String), last: '2026-10-30' });
    const last = yesterday;
    expect(datasets[2]).toEqual({
      name: 'nasdaq-yahoo',
      source: 'provider',
      provider: 'yahoo',
      adjusted: true,
      symbols: 2,
      first: '2024-01-02',
      last: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(datasets[2]!.last! <= last).toBe(true);
    expect((await t.req('GET', '/api/market/datasets')).status).toBe(401);
  });

  it('lists a data set’s symbols with their source, and serves its adjusted bars', async () => {
    const list = SymbolList.parse((await t.req('GET', '/api/market/symbols?dataset=nasdaq-yahoo', { token: user })).body);
    expect(list.symbols).toEqual([
      { symbol: 'AAPL', name: 'AAPL Holdings Inc.', sector: 'Unknown', source: 'yahoo' },
      { symbol: 'MSFT', name: 'MSFT Holdings Inc.', sector: 'Unknown', source: 'yahoo' },
    ]);
    const simulated = SymbolList.parse((await t.req('GET', '/api/market/symbols', { token: user })).body);
    expect(simulated.symbols.map((s) => s.source)).not.toContain('yahoo');

    const res = await t.req('GET', '/api/market/bars?symbol=AAPL&dataset=nasdaq-yahoo&from=2024-05-08&to=2024-05-13', { token: user });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('yahoo');
    expect(res.body.bars.map((b: { date: string }) => b.date)).toEqual(['2024-05-08', '2024-05-09', '2024-05-10', '2024-05-13']);
    // Before the 2:1 action the stored prices are halved, so the series has no jump across it.
    const [before, , on] = res.body.bars;
    expect(adjustmentFactor(yahoo.market, 'AAPL', '2024-05-08')).toBe(0.5);
    expect(before.close).toBeCloseTo(fakeBar('AAPL', '2024-05-08').close * 0.5, 6);
    expect(on.close).toBe(fakeBar('AAPL', '2024-05-10').close);

    expectError(await t.req('GET', '/api/market/symbols?dataset=nowhere', { token: user }), 404, 'unknown data set nowhere');
    expectError(await t.req('GET', '/api/market/bars?symbol=ZNTH&dataset=nasdaq-yahoo', { token: user }), 404, 'unknown symbol ZNTH in data set nasdaq-yahoo');
  });

  it('imports files into a named data set, kept apart from the simulated market and from provider data', async () => {
    const csv = (query: string) =>
      t.req('POST', `/api/market/import?${query}`, {
        token: admin,
        raw: 'date,open,high,low,close,volume\n2024-01-02,10,11,9.5,10.5,1000\n',
        headers: { 'content-type': 'text/csv' },
      });
    expect((await csv('symbol=ACME&dataset=my-files')).status).toBe(200);
    const files = SymbolList.parse((await t.req('GET', '/api/market/symbols?dataset=my-files', { token: user })).body);
    expect(files.symbols).toEqual([{ symbol: 'ACME', name: 'ACME', sector: 'Unknown', source: 'import' }]);
    const simulated = SymbolList.parse((await t.req('GET', '/api/market/symbols', { token: user })).body);
    expect(simulated.symbols.map((s) => s.symbol)).not.toContain('ACME');
    expectError(await csv('symbol=ACME&dataset=nasdaq-yahoo'), 400, 'data set nasdaq-yahoo holds adjusted yahoo data, not imported files');
    expectError(await csv('symbol=ACME&dataset=simulated'), 400, 'dataset: simulated is generated, not stored');
    expectError(
      await t.req('POST', '/api/market/fetch', { token: admin, body: { provider: 'yahoo', symbols: ['AAPL'], dataset: 'my-files' } }),
      400,
      'dataset: my-files holds imported files, not yahoo data',
    );
  });
});

describe('models and runs on a data set', () => {
  const createModel = (body: Record<string, unknown>) => t.req('POST', '/api/models', { token: user, body });
  const waitIdle = (id: number) => until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token: user })).body.status === 'idle');

  it('validates the data set and its symbols at create and update, 400 naming the field', async () => {
    const agent = { kind: 'buy_and_hold' };
    const ok = await createModel({ name: 'On Yahoo', agent, dataset: 'nasdaq-yahoo', allowed_symbols: ['AAPL'] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(Model.parse(ok.body).dataset).toBe('nasdaq-yahoo');
    expectError(await createModel({ name: 'Nowhere', agent, dataset: 'nowhere' }), 400, 'dataset: no data set named nowhere');
    expectError(await createModel({ name: 'Bad name', agent, dataset: 'Not A Name!' }), 400, 'dataset');
    expectError(
      await createModel({ name: 'Wrong symbol', agent, dataset: 'nasdaq-yahoo', allowed_symbols: ['ZNTH'] }),
      400,
      'allowed_symbols: unknown symbol ZNTH in data set nasdaq-yahoo',
    );
    const put = (body: Record<string, unknown>) => t.req('PUT', `/api/models/${ok.body.id}`, { token: user, body });
    expectError(await put({ dataset: 'simulated' }), 400, 'allowed_symbols: unknown symbol AAPL');
    expectError(await put({ dataset: 'nowhere' }), 400, 'dataset: no data set named nowhere');
    const moved = await put({ dataset: 'simulated', allowed_symbols: ['ZNTH'] });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ dataset: 'simulated', allowed_symbols: ['ZNTH'] });
  });

  it('runs a model on a fetched data set: it trades at that data set’s prices', async () => {
    const created = await createModel({ name: 'Yahoo holder', agent: { kind: 'buy_and_hold' }, dataset: 'nasdaq-yahoo', slippage_bps: 0 });
    const id = created.body.id as number;
    const start = await t.req('POST', `/api/trading/start/${id}`, { token: user, body: { start_date: '2024-06-03', end_date: '2024-06-28', pace_ms: 0 } });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    expect(start.body).toMatchObject({ start_date: '2024-06-03', end_date: '2024-06-28' });
    await waitIdle(id);
    const run = (await t.req('GET', `/api/models/${id}/runs/${start.body.id}`, { token: user })).body;
    expect(run.status).toBe('completed');
    expect(run.config).toMatchObject({ dataset: 'nasdaq-yahoo', symbols: ['AAPL', 'MSFT'] });
    const trades = (await t.req('GET', `/api/models/${id}/trades?run_id=${run.id}&limit=100`, { token: user })).body.items;
    const buys = trades.filter((x: { action: string; status: string }) => x.action === 'buy' && x.status === 'filled');
    expect(buys.map((b: { symbol: string }) => b.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    for (const b of buys) expect(b.price).toBeCloseTo(fakeBar(b.symbol, b.date).open, 6);
  });

  it('lets a start request choose another data set, kept in the run’s config', async () => {
    const created = await createModel({ name: 'Simulated by default', agent: { kind: 'buy_and_hold' } });
    const id = created.body.id as number;
    expect(created.body.dataset).toBe('simulated');
    const start = (body: Record<string, unknown>) => t.req('POST', `/api/trading/start/${id}`, { token: user, body });
    expectError(await start({ dataset: 'nowhere' }), 400, 'dataset: no data set named nowhere');
    const res = await start({ dataset: 'alpaca', start_date: '2025-03-03', end_date: '2025-03-14', pace_ms: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await waitIdle(id);
    const run = (await t.req('GET', `/api/models/${id}/runs/${res.body.id}`, { token: user })).body;
    expect(run).toMatchObject({ status: 'completed', config: { dataset: 'alpaca', symbols: ['AAPL'] } });
  });
});

describe('scheduled refresh', () => {
  let fake: FakeProvider;
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('fetches every provider data set again on the cron pattern, asking only for the new days', async () => {
    const lastWeek = addDays(today, -8);
    fake = await startFakeYahoo({ lastDate: lastWeek });
    server = await startTestServer({ ...fakeProviderEnv({ yahoo: fake }), MARKET_REFRESH_CRON: '* * * * * *' });
    const token = (await signup(server, 'admin@example.com')).token;
    const start = await server.req('POST', '/api/market/fetch', { token, body: { provider: 'yahoo', symbols: ['AAPL'], from: addDays(today, -40), dataset: 'daily' } });
    expect(start.status).toBe(202);
    const storedLast = async () => (await server.server.ctx.storage.market.spans('daily'))[0]?.last;
    await until(async () => (await storedLast()) !== undefined, 'the first fetch');
    const firstLast = (await storedLast())!;
    expect(firstLast <= lastWeek).toBe(true);

    fake.market.lastDate = yesterday;
    await until(async () => (await storedLast())! > firstLast, 'the scheduled refresh', 10_000);
    const asked = fake.requests.map((r) => new Date(Number(r.query.get('period1')) * 1000).toISOString().slice(0, 10));
    expect(asked).toContain(addDays(firstLast, 1));
    expect(asked.filter((d) => d < addDays(firstLast, 1))).toEqual([addDays(today, -40)]);
    await until(() => server.logs.some((l) => l.includes('market refresh finished')), 'the refresh log line');
  });
});

describe('POST /api/market/fetch of prices as traded with a split', () => {
  const split = addDays(yesterday, -30);
  let av: FakeProvider;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    av = await startFakeAlphaVantage({ lastDate: yesterday, actions: [{ symbol: 'NFLX', date: split, factor: 0.1, split: true }] });
    server = await startTestServer(fakeProviderEnv({ alphaVantage: av }));
    token = (await signup(server, 'admin@example.com')).token;
  });
  afterAll(async () => {
    await server?.close();
    await av?.close();
  });

  it('fails the symbol without adjust_splits, and back-adjusts with adjust_splits true', async () => {
    const body = { provider: 'alphavantage', symbols: ['NFLX'], from: addDays(yesterday, -60), dataset: 'av' };
    const refused = (await fetchAndWait(body, server, token)).at(-1)!;
    expect(refused.results).toMatchObject([{ symbol: 'NFLX', status: 'failed' }]);
    expect(refused.errors[0]).toContain(`NFLX: a split found in prices as traded: NFLX 10:1 on`);
    expect((await server.req('GET', '/api/market/symbols?dataset=av', { token })).status).toBe(404);

    const done = (await fetchAndWait({ ...body, adjust_splits: true }, server, token)).at(-1)!;
    expect(done.results).toMatchObject([{ symbol: 'NFLX', status: 'updated' }]);
    expect(done.results[0]!.note).toContain('back-adjusted');
    expect(await server.server.ctx.storage.market.splitAdjusted('av')).toMatchObject([{ symbol: 'NFLX', splits: [{ ratio: '10:1', factor: 10 }] }]);
  });
});
