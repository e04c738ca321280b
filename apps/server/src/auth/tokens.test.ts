import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenService } from './tokens.js';

const SECRET = 'unit-test-secret-of-at-least-32-characters';
const tokens = new TokenService(SECRET, { accessS: 3600, ticketS: 60 });
const key = new TextEncoder().encode(SECRET);

describe('TokenService', () => {
  it('issues access tokens that verify to the same principal', async () => {
    const token = await tokens.issueAccess(42, 'admin');
    const p = await tokens.verify(token, 'api');
    expect(p).toEqual({ userId: 42, role: 'admin', jti: expect.any(String), exp: expect.any(Number), session: expect.any(String) });
    if (!('invalid' in p)) expect(p.session).toBe(p.jti);
    const nowS = Math.floor(Date.now() / 1000);
    if ('invalid' in p) throw new Error('expected a principal');
    expect(p.exp).toBeGreaterThanOrEqual(nowS + 3600 - 5);
    expect(p.exp).toBeLessThanOrEqual(nowS + 3600 + 5);
    expect(tokens.accessTtlS).toBe(3600);
  });

  it('gives every token its own id', async () => {
    const a = decodeJwt(await tokens.issueAccess(1, 'user'));
    const b = decodeJwt(await tokens.issueAccess(1, 'user'));
    expect(a.jti).not.toBe(b.jti);
  });

  it('keeps stream tickets and access tokens apart', async () => {
    const parent = { jti: 'access-token-id', exp: Math.floor(Date.now() / 1000) + 3600 };
    const ticket = await tokens.issueTicket(7, 'user', parent);
    expect(await tokens.verify(ticket, 'stream')).toMatchObject({ userId: 7, role: 'user', session: 'access-token-id' });
    expect(await tokens.verify(ticket, 'api')).toEqual({ invalid: 'invalid' });
    expect(await tokens.verify(await tokens.issueAccess(7, 'user'), 'stream')).toEqual({ invalid: 'invalid' });
    const exp = decodeJwt(ticket).exp!;
    expect(exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);
    // Never past the access token it was issued under.
    const late = decodeJwt(await tokens.issueTicket(7, 'user', { jti: 'x', exp: Math.floor(Date.now() / 1000) + 10 })).exp!;
    expect(late - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(10);
  });

  it('refuses a stream ticket that names no session', async () => {
    const bare = await new SignJWT({ role: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('7')
      .setIssuer('tradewire')
      .setAudience('stream')
      .setJti('t1')
      .setExpirationTime('1m')
      .sign(key);
    expect(await tokens.verify(bare, 'stream')).toEqual({ invalid: 'invalid' });
  });

  it('reports an expired token as expired', async () => {
    const expired = await new SignJWT({ role: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('tradewire')
      .setAudience('api')
      .setJti('j')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(key);
    expect(await tokens.verify(expired, 'api')).toEqual({ invalid: 'expired' });
  });

  it('rejects tokens signed with another secret, unsigned or altered', async () => {
    const other = new TokenService('another-secret-of-at-least-32-characters!', { accessS: 3600, ticketS: 60 });
    expect(await tokens.verify(await other.issueAccess(1, 'admin'), 'api')).toEqual({ invalid: 'invalid' });

    const unsigned = new UnsecuredJWT({ role: 'admin' })
      .setSubject('1')
      .setIssuer('tradewire')
      .setAudience('api')
      .setJti('j')
      .setExpirationTime('1h')
      .encode();
    expect(await tokens.verify(unsigned, 'api')).toEqual({ invalid: 'invalid' });

    const [h, , s] = (await tokens.issueAccess(2, 'user')).split('.');
    const claims = { sub: '1', role: 'admin', iss: 'tradewire', aud: 'api', jti: 'x', exp: 9e9 };
    const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
    expect(await tokens.verify(`${h}.${forged}.${s}`, 'api')).toEqual({ invalid: 'invalid' });

    for (const junk of ['', 'abc', 'a.b.c', '....']) expect(await tokens.verify(junk, 'api')).toEqual({ invalid: 'invalid' });
  });

  it('rejects correctly signed tokens with missing or wrong claims', async () => {
    const sign = (claims: Record<string, unknown>, build: (j: SignJWT) => SignJWT) =>
      build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h')).sign(key);
    const full = (j: SignJWT) => j.setSubject('1').setIssuer('tradewire').setAudience('api').setJti('j');
    expect(await tokens.verify(await sign({ role: 'user' }, full), 'api')).toMatchObject({ userId: 1 });

    const invalid = { invalid: 'invalid' };
    expect(await tokens.verify(await sign({ role: 'root' }, full), 'api')).toEqual(invalid);
    expect(await tokens.verify(await sign({ role: 'user' }, (j) => full(j).setIssuer('someone-else')), 'api')).toEqual(invalid);
    expect(await tokens.verify(await sign({ role: 'user' }, (j) => full(j).setSubject('not-a-number')), 'api')).toEqual(invalid);
    const noJti = (j: SignJWT) => j.setSubject('1').setIssuer('tradewire').setAudience('api');
    expect(await tokens.verify(await sign({ role: 'user' }, noJti), 'api')).toEqual(invalid);
  });
});
