import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthResponse, User } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const PASSWORD = 'correct horse battery';

/** A token signed the way the server signs, with claims the test chooses. */
async function forge(claims: { sub: string; role?: string; exp: number; aud?: string }, secret = SECRET) {
  return new SignJWT({ role: claims.role ?? 'user' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer('tradewire')
    .setAudience(claims.aud ?? 'api')
    .setJti(randomUUID())
    .setIssuedAt(claims.exp - 3600)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
}

const nowS = () => Math.floor(Date.now() / 1000);

describe('accounts', () => {
  let t: TestServer;
  let admin: { status: number; body: AuthResponse };

  beforeAll(async () => {
    t = await startTestServer({ JWT_SECRET: SECRET, JWT_TTL_S: '60' });
    admin = await t.req('POST', '/api/auth/signup', {
      body: { email: 'Admin@Example.com', password: PASSWORD, display_name: '  The Admin  ' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs up the first account as admin and returns the auth response', async () => {
    expect(admin.status).toBe(201);
    expect(AuthResponse.strict().parse(admin.body)).toEqual(admin.body);
    expect(admin.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 60,
      user: { email: 'admin@example.com', display_name: 'The Admin', role: 'admin' },
    });
    expect(admin.body.access_token.split('.')).toHaveLength(3);
  });

  it('makes later accounts plain users, with the email local part as default display name', async () => {
    const res = await t.req('POST', '/api/auth/signup', { body: { email: 'second@example.com', password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'second@example.com', display_name: 'second', role: 'user' });
    expect(res.body.user.id).not.toBe(admin.body.user.id);
  });

  it('rejects a duplicate email whatever its case with 409', async () => {
    const res = await t.req('POST', '/api/auth/signup', { body: { email: 'ADMIN@example.COM', password: PASSWORD } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
    expect(res.body.error.message).toMatch(/email/);
  });

  it('rejects a short password with 400 naming password', async () => {
    const res = await t.req('POST', '/api/auth/signup', { body: { email: 'short@example.com', password: 'seven77' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.message).toContain('password');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body.password' })]);
    const login = await t.req('POST', '/api/auth/login', { body: { email: 'short@example.com', password: 'correct horse battery' } });
    expect(login.status).toBe(401);
  });

  it('rejects a malformed email with 400 naming email', async () => {
    for (const email of ['not-an-email', 'a@', '@b.com', '', 42]) {
      const res = await t.req('POST', '/api/auth/signup', { body: { email, password: PASSWORD } });
      expect(res.status, String(email)).toBe(400);
      expect(res.body.error.message).toContain('email');
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'body.email' }));
    }
  });

  it('rejects unknown and missing signup fields with 400', async () => {
    const extra = await t.req('POST', '/api/auth/signup', {
      body: { email: 'extra@example.com', password: PASSWORD, role: 'admin' },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('role');
    const missing = await t.req('POST', '/api/auth/signup', { body: { email: 'missing@example.com' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('password');
  });

  it('logs in with any case of the email and returns the same user', async () => {
    const res = await t.req('POST', '/api/auth/login', { body: { email: ' ADMIN@example.com ', password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(AuthResponse.strict().parse(res.body)).toEqual(res.body);
    expect(res.body.user).toEqual(admin.body.user);
    expect(res.body.access_token).not.toBe(admin.body.access_token);
  });

  it('gives the same 401 body for a wrong password and an unknown email', async () => {
    const wrongPassword = await t.req('POST', '/api/auth/login', { body: { email: 'admin@example.com', password: 'wrong password' } });
    const unknownEmail = await t.req('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: PASSWORD } });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('returns the current user from /me', async () => {
    const res = await t.req('GET', '/api/auth/me', { token: admin.body.access_token });
    expect(res.status).toBe(200);
    expect(User.strict().parse(res.body)).toEqual(admin.body.user);
  });

  it('requires a bearer token on /me', async () => {
    const none = await t.req('GET', '/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const basic = await t.req('GET', '/api/auth/me', { headers: { authorization: 'Basic YWRtaW46cGFzcw==' } });
    expect(basic.status).toBe(401);
    const garbage = await t.req('GET', '/api/auth/me', { token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.message).toBe('invalid token');
  });

  it('revokes the token on logout and leaves other sessions alive', async () => {
    const { token, user } = await signup(t);
    const other = await t.req('POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(other.status).toBe(200);

    const out = await t.req('POST', '/api/auth/logout', { token });
    expect(out.status).toBe(204);
    const after = await t.req('GET', '/api/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('token revoked');
    const again = await t.req('POST', '/api/auth/logout', { token });
    expect(again.status).toBe(401);

    const alive = await t.req('GET', '/api/auth/me', { token: other.body.access_token });
    expect(alive.status).toBe(200);
    expect(alive.body.id).toBe(user.id);
  });

  it('accepts a token it did not issue only when signed with its secret and unexpired', async () => {
    const sub = String(admin.body.user.id);
    const valid = await forge({ sub, role: 'admin', exp: nowS() + 60 });
    expect((await t.req('GET', '/api/auth/me', { token: valid })).status).toBe(200);

    const expired = await forge({ sub, role: 'admin', exp: nowS() - 120 });
    const res = await t.req('GET', '/api/auth/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'token expired' } });

    const otherSecret = await forge({ sub, role: 'admin', exp: nowS() + 60 }, 'another-secret-that-is-long-enough-987654');
    const foreign = await t.req('GET', '/api/auth/me', { token: otherSecret });
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.message).toBe('invalid token');

    const ticket = await forge({ sub, role: 'admin', exp: nowS() + 60, aud: 'stream' });
    expect((await t.req('GET', '/api/auth/me', { token: ticket })).status).toBe(401);
  });

  it('rejects a tampered token', async () => {
    const { token } = await signup(t);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, sub: String(admin.body.user.id), role: 'admin' })).toString('base64url');
    const tampered = await t.req('GET', '/api/auth/me', { token: `${header}.${elevated}.${signature}` });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.message).toBe('invalid token');

    const unsignedHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const unsigned = await t.req('GET', '/api/auth/me', { token: `${unsignedHeader}.${elevated}.` });
    expect(unsigned.status).toBe(401);

    expect((await t.req('GET', '/api/auth/me', { token })).status).toBe(200);
  });

  it('never writes a token from the query string or the Authorization header to the log', async () => {
    const { token } = await signup(t);
    const querySecret = 'QUERYSECRET' + randomUUID().replaceAll('-', '');
    const ticketSecret = 'TICKETSECRET' + randomUUID().replaceAll('-', '');
    const headerSecret = 'HEADERSECRET' + randomUUID().replaceAll('-', '');
    const before = t.logs.length;

    const me = await t.req('GET', `/api/auth/me?token=${querySecret}&ticket=${ticketSecret}`, { token });
    expect(me.status).toBe(200);
    await t.req('GET', `/api/auth/me?x=1&token=${querySecret}`, { token: headerSecret });
    await t.req('GET', `/api/nowhere?TOKEN=${querySecret}`, { token });
    await t.req('GET', `/api/models/%?token=${querySecret}`, { token });
    await t.req('GET', `/api/trading/stream/987654?token=${querySecret}`);
    await t.req('GET', `/api/trading/stream/987654?ticket=${ticketSecret}`);
    await t.req('POST', `/api/auth/login?token=${querySecret}`, {
      raw: '{not json',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${headerSecret}` },
    });

    const lines = t.logs.slice(before);
    expect(lines.some((l) => l.includes('/api/auth/me'))).toBe(true);
    expect(lines.some((l) => l.includes('[REDACTED]'))).toBe(true);
    for (const secret of [querySecret, ticketSecret, headerSecret, token]) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    }
  });
});

describe('login rate limits', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ LOGIN_MAX_PER_EMAIL: '3', LOGIN_MAX_PER_IP: '6', LOGIN_WINDOW_S: '600' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('locks an email after repeated failures, then the IP after too many attempts', async () => {
    const { user } = await signup(t, 'limited@example.com');
    const login = (email: string, password: string) => t.req('POST', '/api/auth/login', { body: { email, password } });

    // Per email: three failures, then even the right password is refused.
    for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong password')).status).toBe(401);
    const locked = await login(user.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);

    // Per IP: four attempts so far; two more are allowed for another email, then none.
    expect((await login('someone@example.com', 'wrong password')).status).toBe(401);
    expect((await login('someone-else@example.com', 'wrong password')).status).toBe(401);
    const blocked = await login('fresh@example.com', 'wrong password');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);

    // Signup is not a login: it still works, and the new account's token is valid.
    const fresh = await signup(t, 'fresh@example.com');
    expect((await t.req('GET', '/api/auth/me', { token: fresh.token })).status).toBe(200);
  });
});
