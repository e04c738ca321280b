// Alpaca's live pieces built from the server's configuration and a model's keys: what a live
// session is given when the model trades on its Alpaca paper account.
import type { Config } from '../config/config.js';
import type { TradingRules } from '../domain/trading-rules.js';
import type { LiveBarSource } from '../live/ports.js';
import { AlpacaBarStream, withAlpacaStream } from './bar-stream.js';
import { AlpacaPaperBroker, type AlpacaPaperBrokerOptions } from './paper-broker.js';

export { AlpacaBarStream, liveBarOf, withAlpacaStream } from './bar-stream.js';
export { AlpacaError, type AlpacaErrorKind } from './errors.js';
export { AlpacaHostError, PAPER_URL, paperBaseUrl, streamUrl } from './hosts.js';
export { AlpacaPaperBroker, bookOf, clientOrderIdOf, reconcile, type Difference } from './paper-broker.js';

export interface AlpacaKeys {
  keyId: string;
  secretKey: string;
}

/**
 * The bar streams of the server, one per key pair: Alpaca allows an account one connection per
 * feed, so every session trading with the same keys shares it.
 */
export class AlpacaStreams {
  private readonly streams = new Map<string, AlpacaBarStream>();

  constructor(private readonly config: Config['alpaca']) {}

  of(keys: AlpacaKeys): AlpacaBarStream {
    const id = `${keys.keyId}\n${keys.secretKey}`;
    let stream = this.streams.get(id);
    if (!stream) {
      stream = new AlpacaBarStream({ url: this.config.streamUrl, feed: this.config.feed, ...keys });
      this.streams.set(id, stream);
    }
    return stream;
  }

  /** `source` (polled) backed by the push stream of `keys`. */
  source(source: LiveBarSource, keys: AlpacaKeys): LiveBarSource {
    return withAlpacaStream(source, this.of(keys));
  }
}

/** The model's Alpaca paper account as its live session's broker. */
export function alpacaBroker(
  config: Config['alpaca'],
  keys: AlpacaKeys,
  rules: TradingRules,
  tuning: Pick<AlpacaPaperBrokerOptions, 'fillTimeoutMs' | 'pollMs' | 'retries' | 'backoffMs' | 'timeoutMs'> = {},
): AlpacaPaperBroker {
  return new AlpacaPaperBroker({ baseUrl: config.paperUrl, allowLoopback: config.allowLoopback, ...keys, rules, ...tuning });
}
