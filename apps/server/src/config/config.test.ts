import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSelfSignedPair } from '../cli/self-signed.js';
import { ConfigError, loadConfig } from './config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradewire-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The ConfigError thrown for this environment. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: dir, ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 8080,
      host: 'localhost',
      dataDir: dir,
      jwtTtlS: 86_400,
      logLevel: 'info',
      databaseUrl: undefined,
      login: { maxPerEmail: 10, maxPerIp: 50, windowS: 900 },
    });
  });

  it('reads values from the environment, coercing numbers', () => {
    const c = loadConfig({ DATA_DIR: dir, PORT: '3000', HOST: '0.0.0.0', JWT_TTL_S: '120', LOGIN_MAX_PER_EMAIL: '3', LOG_LEVEL: 'warn' });
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', jwtTtlS: 120, logLevel: 'warn', login: { maxPerEmail: 3 } });
  });

  it('points market data providers at the real hosts, with keys and refresh off unless set', () => {
    expect(loadConfig({ DATA_DIR: dir }).market).toMatchObject({
      providers: {
        yahoo: { baseUrl: 'https://query2.finance.yahoo.com' },
        alpaca: { dataUrl: 'https://data.alpaca.markets', keyId: undefined, secretKey: undefined },
        alphaVantage: { baseUrl: 'https://www.alphavantage.co', apiKey: undefined },
      },
      fetch: { intervalMs: 1000, retries: 5, backoffMs: 2000 },
      refreshCron: undefined,
    });
    const c = loadConfig({
      DATA_DIR: dir,
      YAHOO_BASE_URL: 'http://127.0.0.1:9000',
      ALPACA_KEY_ID: 'id',
      ALPACA_SECRET_KEY: 'secret',
      ALPHAVANTAGE_API_KEY: ' ',
      MARKET_REFRESH_CRON: '30 22 * * 1-5',
    });
    expect(c.market.providers.yahoo.baseUrl).toBe('http://127.0.0.1:9000');
    expect(c.market.providers.alpaca).toMatchObject({ keyId: 'id', secretKey: 'secret' });
    expect(c.market.providers.alphaVantage.apiKey).toBeUndefined();
    expect(c.market.refreshCron).toBe('30 22 * * 1-5');
  });

  it('rejects a provider URL that is not http(s) and a malformed refresh schedule', () => {
    const e = configError({ ALPACA_DATA_URL: 'ftp://example.com', MARKET_REFRESH_CRON: 'every day' });
    expect(e.message).toContain('ALPACA_DATA_URL: must be an http(s) URL');
    expect(e.message).toContain('MARKET_REFRESH_CRON: must be a cron pattern such as "30 22 * * 1-5"');
  });

  it("sends Alpaca orders to the paper host only, and its stream to Alpaca's, loopback fakes only when allowed", () => {
    expect(loadConfig({ DATA_DIR: dir }).alpaca).toEqual({
      paperUrl: 'https://paper-api.alpaca.markets',
      streamUrl: 'wss://stream.data.alpaca.markets/v2/iex',
      feed: 'iex',
      allowLoopback: false,
      stream: true,
    });
    expect(loadConfig({ DATA_DIR: dir, ALPACA_STREAM: '0' }).alpaca.stream).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, ALPACA_FEED: 'sip' }).alpaca.streamUrl).toBe('wss://stream.data.alpaca.markets/v2/sip');
    const e = configError({ ALPACA_PAPER_URL: 'https://api.alpaca.markets', ALPACA_STREAM_URL: 'ws://127.0.0.1:9' });
    expect(e.message).toContain(
      "ALPACA_PAPER_URL: only https://paper-api.alpaca.markets (Alpaca's paper trading) is allowed; api.alpaca.markets is refused, so no order can reach a live-money account",
    );
    expect(e.message).toContain('ALPACA_STREAM_URL: only wss://stream.data.alpaca.markets or wss://stream.data.sandbox.alpaca.markets is allowed; 127.0.0.1:9 is refused');
    expect(configError({ ALPACA_FEED: 'otc' }).message).toContain('ALPACA_FEED: must be iex, sip or delayed_sip');
    expect(configError({ ALPACA_PAPER_URL: 'https://api.alpaca.markets', ALPACA_ALLOW_LOOPBACK: '1' }).message).toContain('ALPACA_PAPER_URL: only');
    expect(loadConfig({ DATA_DIR: dir, ALPACA_PAPER_URL: 'http://127.0.0.1:9', ALPACA_STREAM_URL: 'ws://127.0.0.1:9', ALPACA_ALLOW_LOOPBACK: '1' }).alpaca).toEqual({
      paperUrl: 'http://127.0.0.1:9',
      streamUrl: 'ws://127.0.0.1:9/v2/iex',
      feed: 'iex',
      allowLoopback: true,
      stream: true,
    });
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadConfig({ DATA_DIR: dir, DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe('postgres://u@h/db');
  });

  it('creates the data directory', () => {
    const nested = join(dir, 'a', 'b');
    expect(loadConfig({ DATA_DIR: nested }).dataDir).toBe(nested);
    expect(statSync(nested).isDirectory()).toBe(true);
  });

  it('generates a JWT secret once, stores it in DATA_DIR/jwt-secret and reuses it', () => {
    const first = loadConfig({ DATA_DIR: dir });
    const file = join(dir, 'jwt-secret');
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o077).toBe(0);

    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(first.jwtSecret);

    const elsewhere = mkdtempSync(join(tmpdir(), 'tradewire-config-'));
    try {
      expect(loadConfig({ DATA_DIR: elsewhere }).jwtSecret).not.toBe(first.jwtSecret);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('uses a given JWT_SECRET and writes no file', () => {
    const secret = 'a-configured-secret-of-at-least-32-chars';
    expect(loadConfig({ DATA_DIR: dir, JWT_SECRET: secret }).jwtSecret).toBe(secret);
    expect(existsSync(join(dir, 'jwt-secret'))).toBe(false);
  });

  it('rejects an invalid PORT with a ConfigError naming PORT', () => {
    for (const PORT of ['abc', '-1', '65536', '80.5']) {
      const e = configError({ PORT });
      expect(e.message, PORT).toMatch(/\bPORT\b/);
      expect(e.message).not.toMatch(/JWT_TTL_S|LOG_LEVEL/);
    }
  });

  it('names every invalid variable', () => {
    const e = configError({ JWT_SECRET: 'short', JWT_TTL_S: '5', LOG_LEVEL: 'loud' });
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toContain('JWT_SECRET');
    expect(e.message).toContain('JWT_TTL_S');
    expect(e.message).toContain('LOG_LEVEL');
  });
});

describe('serving settings', () => {
  it('serve plain HTTP to the same origin only, trusting no proxy, by default', () => {
    expect(loadConfig({ DATA_DIR: dir }).serving).toEqual({ tls: undefined, publicUrl: undefined, trustProxy: false, corsOrigins: [] });
  });

  it('reads a matching certificate and key', () => {
    const pair = createSelfSignedPair(join(dir, 'tls'), ['localhost']);
    const { tls } = loadConfig({ DATA_DIR: dir, TLS_CERT: pair.certPath, TLS_KEY: pair.keyPath }).serving;
    expect(tls?.cert.toString()).toBe(readFileSync(pair.certPath, 'utf8'));
    expect(tls?.key.toString()).toBe(readFileSync(pair.keyPath, 'utf8'));
  });

  it('names the TLS variable that is missing, unreadable, not PEM or not of the pair', () => {
    const pair = createSelfSignedPair(join(dir, 'a'), ['localhost']);
    const other = createSelfSignedPair(join(dir, 'b'), ['localhost']);
    expect(configError({ TLS_CERT: pair.certPath }).message).toContain('TLS_KEY: TLS_CERT and TLS_KEY are set together');
    expect(configError({ TLS_KEY: pair.keyPath }).message).toContain('TLS_CERT: TLS_CERT and TLS_KEY are set together');
    expect(configError({ TLS_CERT: join(dir, 'nope.pem'), TLS_KEY: pair.keyPath }).message).toMatch(/TLS_CERT: cannot read .*nope\.pem: ENOENT/);
    expect(configError({ TLS_CERT: pair.keyPath, TLS_KEY: pair.certPath }).message).toMatch(/TLS_CERT: .* is not a PEM certificate\n\s+TLS_KEY: .* is not a PEM private key/);
    expect(configError({ TLS_CERT: pair.certPath, TLS_KEY: other.keyPath }).message).toContain('TLS_KEY: is not the private key of TLS_CERT');
  });

  it('reads TRUST_PROXY as a switch or a list of proxy addresses', () => {
    const trust = (TRUST_PROXY: string) => loadConfig({ DATA_DIR: dir, TRUST_PROXY }).serving.trustProxy;
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    for (const TRUST_PROXY of ['yes', '2', '10.0.0.0/33', '10.0.0/8', 'proxy.lan']) {
      expect(configError({ TRUST_PROXY }).message, TRUST_PROXY).toContain('TRUST_PROXY: must be true, false, or the proxies');
    }
  });

  it('reads CORS_ORIGINS as exact origins and refuses anything else', () => {
    const origins = loadConfig({ DATA_DIR: dir, CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' }).serving.corsOrigins;
    expect(origins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    for (const CORS_ORIGINS of ['https://app.example.com/', 'https://app.example.com/path', 'app.example.com', 'ftp://example.com', '*', 'https://APP.example.com']) {
      expect(configError({ CORS_ORIGINS }).message, CORS_ORIGINS).toContain('CORS_ORIGINS: must be comma-separated origins');
    }
  });

  it('takes an http(s) PUBLIC_URL', () => {
    expect(loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://trade.example.com' }).serving.publicUrl).toBe('https://trade.example.com');
    expect(configError({ PUBLIC_URL: 'trade.example.com' }).message).toContain('PUBLIC_URL: must be an http(s) URL');
  });
});
