import { afterEach, describe, expect, it, vi } from 'vitest';
import { authStore } from './auth-store';
import { api, ApiError } from './client';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const signIn = () =>
  authStore.signIn({ access_token: 'jwt-1', token_type: 'bearer', expires_in: 3600, user: { id: 1, email: 'a@b.c', display_name: 'A', role: 'user' } });

afterEach(() => {
  vi.unstubAllGlobals();
  authStore.signOut();
});

describe('api client', () => {
  it('sends the bearer token to a relative URL and parses JSON', async () => {
    signIn();
    const fetch = vi.fn(async () => json(200, { items: [], next_cursor: null }));
    vi.stubGlobal('fetch', fetch);
    await expect(api.get('/api/models', { query: { limit: 5, cursor: undefined } })).resolves.toEqual({ items: [], next_cursor: null });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/models?limit=5');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer jwt-1');
    expect(JSON.parse(localStorage.getItem('tradewire.session')!).accessToken).toBe('jwt-1');
  });

  it('turns an error body into an ApiError with status, code and message', async () => {
    signIn();
    vi.stubGlobal('fetch', async () => json(409, { error: { code: 'conflict', message: 'model 3 is already running' } }));
    const err = await api.post('/api/trading/start/3', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'conflict', message: 'model 3 is already running' });
    expect(authStore.get()).not.toBeNull();
  });

  it('logs the user out when the server rejects the token', async () => {
    signIn();
    vi.stubGlobal('fetch', async () => json(401, { error: { code: 'unauthorized', message: 'token expired' } }));
    await expect(api.get('/api/auth/me')).rejects.toMatchObject({ status: 401 });
    expect(authStore.get()).toBeNull();
    expect(localStorage.getItem('tradewire.session')).toBeNull();
  });

  it('reports a wrong password without a session as the server put it', async () => {
    vi.stubGlobal('fetch', async () => json(401, { error: { code: 'unauthorized', message: 'wrong email or password' } }));
    await expect(api.post('/api/auth/login', { email: 'a@b.c', password: 'x' })).rejects.toMatchObject({ message: 'wrong email or password' });
  });

  it('names an unreachable server as a network error', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });
    await expect(api.get('/api/stats')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
