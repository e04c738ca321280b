import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';

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
  LOGIN_MAX_PER_EMAIL: int(10, 1),
  LOGIN_MAX_PER_IP: int(50, 1),
  LOGIN_WINDOW_S: int(900, 1),
  MARKET_SEED: int(20_240_101),
  MARKET_YEARS: int(10, 1),
  YAHOO_BASE_URL: baseUrl('https://query2.finance.yahoo.com'),
  ALPACA_DATA_URL: baseUrl('https://data.alpaca.markets'),
  ALPACA_KEY_ID: secret,
  ALPACA_SECRET_KEY: secret,
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
  WEB_DIST: z.string().optional(),
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
  login: { maxPerEmail: number; maxPerIp: number; windowS: number };
  market: {
    seed: number;
    years: number;
    /** Where and with which keys market data is downloaded; a provider without its key cannot be used. */
    providers: {
      yahoo: { baseUrl: string };
      alpaca: { dataUrl: string; keyId: string | undefined; secretKey: string | undefined };
      alphaVantage: { baseUrl: string; apiKey: string | undefined };
    };
    /**
     * `intervalMs`: pause between two symbols' requests to a provider; `retries` and `backoffMs`:
     * how often and after how long (doubling each time) a throttled or failed request is repeated.
     */
    fetch: { intervalMs: number; retries: number; backoffMs: number };
    /** Cron pattern (UTC) of the refresh of every provider data set; unset: no refresh. */
    refreshCron: string | undefined;
  };
  /**
   * `bufferEvents`: kept per model for resume; `replayMaxEvents`: most events a client resuming
   * from before the buffer is sent from storage (beyond it: `reset`).
   */
  stream: { bufferEvents: number; replayMaxEvents: number; heartbeatMs: number; maxBufferBytes: number };
  /** `timeoutMs`: how long one LLM request (or a silent gap in its stream) may take before it fails. */
  llm: { timeoutMs: number };
  webDist: string | undefined;
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
    login: { maxPerEmail: e.LOGIN_MAX_PER_EMAIL, maxPerIp: e.LOGIN_MAX_PER_IP, windowS: e.LOGIN_WINDOW_S },
    market: {
      seed: e.MARKET_SEED,
      years: e.MARKET_YEARS,
      providers: {
        yahoo: { baseUrl: e.YAHOO_BASE_URL },
        alpaca: { dataUrl: e.ALPACA_DATA_URL, keyId: e.ALPACA_KEY_ID || undefined, secretKey: e.ALPACA_SECRET_KEY || undefined },
        alphaVantage: { baseUrl: e.ALPHAVANTAGE_BASE_URL, apiKey: e.ALPHAVANTAGE_API_KEY || undefined },
      },
      fetch: { intervalMs: e.MARKET_FETCH_INTERVAL_MS, retries: e.MARKET_FETCH_RETRIES, backoffMs: e.MARKET_FETCH_BACKOFF_MS },
      refreshCron: e.MARKET_REFRESH_CRON || undefined,
    },
    stream: {
      bufferEvents: e.STREAM_BUFFER_EVENTS,
      replayMaxEvents: e.STREAM_REPLAY_MAX_EVENTS,
      heartbeatMs: e.STREAM_HEARTBEAT_MS,
      maxBufferBytes: e.STREAM_MAX_BUFFER_BYTES,
    },
    llm: { timeoutMs: e.LLM_TIMEOUT_MS },
    webDist: e.WEB_DIST,
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
