import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import type { LlmPolicy } from '../agents/llm/policy.js';
import { AlpacaHostError, PAPER_URL, STREAM_URL, paperBaseUrl, streamUrl } from '../alpaca/hosts.js';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const baseUrl = (def: string) => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(def);
const secret = z.string().trim().optional();

/** A five- or six-field cron pattern croner accepts ('30 22 * * 1-5'). */
function isCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** A PEM file read at start; `parse` throws on content that is not what the variable needs. */
const pemFile = <T>(what: string, parse: (pem: Buffer) => T) =>
  z
    .string()
    .trim()
    .min(1)
    .transform((path, ctx) => {
      let pem: Buffer;
      try {
        pem = readFileSync(resolve(path));
      } catch (e) {
        ctx.issues.push({ code: 'custom', input: path, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
        return z.NEVER;
      }
      try {
        return { pem, parsed: parse(pem) };
      } catch {
        ctx.issues.push({ code: 'custom', input: path, message: `${path} is not a PEM ${what}` });
        return z.NEVER;
      }
    });

/** Fastify's trustProxy: true/false, or the addresses and CIDR ranges of the proxies. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [ip = '', prefix, ...rest] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}
const TrustProxy = z
  .string()
  .trim()
  .default('false')
  .transform((v, ctx): boolean | string[] => {
    if (v === 'true' || v === 'false') return v === 'true';
    const entries = v.split(',').map((s) => s.trim());
    if (entries.every(isProxyAddress)) return entries;
    ctx.issues.push({ code: 'custom', input: v, message: 'must be true, false, or the proxies\' addresses and CIDR ranges, such as 127.0.0.1,10.0.0.0/8 (or loopback, linklocal, uniquelocal)' });
    return z.NEVER;
  });

/** Exact origins (scheme, host, port: what a browser sends in `Origin`), comma-separated. */
const isOrigin = (o: string) => URL.canParse(o) && /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o;
const OriginList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.every(isOrigin), 'must be comma-separated origins such as https://app.example.com (no path, no trailing slash)');

const EnvSchema = z.object({
  PORT: int(8080).pipe(z.number().max(65535)),
  HOST: z.string().min(1).default('localhost'),
  DATA_DIR: z.string().min(1).default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_S: int(86_400, 60),
  STREAM_TICKET_TTL_S: int(300, 1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  REDIS_PREFIX: z.string().regex(/^[\w.-]{1,64}$/, 'must be letters, digits, . _ -').default('tradewire'),
  WORKERS: int(1),
  WORKER_CONCURRENCY: int(20, 1),
  WORKER_LOCK_MS: int(30_000, 500),
  /** Engine threads backtests play on (default: one per core but the one this process's event loop needs); 0 plays them on the event loop. */
  ENGINE_THREADS: int(Math.min(4, Math.max(0, availableParallelism() - 1))),
  LOGIN_MAX_PER_EMAIL: int(10, 1),
  LOGIN_MAX_PER_IP: int(50, 1),
  LOGIN_WINDOW_S: int(900, 1),
  LOGIN_BACKOFF_S: int(30, 1),
  MARKET_SEED: int(20_240_101),
  MARKET_YEARS: int(10, 1),
  YAHOO_BASE_URL: baseUrl('https://query2.finance.yahoo.com'),
  ALPACA_DATA_URL: baseUrl('https://data.alpaca.markets'),
  ALPACA_KEY_ID: secret,
  ALPACA_SECRET_KEY: secret,
  ALPACA_PAPER_URL: z.string().trim().default(PAPER_URL),
  ALPACA_STREAM_URL: z.string().trim().default(STREAM_URL),
  ALPACA_FEED: z.enum(['iex', 'sip', 'delayed_sip'], { error: 'must be iex, sip or delayed_sip' }).default('iex'),
  ALPACA_STREAM: z
    .enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  ALPACA_ALLOW_LOOPBACK: z
    .enum(['0', '1', 'true', 'false', ''], { error: 'must be 1 or 0' })
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  TEST_CLOCK: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z,\d+,\d+$/, 'must be ORIGIN_ISO,WALL_ANCHOR_MS,SCALE (tests only)')
    .optional(),
  ALPHAVANTAGE_BASE_URL: baseUrl('https://www.alphavantage.co'),
  ALPHAVANTAGE_API_KEY: secret,
  MARKET_FETCH_INTERVAL_MS: int(1000),
  MARKET_FETCH_RETRIES: int(5),
  MARKET_FETCH_BACKOFF_MS: int(2000),
  MARKET_REFRESH_CRON: z
    .string()
    .trim()
    .optional()
    .refine((p) => !p || isCron(p), 'must be a cron pattern such as "30 22 * * 1-5"'),
  STREAM_BUFFER_EVENTS: int(1000, 10),
  STREAM_REPLAY_MAX_EVENTS: int(10_000, 0),
  STREAM_HEARTBEAT_MS: int(15_000, 10),
  STREAM_MAX_BUFFER_BYTES: int(1_048_576, 1024),
  LLM_TIMEOUT_MS: int(60_000, 100),
  LLM_MAX_ANSWER_BYTES: int(1_048_576, 1024),
  LLM_MAX_TOOL_ARG_BYTES: int(16_384, 256),
  LLM_MAX_REASONING_BYTES: int(65_536, 256),
  LLM_MAX_TOKENS: int(8192, 1),
  LLM_ALLOW_PRIVATE_HOSTS: z
    .enum(['0', '1', 'true', 'false', ''], { error: 'must be 1 or 0' })
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  ASSISTANT_DAILY_TOKENS: int(200_000, 1),
  SIGNUP_MAX_PER_IP: int(20, 1),
  SIGNUP_WINDOW_S: int(3600, 1),
  PASSWORD_MIN_SCORE: int(3).pipe(z.number().max(4)),
  WEB_DIST: z.string().optional(),
  TLS_CERT: pemFile('certificate', (pem) => new X509Certificate(pem)).optional(),
  TLS_KEY: pemFile('private key (unencrypted)', (pem): KeyObject => createPrivateKey(pem)).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  TRUST_PROXY: TrustProxy,
  CORS_ORIGINS: OriginList,
}).superRefine((e, ctx) => {
  // Orders go to Alpaca's paper host only: a live-money URL stops the server at start.
  const alpaca = { allowLoopback: e.ALPACA_ALLOW_LOOPBACK };
  for (const [path, check] of [
    ['ALPACA_PAPER_URL', () => paperBaseUrl(e.ALPACA_PAPER_URL, alpaca)],
    ['ALPACA_STREAM_URL', () => streamUrl(e.ALPACA_STREAM_URL, e.ALPACA_FEED, alpaca)],
  ] as const) {
    try {
      check();
    } catch (err) {
      if (!(err instanceof AlpacaHostError)) throw err;
      ctx.addIssue({ code: 'custom', path: [path], message: err.message.replace(`${path}: `, '') });
    }
  }
  if (!e.TLS_CERT !== !e.TLS_KEY) ctx.addIssue({ code: 'custom', path: [e.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT'], message: 'TLS_CERT and TLS_KEY are set together' });
  else if (e.TLS_CERT && e.TLS_KEY && !e.TLS_CERT.parsed.checkPrivateKey(e.TLS_KEY.parsed)) {
    ctx.addIssue({ code: 'custom', path: ['TLS_KEY'], message: 'is not the private key of TLS_CERT' });
  }
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  jwtSecret: string;
  jwtTtlS: number;
  streamTicketTtlS: number;
  logLevel: string;
  databaseUrl: string | undefined;
  /** Set: events on Redis Streams and sessions as BullMQ jobs; unset: everything in this process. */
  redis: { url: string; prefix: string } | undefined;
  /** Queue workers this process runs when Redis is set (0 = an API-only node). */
  workers: { count: number; concurrency: number; lockMs: number };
  /** Worker threads that play backtests in this process (decisions, fills) while it stores and streams them; 0: on its event loop. */
  engine: { threads: number };
  /**
   * `maxPerEmail`: failed logins for one account from one address before each further attempt
   * waits, `backoffS` at first, doubling with each failure up to `windowS`; `maxPerIp`: attempts
   * from one address per `windowS`.
   * Signups: `signupMaxPerIp` per `signupWindowS` from one address. Passwords must reach
   * `passwordMinScore` (zxcvbn, 0-4) and differ from the email.
   */
  login: { maxPerEmail: number; maxPerIp: number; windowS: number; backoffS: number; signupMaxPerIp: number; signupWindowS: number; passwordMinScore: number };
  market: {
    seed: number;
    years: number;
    /** Where and with which keys market data is downloaded; a provider without its key cannot be used. */
    providers: {
      yahoo: { baseUrl: string };
      /** `paperUrl`: Alpaca's paper trading host (its market calendar; orders when the model trades there). */
      alpaca: { dataUrl: string; paperUrl: string; keyId: string | undefined; secretKey: string | undefined };
      alphaVantage: { baseUrl: string; apiKey: string | undefined };
    };
    /**
     * `intervalMs`: pause between two symbols' requests to a provider; `retries` and `backoffMs`:
     * how often and after how long (doubling each time) a throttled or failed request is repeated.
     */
    fetch: { intervalMs: number; retries: number; backoffMs: number };
    /** Cron pattern (UTC) of the refresh of every provider data set; unset: no refresh. */
    refreshCron: string | undefined;
    /**
     * TESTS ONLY, never set by default: live runs read a clock that showed `origin` (ms) at the
     * wall-clock instant `anchor` (ms) and runs `scale` times faster (TEST_CLOCK).
     */
    testClock: { origin: number; anchor: number; scale: number } | undefined;
  };
  /**
   * `bufferEvents`: kept per model for resume; `replayMaxEvents`: most events a client resuming
   * from before the buffer is sent from storage (beyond it: `reset`).
   */
  stream: { bufferEvents: number; replayMaxEvents: number; heartbeatMs: number; maxBufferBytes: number };
  /** How LLM providers are called: see LlmPolicy. */
  llm: LlmPolicy;
  /**
   * Alpaca's live services for models with Alpaca keys: `paperUrl`, the paper trading API orders
   * go to (never a live-money host); `streamUrl`, the real-time bar stream of `feed`;
   * `allowLoopback` (ALPACA_ALLOW_LOOPBACK, tests only): both may be loopback fakes.
   */
  alpaca: { paperUrl: string; streamUrl: string; feed: string; allowLoopback: boolean; stream: boolean };
  /** The run assistant: tokens (prompt + completion) each user's answers may use per UTC day. */
  assistant: { dailyTokens: number };
  webDist: string | undefined;
  /** How the server is reached: over TLS, through proxies, from other origins. */
  serving: {
    /** Set: HTTPS with HTTP/2 (and HTTP/1.1 for older clients) instead of plain HTTP. */
    tls: { cert: Buffer; key: Buffer } | undefined;
    /** The address users open when it differs from the listener (a TLS-terminating proxy). */
    publicUrl: string | undefined;
    /** Fastify's `trustProxy`: whose X-Forwarded-For/-Proto to believe for client IP and scheme. */
    trustProxy: boolean | string[];
    /** Origins allowed to call the API and streams from a browser; empty: same origin only. */
    corsOrigins: string[];
  };
};

export class ConfigError extends Error {}

/** The one place that reads the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    jwtSecret: e.JWT_SECRET ?? persistentSecret(dataDir),
    jwtTtlS: e.JWT_TTL_S,
    streamTicketTtlS: e.STREAM_TICKET_TTL_S,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL || undefined,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : undefined,
    workers: { count: e.WORKERS, concurrency: e.WORKER_CONCURRENCY, lockMs: e.WORKER_LOCK_MS },
    engine: { threads: e.ENGINE_THREADS },
    login: {
      maxPerEmail: e.LOGIN_MAX_PER_EMAIL,
      maxPerIp: e.LOGIN_MAX_PER_IP,
      windowS: e.LOGIN_WINDOW_S,
      backoffS: e.LOGIN_BACKOFF_S,
      signupMaxPerIp: e.SIGNUP_MAX_PER_IP,
      signupWindowS: e.SIGNUP_WINDOW_S,
      passwordMinScore: e.PASSWORD_MIN_SCORE,
    },
    market: {
      seed: e.MARKET_SEED,
      years: e.MARKET_YEARS,
      providers: {
        yahoo: { baseUrl: e.YAHOO_BASE_URL },
        alpaca: { dataUrl: e.ALPACA_DATA_URL, paperUrl: paperBaseUrl(e.ALPACA_PAPER_URL, { allowLoopback: e.ALPACA_ALLOW_LOOPBACK }), keyId: e.ALPACA_KEY_ID || undefined, secretKey: e.ALPACA_SECRET_KEY || undefined },
        alphaVantage: { baseUrl: e.ALPHAVANTAGE_BASE_URL, apiKey: e.ALPHAVANTAGE_API_KEY || undefined },
      },
      fetch: { intervalMs: e.MARKET_FETCH_INTERVAL_MS, retries: e.MARKET_FETCH_RETRIES, backoffMs: e.MARKET_FETCH_BACKOFF_MS },
      refreshCron: e.MARKET_REFRESH_CRON || undefined,
      testClock: e.TEST_CLOCK ? testClockOf(e.TEST_CLOCK) : undefined,
    },
    stream: {
      bufferEvents: e.STREAM_BUFFER_EVENTS,
      replayMaxEvents: e.STREAM_REPLAY_MAX_EVENTS,
      heartbeatMs: e.STREAM_HEARTBEAT_MS,
      maxBufferBytes: e.STREAM_MAX_BUFFER_BYTES,
    },
    llm: {
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxAnswerBytes: e.LLM_MAX_ANSWER_BYTES,
      maxToolArgBytes: e.LLM_MAX_TOOL_ARG_BYTES,
      maxReasoningBytes: e.LLM_MAX_REASONING_BYTES,
      maxTokens: e.LLM_MAX_TOKENS,
      allowPrivateHosts: e.LLM_ALLOW_PRIVATE_HOSTS,
    },
    alpaca: {
      paperUrl: paperBaseUrl(e.ALPACA_PAPER_URL, { allowLoopback: e.ALPACA_ALLOW_LOOPBACK }),
      streamUrl: streamUrl(e.ALPACA_STREAM_URL, e.ALPACA_FEED, { allowLoopback: e.ALPACA_ALLOW_LOOPBACK }),
      feed: e.ALPACA_FEED,
      allowLoopback: e.ALPACA_ALLOW_LOOPBACK,
      stream: e.ALPACA_STREAM,
    },
    assistant: { dailyTokens: e.ASSISTANT_DAILY_TOKENS },
    webDist: e.WEB_DIST,
    serving: {
      tls: e.TLS_CERT && e.TLS_KEY ? { cert: e.TLS_CERT.pem, key: e.TLS_KEY.pem } : undefined,
      publicUrl: e.PUBLIC_URL,
      trustProxy: e.TRUST_PROXY,
      corsOrigins: e.CORS_ORIGINS,
    },
  };
}

/** Generated once per data directory so tokens survive restarts without a secret in code. */
function persistentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

/** `ORIGIN_ISO,WALL_ANCHOR_MS,SCALE` (TEST_CLOCK, tests only). */
function testClockOf(v: string) {
  const [origin, anchor, scale] = v.split(',');
  return { origin: Date.parse(origin!), anchor: Number(anchor), scale: Math.max(1, Number(scale)) };
}
