// Where Alpaca is reached. Orders only ever go to the paper-trading host: a live-money endpoint
// (api.alpaca.markets, a proxy in front of it, anything else) is refused before any request.

/** The only host orders may be sent to: Alpaca's paper-trading API. */
export const PAPER_HOST = 'paper-api.alpaca.markets';
export const PAPER_URL = `https://${PAPER_HOST}`;
/** Alpaca's market data stream hosts (production and sandbox). */
export const STREAM_HOSTS: readonly string[] = ['stream.data.alpaca.markets', 'stream.data.sandbox.alpaca.markets'];
export const STREAM_URL = 'wss://stream.data.alpaca.markets';

/** An Alpaca URL the server refuses: the message names the setting and what is allowed. */
export class AlpacaHostError extends Error {
  override name = 'AlpacaHostError';
}

/**
 * Whether loopback hosts are allowed besides Alpaca's own (ALPACA_ALLOW_LOOPBACK=1): for tests
 * against a fake on this machine only; never a private network or another public host.
 */
export interface HostPolicy {
  allowLoopback: boolean;
}

const isLoopback = (hostname: string) => {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
};

function parse(url: string, setting: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AlpacaHostError(`${setting}: ${JSON.stringify(url)} is not a URL`);
  }
  if (u.username || u.password) throw new AlpacaHostError(`${setting}: must not carry credentials`);
  if (u.search || u.hash) throw new AlpacaHostError(`${setting}: must not have a query or fragment`);
  return u;
}

/**
 * The paper-trading base URL (no trailing slash) if `url` is Alpaca's paper host over HTTPS with
 * no path (or, under the test-only loopback allowance, a loopback address); otherwise throws. A
 * live-money host is refused whatever the policy says.
 */
export function paperBaseUrl(url: string, policy: HostPolicy, setting = 'ALPACA_PAPER_URL'): string {
  const u = parse(url, setting);
  const path = u.pathname.replace(/\/+$/, '');
  if (path) throw new AlpacaHostError(`${setting}: must be a bare origin such as ${PAPER_URL}, without a path`);
  if (u.protocol === 'https:' && u.hostname === PAPER_HOST && (u.port === '' || u.port === '443')) return PAPER_URL;
  if (policy.allowLoopback && (u.protocol === 'http:' || u.protocol === 'https:') && isLoopback(u.hostname)) return u.origin;
  throw new AlpacaHostError(
    `${setting}: only ${PAPER_URL} (Alpaca's paper trading) is allowed; ${u.host} is refused, so no order can reach a live-money account`,
  );
}

/**
 * The market data stream URL for `feed` (`wss://stream.data.alpaca.markets/v2/iex`) under `base`,
 * which must be one of Alpaca's stream hosts over wss (or loopback under the test allowance): the
 * stream is sent the account's keys, so they go nowhere else.
 */
export function streamUrl(base: string, feed: string, policy: HostPolicy, setting = 'ALPACA_STREAM_URL'): string {
  const u = parse(base, setting);
  if (!/^[a-z_]{2,20}$/.test(feed)) throw new AlpacaHostError(`ALPACA_FEED: ${JSON.stringify(feed)} is not a feed name such as iex or sip`);
  const path = u.pathname.replace(/\/+$/, '');
  if (path) throw new AlpacaHostError(`${setting}: must be a bare origin such as ${STREAM_URL}, without a path`);
  const alpaca = u.protocol === 'wss:' && STREAM_HOSTS.includes(u.hostname) && (u.port === '' || u.port === '443');
  const loopback = policy.allowLoopback && (u.protocol === 'ws:' || u.protocol === 'wss:') && isLoopback(u.hostname);
  if (!alpaca && !loopback) {
    throw new AlpacaHostError(`${setting}: only ${STREAM_HOSTS.map((h) => `wss://${h}`).join(' or ')} is allowed; ${u.host} is refused`);
  }
  return `${u.origin}/v2/${feed}`;
}
