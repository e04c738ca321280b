import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestServer, type TestServer } from '../test/server.js';

const TYPES = ['trade', 'status', 'session_complete', 'complete', 'error'];
const flags = (on: string[] = []) => Object.fromEntries(TYPES.map((t) => [t, on.includes(t)]));
/** In-app toasts are on for every type unless turned off. */
const toasts = (off: string[] = []) => Object.fromEntries(TYPES.map((t) => [t, !off.includes(t)]));
const settings = (sound: string[] = [], desktop: string[] = [], toastOff: string[] = []) => ({
  notifications: { toast: toasts(toastOff), sound: flags(sound), desktop: flags(desktop) },
});

describe('settings routes', () => {
  let t: TestServer;
  let alice: { token: string; user: { id: number } };
  let bob: { token: string; user: { id: number } };

  beforeAll(async () => {
    t = await startTestServer();
    alice = await signup(t, 'alice@example.com');
    bob = await signup(t, 'bob@example.com');
  });
  afterAll(() => t.close());

  it('answers 401 without a token', async () => {
    expect((await t.req('GET', '/api/settings')).status).toBe(401);
    const put = await t.req('PUT', '/api/settings', { body: settings(['trade']) });
    expect(put.status).toBe(401);
    expect(await t.server.ctx.storage.settings.get(alice.user.id)).toBeUndefined();
  });

  it('gives every sound and desktop notification off, and every in-app toast on, before a user saves anything', async () => {
    const res = await t.req('GET', '/api/settings', { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(settings());
  });

  it('keeps what a user saves, filling what the body leaves out with defaults', async () => {
    const put = await t.req('PUT', '/api/settings', { token: alice.token, body: { notifications: { desktop: { complete: true, error: true } } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual(settings([], ['complete', 'error']));
    expect((await t.req('GET', '/api/settings', { token: alice.token })).body).toEqual(settings([], ['complete', 'error']));

    const replaced = await t.req('PUT', '/api/settings', { token: alice.token, body: settings(['trade'], ['complete']) });
    expect(replaced.body).toEqual(settings(['trade'], ['complete']));
    expect((await t.req('GET', '/api/settings', { token: alice.token })).body).toEqual(settings(['trade'], ['complete']));
  });

  it('refuses a bad body with a 400 naming the field and changes nothing', async () => {
    const before = (await t.req('GET', '/api/settings', { token: alice.token })).body;
    const cases: [unknown, RegExp][] = [
      [{ notifications: { sound: { trade: 'yes' } } }, /notifications\.sound\.trade/],
      [{ notifications: { desktop: { fills: true } } }, /notifications\.desktop.*fills/],
      [{ notifications: { email: {} } }, /notifications.*email/],
      [{ theme: 'dark' }, /theme/],
      [[], /body|expected/],
    ];
    for (const [body, field] of cases) {
      const res = await t.req('PUT', '/api/settings', { token: alice.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message).toMatch(field);
    }
    expect((await t.req('GET', '/api/settings', { token: alice.token })).body).toEqual(before);
  });

  it('keeps each user to their own settings', async () => {
    await t.req('PUT', '/api/settings', { token: alice.token, body: settings(['error'], ['trade'], ['trade']) });
    await t.req('PUT', '/api/settings', { token: bob.token, body: settings(['complete'], []) });
    expect((await t.req('GET', '/api/settings', { token: alice.token })).body).toEqual(settings(['error'], ['trade'], ['trade']));
    expect((await t.req('GET', '/api/settings', { token: bob.token })).body).toEqual(settings(['complete'], []));
  });
});
