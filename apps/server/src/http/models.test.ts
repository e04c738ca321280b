import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';

let t: TestServer;
let admin: string;
let alice: { token: string; user: { id: number } };
let bob: { token: string; user: { id: number } };
let nameCounter = 0;

const uniqueName = (prefix = 'Model') => `${prefix} ${++nameCounter}`;

beforeAll(async () => {
  t = await startTestServer();
  admin = (await signup(t, 'admin@example.com')).token;
  alice = await signup(t, 'alice@example.com');
  bob = await signup(t, 'bob@example.com');
});
afterAll(async () => {
  await t?.close();
});

const create = (token: string, body: Record<string, unknown>) => t.req('POST', '/api/models', { token, body });

async function createOk(token: string, body: Record<string, unknown>) {
  const res = await create(token, body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Model;
}

/** A 400 whose details name the given field (as `body.<path>`). */
function expectInvalid(res: { status: number; body: any }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_error');
  expect(res.body.error.message).toContain(field);
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(`body.${field}`);
}

/** The stored row, read straight from the SQLite file. */
function storedRow(id: number): Record<string, unknown> {
  const db = new Database(join(t.dataDir, 'tradewire.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM models WHERE id = ?').get(id) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

/** A symbol the market knows, so allowed_symbols can name one. */
async function knownSymbol(): Promise<string> {
  const symbols = await t.server.ctx.market.symbols();
  if (symbols[0]) return symbols[0].symbol;
  await t.server.ctx.storage.market.save({ name: 'import', source: 'import', provider: null, adjusted: false }, [
    { info: { symbol: 'TWTEST', name: 'Tradewire Test Co', sector: 'Test', source: 'import' }, bars: [] },
  ]);
  const after = await t.server.ctx.market.symbols();
  if (!after[0]) throw new Error('market has no symbols');
  return after[0].symbol;
}

describe('create and read', () => {
  it('fills every default from DESIGN.md and answers with the full model', async () => {
    const res = await create(alice.token, { name: '  Momentum A  ', agent: { kind: 'buy_and_hold' } });
    expect(res.status).toBe(201);
    expect(Model.strict().parse(res.body)).toEqual(res.body);
    expect(res.body).toEqual({
      id: expect.any(Number),
      user_id: alice.user.id,
      name: 'Momentum A',
      description: '',
      agent: { kind: 'buy_and_hold', params: {} },
      initial_cash: 10000,
      allowed_symbols: [],
      risk: { max_position_pct: 100, max_orders_per_step: 5, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 },
      commission_bps: 0,
      slippage_bps: 5,
      dataset: 'simulated',
      status: 'idle',
      last_run: null,
      created_at: expect.any(String),
      updated_at: res.body.created_at,
    });
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);

    const got = await t.req('GET', `/api/models/${res.body.id}`, { token: alice.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('fills agent parameter defaults per kind', async () => {
    const sma = await createOk(alice.token, { name: uniqueName(), agent: { kind: 'sma_crossover' } });
    expect(sma.agent.params).toEqual({ fast: 10, slow: 30, position_pct: 25 });
    const partial = await createOk(alice.token, { name: uniqueName(), agent: { kind: 'sma_crossover', params: { fast: 5 } } });
    expect(partial.agent.params).toEqual({ fast: 5, slow: 30, position_pct: 25 });
    const rsi = await createOk(alice.token, { name: uniqueName(), agent: { kind: 'rsi_mean_reversion' } });
    expect(rsi.agent.params).toEqual({ period: 14, low: 30, high: 70, position_pct: 25 });
    const random = await createOk(alice.token, { name: uniqueName(), agent: { kind: 'random', params: { seed: 7 } } });
    expect(random.agent.params).toEqual({ seed: 7, probability: 0.1, position_pct: 25 });
  });

  it('keeps every given field', async () => {
    const symbol = await knownSymbol();
    const body = {
      name: uniqueName(),
      description: 'buys dips',
      agent: { kind: 'rsi_mean_reversion', params: { period: 10, low: 25, high: 75 } },
      initial_cash: 2500.5,
      allowed_symbols: [symbol.toLowerCase(), symbol],
      risk: { max_position_pct: 10, max_orders_per_step: 2, stop_loss_pct: 5, max_drawdown_pct: 20, min_cash_pct: 10 },
      commission_bps: 1.5,
      slippage_bps: 0,
    };
    const m = await createOk(alice.token, body);
    expect(m).toMatchObject({ ...body, allowed_symbols: [symbol] });
  });

  it('rejects symbols the market does not know, naming allowed_symbols', async () => {
    const res = await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, allowed_symbols: ['NOSUCHTICKER'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('allowed_symbols');
    expect(res.body.error.message).toContain('NOSUCHTICKER');
    const bad = await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, allowed_symbols: ['not a ticker!'] });
    expectInvalid(bad, 'allowed_symbols.0');
  });

  it('lists only the caller’s models, in creation order', async () => {
    const mine = await createOk(bob.token, { name: uniqueName('Bob'), agent: { kind: 'buy_and_hold' } });
    const second = await createOk(bob.token, { name: uniqueName('Bob'), agent: { kind: 'random' } });
    const list = await t.req('GET', '/api/models', { token: bob.token });
    expect(list.status).toBe(200);
    expect(list.body.next_cursor).toBeNull();
    expect(list.body.items.slice(-2)).toEqual([mine, second]);
    expect(list.body.items.every((m: Model) => m.user_id === bob.user.id)).toBe(true);

    const alices = await t.req('GET', '/api/models', { token: alice.token });
    expect(alices.body.items.length).toBeGreaterThan(0);
    expect(alices.body.items.every((m: Model) => m.user_id === alice.user.id)).toBe(true);
  });

  it('requires a token on every model route', async () => {
    for (const [method, path] of [
      ['GET', '/api/models'],
      ['POST', '/api/models'],
      ['GET', '/api/models/1'],
      ['PUT', '/api/models/1'],
      ['DELETE', '/api/models/1'],
    ] as const) {
      const res = await t.req(method, path, method === 'POST' || method === 'PUT' ? { body: { name: 'x' } } : {});
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });
});

describe('names', () => {
  it('are unique per user, ignoring case', async () => {
    const name = uniqueName('Unique');
    await createOk(alice.token, { name, agent: { kind: 'buy_and_hold' } });
    const dup = await create(alice.token, { name, agent: { kind: 'random' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toEqual({ code: 'name_taken', message: expect.stringContaining('name') });
    expect((await create(alice.token, { name: name.toUpperCase(), agent: { kind: 'random' } })).status).toBe(409);
  });

  it('may repeat across users', async () => {
    const name = uniqueName('Shared');
    const a = await createOk(alice.token, { name, agent: { kind: 'buy_and_hold' } });
    const b = await createOk(bob.token, { name, agent: { kind: 'buy_and_hold' } });
    expect(a.id).not.toBe(b.id);
    expect(b.name).toBe(name);
  });

  it('must not be empty or too long', async () => {
    expectInvalid(await create(alice.token, { name: '   ', agent: { kind: 'random' } }), 'name');
    expectInvalid(await create(alice.token, { name: 'x'.repeat(81), agent: { kind: 'random' } }), 'name');
    expectInvalid(await create(alice.token, { agent: { kind: 'random' } }), 'name');
  });
});

describe('agent validation', () => {
  const withAgent = (kind: string, params?: Record<string, unknown>) =>
    create(alice.token, { name: uniqueName(), agent: params === undefined ? { kind } : { kind, params } });

  it('requires fast < slow for sma_crossover', async () => {
    expectInvalid(await withAgent('sma_crossover', { fast: 30, slow: 30 }), 'agent.params.fast');
    expectInvalid(await withAgent('sma_crossover', { fast: 40 }), 'agent.params.fast');
  });

  it('requires low < high for rsi_mean_reversion', async () => {
    expectInvalid(await withAgent('rsi_mean_reversion', { low: 70, high: 30 }), 'agent.params.low');
  });

  it('rejects an unknown kind, naming agent.kind', async () => {
    const res = await withAgent('martingale');
    expectInvalid(res, 'agent.kind');
    expect(res.body.error.message).toContain('buy_and_hold');
    expectInvalid(await create(alice.token, { name: uniqueName(), agent: {} }), 'agent.kind');
  });

  it('rejects unknown parameters, naming them', async () => {
    const res = await withAgent('sma_crossover', { fast: 5, window: 9 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('window');
    expect(res.body.error.details).toContainEqual({ path: 'body.agent.params', message: "unknown field 'window'" });
    const bh = await withAgent('buy_and_hold', { fast: 5 });
    expect(bh.status).toBe(400);
    expect(bh.body.error.message).toContain('fast');
  });

  it('rejects out-of-range parameters, naming them', async () => {
    expectInvalid(await withAgent('sma_crossover', { fast: 1 }), 'agent.params.fast');
    expectInvalid(await withAgent('sma_crossover', { fast: 2.5 }), 'agent.params.fast');
    expectInvalid(await withAgent('random', { probability: 1.5 }), 'agent.params.probability');
    expectInvalid(await withAgent('rsi_mean_reversion', { period: '14' }), 'agent.params.period');
  });

  it('requires base_url and model for llm', async () => {
    const res = await withAgent('llm', {});
    expectInvalid(res, 'agent.params.base_url');
    expectInvalid(res, 'agent.params.model');
    expectInvalid(await withAgent('llm', { base_url: 'ftp://example.com', model: 'm' }), 'agent.params.base_url');
    expectInvalid(await withAgent('llm'), 'agent.params');
  });
});

describe('llm api keys', () => {
  const key = 'sk-test-PLAINTEXT-KEY-4f1c9a';
  const llm = (extra: Record<string, unknown> = {}) => ({
    kind: 'llm',
    params: { base_url: 'http://127.0.0.1:11434/v1', model: 'llama3', ...extra },
  });

  it('are never returned and never stored in plain text', async () => {
    const m = await createOk(alice.token, { name: uniqueName('LLM'), agent: llm({ api_key: key }) });
    expect(m.agent).toEqual({
      kind: 'llm',
      params: { base_url: 'http://127.0.0.1:11434/v1', model: 'llama3', temperature: 0.2, max_tool_calls_per_step: 10, instructions: '' },
      api_key_set: true,
    });
    const got = await t.req('GET', `/api/models/${m.id}`, { token: alice.token });
    expect(got.body.agent.api_key_set).toBe(true);
    const list = await t.req('GET', '/api/models', { token: alice.token });
    expect(JSON.stringify([got.body, list.body])).not.toContain(key);

    const row = storedRow(m.id);
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row.agent_secret).toEqual(expect.stringMatching(/^v1\./));
    expect(t.server.ctx.secrets.open(row.agent_secret as string)).toBe(key);
    for (const file of ['tradewire.db', 'tradewire.db-wal']) {
      const path = join(t.dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(key), file).toBe(false);
    }
    expect(t.logs.filter((l) => l.includes(key))).toEqual([]);
  });

  it('report api_key_set false when no key was given', async () => {
    const m = await createOk(alice.token, { name: uniqueName('LLM'), agent: llm() });
    expect(m.agent.api_key_set).toBe(false);
    expect(storedRow(m.id).agent_secret).toBeNull();
  });

  it('survive an update that does not resend them, and go when the kind changes', async () => {
    const m = await createOk(alice.token, { name: uniqueName('LLM'), agent: llm({ api_key: key }) });
    const sealed = storedRow(m.id).agent_secret;

    const kept = await t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body: { agent: llm({ model: 'llama3.1' }) } });
    expect(kept.status).toBe(200);
    expect(kept.body.agent).toMatchObject({ params: { model: 'llama3.1' }, api_key_set: true });
    expect(storedRow(m.id).agent_secret).toBe(sealed);

    const replaced = await t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body: { agent: llm({ api_key: 'sk-other' }) } });
    expect(replaced.body.agent.api_key_set).toBe(true);
    expect(t.server.ctx.secrets.open(storedRow(m.id).agent_secret as string)).toBe('sk-other');

    const plain = await t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body: { agent: { kind: 'buy_and_hold' } } });
    expect(plain.status).toBe(200);
    expect(plain.body.agent).toEqual({ kind: 'buy_and_hold', params: {} });
    expect(storedRow(m.id).agent_secret).toBeNull();
  });
});

describe('numbers and unknown fields', () => {
  it('requires initial_cash > 0', async () => {
    for (const initial_cash of [0, -1, 1e13, '100', null]) {
      expectInvalid(await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, initial_cash }), 'initial_cash');
    }
  });

  it('names out-of-range fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ commission_bps: -1 }, 'commission_bps'],
      [{ commission_bps: 1001 }, 'commission_bps'],
      [{ slippage_bps: 1e9 }, 'slippage_bps'],
      [{ risk: { max_position_pct: 150 } }, 'risk.max_position_pct'],
      [{ risk: { max_position_pct: 0 } }, 'risk.max_position_pct'],
      [{ risk: { max_orders_per_step: 0 } }, 'risk.max_orders_per_step'],
      [{ risk: { max_orders_per_step: 1.5 } }, 'risk.max_orders_per_step'],
      [{ risk: { stop_loss_pct: 101 } }, 'risk.stop_loss_pct'],
      [{ risk: { min_cash_pct: -5 } }, 'risk.min_cash_pct'],
      [{ description: 'x'.repeat(2001) }, 'description'],
    ];
    for (const [extra, field] of cases) {
      expectInvalid(await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, ...extra }), field);
    }
  });

  it('rejects unknown fields at any level, naming them', async () => {
    const top = await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, leverage: 10 });
    expect(top.status).toBe(400);
    expect(top.body.error.details).toEqual([{ path: 'body', message: "unknown field 'leverage'" }]);
    const risk = await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, risk: { max_leverage: 2 } });
    expect(risk.status).toBe(400);
    expect(risk.body.error.message).toContain('max_leverage');
    const agent = await create(alice.token, { name: uniqueName(), agent: { kind: 'random', model: 'x' } });
    expect(agent.status).toBe(400);
    expect(agent.body.error.message).toContain("'model'");
  });

  it('creates nothing when the body is rejected', async () => {
    const before = (await t.req('GET', '/api/models', { token: alice.token })).body.items;
    await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, initial_cash: 0 });
    await create(alice.token, { name: uniqueName(), agent: { kind: 'random' }, allowed_symbols: ['NOSUCHTICKER'] });
    const after = (await t.req('GET', '/api/models', { token: alice.token })).body.items;
    expect(after).toEqual(before);
  });
});

describe('update', () => {
  it('changes only the fields it names', async () => {
    const m = await createOk(alice.token, {
      name: uniqueName('Upd'),
      description: 'first',
      agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } },
      initial_cash: 5000,
      risk: { max_position_pct: 10, stop_loss_pct: 3 },
      commission_bps: 2,
    });
    const res = await t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body: { description: 'second', slippage_bps: 7 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...m, description: 'second', slippage_bps: 7, updated_at: expect.any(String) });
    expect(res.body.updated_at >= m.updated_at).toBe(true);
    expect((await t.req('GET', `/api/models/${m.id}`, { token: alice.token })).body).toEqual(res.body);

    const empty = await t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body: {} });
    expect(empty.status).toBe(200);
    expect({ ...empty.body, updated_at: null }).toEqual({ ...res.body, updated_at: null });
  });

  it('validates like create and changes nothing when it fails', async () => {
    const m = await createOk(alice.token, { name: uniqueName('Upd'), agent: { kind: 'random' } });
    const other = await createOk(alice.token, { name: uniqueName('Upd'), agent: { kind: 'random' } });
    const put = (body: unknown) => t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body });

    expectInvalid(await put({ initial_cash: 0 }), 'initial_cash');
    expectInvalid(await put({ agent: { kind: 'sma_crossover', params: { fast: 50, slow: 10 } } }), 'agent.params.fast');
    expectInvalid(await put({ name: '' }), 'name');
    const unknown = await put({ status: 'running' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('status');
    const taken = await put({ name: other.name.toLowerCase(), description: 'changed' });
    expect(taken.status).toBe(409);
    const symbols = await put({ allowed_symbols: ['NOSUCHTICKER'], description: 'changed' });
    expect(symbols.status).toBe(400);
    expect(symbols.body.error.message).toContain('allowed_symbols');

    expect((await t.req('GET', `/api/models/${m.id}`, { token: alice.token })).body).toEqual(m);
  });

  it('may keep its own name', async () => {
    const m = await createOk(alice.token, { name: uniqueName('Upd'), agent: { kind: 'random' } });
    const res = await t.req('PUT', `/api/models/${m.id}`, { token: alice.token, body: { name: m.name.toUpperCase() } });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(m.name.toUpperCase());
  });
});

describe('ownership', () => {
  it('hides another user’s model behind 404 on GET, PUT and DELETE', async () => {
    const m = await createOk(alice.token, { name: uniqueName('Private'), agent: { kind: 'random' } });
    const missing = await t.req('GET', '/api/models/987654321', { token: bob.token });
    expect(missing.status).toBe(404);

    const get = await t.req('GET', `/api/models/${m.id}`, { token: bob.token });
    const put = await t.req('PUT', `/api/models/${m.id}`, { token: bob.token, body: { name: 'stolen' } });
    const del = await t.req('DELETE', `/api/models/${m.id}`, { token: bob.token });
    for (const res of [get, put, del]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'model_not_found', message: `model ${m.id} not found` } });
    }
    expect(missing.body.error.code).toBe(get.body.error.code);

    expect((await t.req('GET', `/api/models/${m.id}`, { token: alice.token })).body).toEqual(m);
    const bobs = await t.req('GET', '/api/models', { token: bob.token });
    expect(bobs.body.items.map((x: Model) => x.id)).not.toContain(m.id);
  });

  it('lets an admin read any model', async () => {
    const m = await createOk(bob.token, { name: uniqueName('Watched'), agent: { kind: 'random' } });
    const res = await t.req('GET', `/api/models/${m.id}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(m);
  });
});

describe('delete', () => {
  it('removes the model and frees its name', async () => {
    const m = await createOk(alice.token, { name: uniqueName('Gone'), agent: { kind: 'random' } });
    const del = await t.req('DELETE', `/api/models/${m.id}`, { token: alice.token });
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect((await t.req('GET', `/api/models/${m.id}`, { token: alice.token })).status).toBe(404);
    expect((await t.req('DELETE', `/api/models/${m.id}`, { token: alice.token })).status).toBe(404);
    const list = await t.req('GET', '/api/models', { token: alice.token });
    expect(list.body.items.map((x: Model) => x.id)).not.toContain(m.id);
    expect(storedRow(m.id)).toBeUndefined();
    await createOk(alice.token, { name: m.name, agent: { kind: 'random' } });
  });
});
