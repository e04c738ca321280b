import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Health } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';

/** The one error body of the API, with nothing else in it. */
const ErrorEnvelope = z.strictObject({
  error: z.strictObject({ code: z.string().regex(/^[a-z_]+$/), message: z.string().min(1), details: z.unknown().optional() }),
});

let t: TestServer;
let db: Database.Database;
let admin: { token: string; user: { id: number; role: string } };
let fuzzer: { token: string; user: { id: number; role: string } };
let bystander: { token: string; user: { id: number; role: string } };

beforeAll(async () => {
  // Login limits high enough that the property test reaches the login handler, not only the limiter.
  t = await startTestServer({ LOGIN_MAX_PER_IP: '100000', LOGIN_MAX_PER_EMAIL: '100000' });
  admin = await signup(t, 'admin@example.com');
  fuzzer = await signup(t, 'fuzzer@example.com');
  bystander = await signup(t, 'bystander@example.com');
  db = new Database(join(t.dataDir, 'tradewire.db'), { readonly: true });
});
afterAll(async () => {
  db?.close();
  await t?.close();
});

const json = (raw: string) => ({ raw, headers: { 'content-type': 'application/json' } });

function expectError(res: { status: number; body: unknown }, status: number, code?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = ErrorEnvelope.parse(res.body);
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

describe('error bodies', () => {
  it('answers invalid JSON with 400 invalid_json', async () => {
    for (const raw of ['{"name":', '{name: "x"}', "{'a':1}", '[1,]', 'nul', '{"a":1}{"b":2}']) {
      const res = await t.req('POST', '/api/models', { token: fuzzer.token, ...json(raw) });
      expectError(res, 400, 'invalid_json');
    }
    expectError(await t.req('POST', '/api/auth/login', json('')), 400, 'invalid_json');
  });

  it('refuses prototype-poisoning keys', async () => {
    for (const raw of ['{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"role":"admin"}}}']) {
      const res = await t.req('POST', '/api/auth/signup', json(raw));
      expect(res.status).toBe(400);
      ErrorEnvelope.parse(res.body);
    }
  });

  it('names the field with the wrong type', async () => {
    const cases: [unknown, string][] = [
      [{ name: 42, agent: { kind: 'random' } }, 'body.name'],
      [{ name: 'x', agent: 'random' }, 'body.agent'],
      [{ name: 'x', agent: { kind: 'random' }, initial_cash: '10000' }, 'body.initial_cash'],
      [{ name: 'x', agent: { kind: 'random' }, allowed_symbols: 'AAPL' }, 'body.allowed_symbols'],
      [{ name: 'x', agent: { kind: 'random' }, risk: [] }, 'body.risk'],
      [{ name: 'x', agent: { kind: 'random' }, commission_bps: true }, 'body.commission_bps'],
      [[], 'body'],
      ['a string', 'body'],
      [null, 'body'],
    ];
    for (const [body, path] of cases) {
      const err = expectError(await t.req('POST', '/api/models', { token: fuzzer.token, body }), 400, 'validation_error');
      expect(err.details, JSON.stringify(body)).toContainEqual(expect.objectContaining({ path }));
      expect(err.message).toContain(path);
    }
  });

  it('rejects unknown fields', async () => {
    const err = expectError(
      await t.req('POST', '/api/auth/login', { body: { email: 'a@example.com', password: 'whatever1', remember: true } }),
      400,
      'validation_error',
    );
    expect(err.message).toBe("body: unknown field 'remember'");
  });

  it('rejects numbers out of range, naming them', async () => {
    for (const value of [Number.MAX_VALUE, -Number.MAX_VALUE, 1e300, -1e-300]) {
      const err = expectError(
        await t.req('POST', '/api/models', { token: fuzzer.token, body: { name: 'x', agent: { kind: 'random' }, slippage_bps: value } }),
        400,
      );
      expect(err.message).toContain('slippage_bps');
    }
  });

  it('answers a body over 1 MB with 413', async () => {
    const name = 'x'.repeat(1_100_000);
    const model = await t.req('POST', '/api/models', { token: fuzzer.token, body: { name, agent: { kind: 'random' } } });
    expectError(model, 413, 'body_too_large');
    expectError(await t.req('POST', '/api/auth/signup', { body: { email: 'big@example.com', password: name } }), 413, 'body_too_large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await t.req('POST', '/api/models', {
      token: fuzzer.token,
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(res, 415);
  });

  it('answers bad ids with 400 and unknown ones with 404', async () => {
    const bad = ['abc', '-1', '0', '1.5', '99999999999999999999', 'NaN', 'Infinity', '%00', '..%2F..%2Fetc', '%', '%zz', '1'.repeat(150)];
    for (const id of bad) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await t.req(method, `/api/models/${id}`, { token: fuzzer.token, ...(method === 'PUT' ? { body: {} } : {}) });
        expect(res.status, `${method} ${id}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect([400, 404, 414]).toContain(res.status);
        ErrorEnvelope.parse(res.body);
      }
    }
    expectError(await t.req('GET', '/api/models/abc', { token: fuzzer.token }), 400, 'validation_error');
    // Ids fit the id columns: beyond 2^31 - 1 the id is refused, within it an unknown one is not found.
    expectError(await t.req('GET', `/api/models/${Number.MAX_SAFE_INTEGER}`, { token: fuzzer.token }), 400, 'validation_error');
    expectError(await t.req('GET', `/api/models/${2 ** 31 - 1}`, { token: fuzzer.token }), 404, 'model_not_found');
  });

  it('answers unknown API paths with 404 in the same body', async () => {
    expectError(await t.req('GET', '/api/nothing-here'), 404, 'not_found');
    expectError(await t.req('DELETE', '/api/models'), 404, 'not_found');
  });
});

describe('health and API docs', () => {
  it('reports status, version, storage and uptime', async () => {
    const res = await t.req('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(Health.parse(res.body)).toEqual(res.body);
    expect(res.body).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      storage: 'sqlite',
      uptime_s: expect.any(Number),
    });
    expect(res.body.uptime_s).toBeGreaterThanOrEqual(0);
  });

  it('serves an OpenAPI document listing the routes', async () => {
    const res = await t.req('GET', '/api/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = Object.fromEntries(
      Object.entries(res.body.paths as Record<string, object>).map(([p, ops]) => [p.replace(/\/$/, ''), Object.keys(ops).sort()]),
    );
    expect(paths).toMatchObject({
      '/api/health': ['get'],
      '/api/auth/signup': ['post'],
      '/api/auth/login': ['post'],
      '/api/auth/me': ['get'],
      '/api/auth/logout': ['post'],
      '/api/models': ['get', 'post'],
      '/api/models/{id}': ['delete', 'get', 'put'],
    });
    const create = res.body.paths['/api/models/']?.post ?? res.body.paths['/api/models']?.post;
    expect(JSON.stringify(create.requestBody)).toContain('initial_cash');
  });
});

// ---------------------------------------------------------------------------------------------
// No input produces a 5xx, and a rejected request changes nothing.

/** Everything a rejected request could have touched. */
function snapshot() {
  return {
    users: db.prepare('SELECT id, email, password_hash, display_name, role FROM users ORDER BY id').all(),
    models: db.prepare('SELECT * FROM models ORDER BY id').all(),
    revoked: db.prepare('SELECT jti FROM revoked_tokens ORDER BY jti').all(),
  };
}

type TokenKind = 'none' | 'own' | 'other' | 'admin' | 'expired' | 'unsigned' | { garbage: string };
type IdKind = 'own' | 'other' | { raw: string } | { encoded: string };
interface Body {
  raw?: string;
  contentType?: string;
}
interface Case {
  method: string;
  path: string;
  id: IdKind;
  query: string;
  token: TokenKind;
  body: Body;
}

const ids = { own: 0, other: 0 };
const modelBody = (name: string) => ({ name, agent: { kind: 'random' } });

/** Recreates the models a previous (successful) DELETE removed, so every run has targets. */
async function ensureTargets() {
  for (const [key, owner] of [
    ['own', fuzzer],
    ['other', bystander],
  ] as const) {
    if (ids[key] && (await t.server.ctx.storage.models.byId(ids[key]))) continue;
    const res = await t.req('POST', '/api/models', { token: owner.token, body: modelBody(`target ${Date.now()} ${Math.random()}`) });
    if (res.status !== 201) throw new Error(`could not create a target model: ${JSON.stringify(res.body)}`);
    ids[key] = res.body.id;
  }
}

async function tokenFor(kind: TokenKind): Promise<string | undefined> {
  const tokens = t.server.ctx.tokens;
  if (kind === 'none') return undefined;
  if (kind === 'own') return tokens.issueAccess(fuzzer.user.id, 'user');
  if (kind === 'other') return tokens.issueAccess(bystander.user.id, 'user');
  if (kind === 'admin') return tokens.issueAccess(admin.user.id, 'admin');
  if (kind === 'unsigned') return new UnsecuredJWT({ role: 'admin' }).setSubject(String(fuzzer.user.id)).encode();
  if (kind === 'expired') {
    return new SignJWT({ role: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(fuzzer.user.id))
      .setIssuer('tradewire')
      .setAudience('api')
      .setJti('expired')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(t.server.ctx.config.jwtSecret));
  }
  return kind.garbage;
}

function idText(kind: IdKind) {
  if (kind === 'own' || kind === 'other') return String(ids[kind]);
  if ('raw' in kind) return kind.raw;
  return encodeURIComponent(kind.encoded);
}

async function send(c: Case) {
  const headers: Record<string, string> = {};
  const token = await tokenFor(c.token);
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (c.body.contentType !== undefined) headers['content-type'] = c.body.contentType;
  const hasBody = c.method !== 'GET' && c.method !== 'HEAD' && c.body.raw !== undefined;
  const path = c.path.replace('{id}', idText(c.id)) + c.query;
  return t.req(c.method, path, { headers, ...(hasBody ? { raw: c.body.raw } : {}) });
}

async function check(c: Case) {
  await ensureTargets();
  const before = snapshot();
  const res = await send(c);
  const what = `${c.method} ${c.path} -> ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    if (c.method !== 'HEAD') expect(ErrorEnvelope.safeParse(res.body).success, what).toBe(true);
    expect(snapshot(), what).toEqual(before);
  }
}

// Arbitraries ---------------------------------------------------------------------------------

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const headerSafe = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, -1e-308, 2 ** 53, 0.5));
const loose = fc.oneof(fc.jsonValue({ maxDepth: 3 }), number, anyText);

/** Mostly valid with a wrong value here and there: reaches the handlers and refinements, not only the parser. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: loose });
/** Now and then one field the schema does not know. */
const extraField = fc.oneof({ weight: 30, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), loose) });
const withExtra = <T extends object>(record: fc.Arbitrary<T>) =>
  fc.tuple(record, extraField).map(([r, extra]) => (extra ? { ...r, [extra[0]]: extra[1] } : r));
/** Usually inside the schema's range, sometimes just outside it or anything at all. */
const between = (min: number, max: number, int = false) =>
  fc.oneof(
    { weight: 40, arbitrary: int ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, min - 0.5, max + 0.5) },
    { weight: 1, arbitrary: number },
  );
const params = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => withExtra(fc.record(fields, { requiredKeys: [] }));
const agent = withExtra(
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('buy_and_hold') }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('sma_crossover'), params: params({ fast: between(2, 200, true), slow: between(3, 400, true) }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('rsi_mean_reversion'),
        params: params({ period: between(2, 100, true), low: between(1, 99), high: between(1, 99) }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('random'), params: params({ seed: between(0, 2 ** 31 - 1, true), probability: between(0, 1) }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('llm'),
        params: withExtra(
          fc.record(
            {
              base_url: mostly(fc.webUrl()),
              model: mostly(fc.string({ minLength: 1, maxLength: 20 })),
              api_key: mostly(fc.string({ maxLength: 40 })),
              temperature: between(0, 2),
              max_tool_calls_per_step: between(1, 50, true),
              instructions: fc.string({ maxLength: 40 }),
            },
            { requiredKeys: ['base_url', 'model'] },
          ),
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: loose, params: loose }, { requiredKeys: [] }) },
  ),
);
const modelFields = {
  name: mostly(fc.string({ minLength: 1, maxLength: 40 })),
  description: mostly(fc.string({ maxLength: 50 })),
  agent,
  initial_cash: between(0.01, 1e12),
  allowed_symbols: fc.oneof(
    { weight: 12, arbitrary: fc.constant([]) },
    { weight: 2, arbitrary: fc.array(fc.stringMatching(/^[A-Za-z0-9.^-]{1,6}$/), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: loose },
  ),
  risk: mostly(
    params({
      max_position_pct: between(0.01, 100),
      max_orders_per_step: between(1, 1000, true),
      stop_loss_pct: fc.oneof(between(0.01, 100), fc.constant(null)),
      max_drawdown_pct: fc.oneof(between(0.01, 100), fc.constant(null)),
      min_cash_pct: between(0, 100),
    }),
  ),
  commission_bps: between(0, 1000),
  slippage_bps: between(0, 1000),
};
/** Model bodies for create (name and agent usually present) and update (anything may be missing). */
const modelish = withExtra(
  fc.oneof(fc.record(modelFields, { requiredKeys: ['name', 'agent'] }), fc.record(modelFields, { requiredKeys: [] })),
);

const authish = withExtra(
  fc.record(
    {
      email: mostly(
        fc.oneof(
          fc.emailAddress(),
          fc.stringMatching(/^[a-z0-9.]{1,12}$/).map((local) => `${local}@example.com`),
          fc.constantFrom('fuzzer@example.com', ' FUZZER@example.com', 'admin@example.com'),
        ),
      ),
      password: mostly(fc.oneof(fc.string({ minLength: 6, maxLength: 300 }), fc.constant('correct horse battery'))),
      display_name: fc.string({ maxLength: 90 }),
    },
    { requiredKeys: ['email', 'password'] },
  ),
).map(({ display_name, ...rest }: { display_name?: string }) =>
  // display_name only now and then, so logins (which refuse it) get through too.
  display_name !== undefined && display_name.length % 3 === 0 ? { ...rest, display_name } : rest,
);

const nested = fc
  .tuple(fc.integer({ min: 1, max: 150_000 }), fc.constantFrom('[', '{"a":', '{"name":', '{"agent":{"params":'))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : '}'.repeat(open.split('{').length - 1);
    return open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(depth);
  });

const jsonCt = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
);
/** Bodies of the shape the routes expect (`favoured`) half the time, anything else otherwise. */
const body = (favoured: fc.Arbitrary<unknown>): fc.Arbitrary<Body> => fc.oneof(
  { weight: 7, arbitrary: fc.record({ raw: favoured.map((v) => JSON.stringify(v)), contentType: fc.constant('application/json') }) },
  fc.constant({}),
  fc.record({ raw: fc.jsonValue().map((v) => JSON.stringify(v)), contentType: jsonCt }),
  fc.record({ raw: anyText, contentType: jsonCt }),
  fc.record({ raw: nested, contentType: fc.constant('application/json') }),
  fc.record({
    raw: fc.constantFrom('{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"x":1}}}', '', 'null', '"', '\u0000'),
    contentType: fc.constant('application/json'),
  }),
  fc.record({
    raw: anyText,
    contentType: fc.oneof(
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', ''),
      headerSafe,
    ),
  }),
);

const id: fc.Arbitrary<IdKind> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<IdKind>('own', 'own', 'other') },
  fc.oneof(fc.integer(), fc.nat(), fc.double(), fc.bigInt()).map((n) => ({ raw: String(n) })),
  fc
    .constantFrom('../', '..%2F..%2F', '..', '.', '%00', '%', '%zz', '%E0%A4%A', '%2e%2e', '1e3', '0x10', '-0', ' 1', '9'.repeat(120))
    .map((raw) => ({ raw })),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => ({ encoded: s })),
  fc.string({ maxLength: 30 }).filter((s) => !/[?#/\\]/.test(s)).map((raw) => ({ raw })),
);

const query = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 40 }).map((s) => '?' + s.replace(/#/g, '')),
  fc
    .dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '1,2,3', 'x'.repeat(300))), {
      maxKeys: 4,
    })
    .map((d) => '?' + new URLSearchParams(d).toString()),
  fc.constantFrom('?token=abc', '?ticket=', '?__proto__[role]=admin', '?a[b][c]=1', '?limit=-1&cursor=zz', '?%', '?id=1&id=2'),
);

const token: fc.Arbitrary<TokenKind> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<TokenKind>('own', 'own', 'own', 'other', 'admin') },
  { weight: 2, arbitrary: fc.constantFrom<TokenKind>('none', 'expired', 'unsigned') },
  { weight: 1, arbitrary: headerSafe.map((garbage) => ({ garbage })) },
);

const route = (routes: [string, string][]) =>
  fc.record({
    // Mostly the route's own method; now and then one it does not take.
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('PATCH', 'OPTIONS', 'HEAD', 'GET', 'DELETE') },
    ),
    route: fc.constantFrom(...routes),
  }).map(({ method, route: [m, p] }) => ({ method: method || m, path: p }));

const cases = (routes: [string, string][], favoured: fc.Arbitrary<unknown>) =>
  fc.record({ r: route(routes), id, query, token, body: body(favoured) }).map(({ r, ...rest }): Case => ({ ...r, ...rest }));

const RUNS = 150;

describe('no input produces a 5xx or changes data when rejected', () => {
  it('auth routes', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/auth/signup'],
      ['POST', '/api/auth/login'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/logout'],
    ];
    await fc.assert(fc.asyncProperty(cases(routes, authish), check), { numRuns: RUNS });
  });

  it('model collection routes', async () => {
    await fc.assert(fc.asyncProperty(cases([['GET', '/api/models'], ['POST', '/api/models']], modelish), check), { numRuns: RUNS });
  });

  it('model routes with an id', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/models/{id}'],
      ['PUT', '/api/models/{id}'],
      ['DELETE', '/api/models/{id}'],
    ];
    await fc.assert(fc.asyncProperty(cases(routes, modelish), check), { numRuns: RUNS });
  });

  it('health and docs', async () => {
    await fc.assert(fc.asyncProperty(cases([['GET', '/api/health'], ['GET', '/api/docs/json']], loose), check), { numRuns: RUNS });
  });
});
