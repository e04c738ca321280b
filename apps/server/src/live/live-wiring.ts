import { alpacaBroker, AlpacaStreams } from '../alpaca/index.js';
import type { Config } from '../config/config.js';
import { AppError } from '../domain/errors.js';
import { tradingRulesOf } from '../domain/trading-rules.js';
import type { RetryPolicy } from '../market/providers/http.js';
import type { ModelRecord } from '../storage/records.js';
import { alpacaBarSource, yahooBarSource } from './bar-sources.js';
import { builtinBroker } from './builtin-broker.js';
import { acceleratedClock, systemClock } from './clock.js';
import { alpacaCalendar, type ExchangeCalendar, holidayCalendar } from './exchange-calendar.js';
import type { Clock, LiveBarSource, PaperBroker } from './ports.js';

/** Providers a live run can pull bars from. */
export type LiveSourceName = 'alpaca' | 'yahoo';

/** How this process builds the parts of live runs: one clock and calendar, a source and broker per run. */
export interface LiveWiring {
  clock: Clock;
  calendar: ExchangeCalendar;
  /** The provider a live run on a data set of `provider` pulls from: that one when it can, else Alpaca with keys, else Yahoo. */
  sourceFor(provider: string | null): LiveSourceName;
  source(name: string): LiveBarSource;
  /** The broker a live run's orders go to: `builtin`, or one an adapter provides (`alpaca`); throws when unavailable. */
  broker(model: ModelRecord, name: string): PaperBroker;
}

/** Builds an external paper account's broker for a model (the Alpaca paper adapter plugs in here). */
export type BrokerFactory = (model: ModelRecord) => PaperBroker;

export function liveWiring(
  config: Config,
  overrides: { clock?: Clock; source?: (name: string) => LiveBarSource; brokers?: Record<string, BrokerFactory> } = {},
): LiveWiring {
  const { alpaca, yahoo } = config.market.providers;
  const retry: RetryPolicy = { retries: Math.min(2, config.market.fetch.retries), backoffMs: config.market.fetch.backoffMs };
  const t = config.market.testClock;
  const clock = overrides.clock ?? (t ? acceleratedClock(t.origin, t.anchor, t.scale) : systemClock);
  const keys = alpaca.keyId && alpaca.secretKey ? { keyId: alpaca.keyId, secretKey: alpaca.secretKey } : undefined;
  const calendar = keys ? alpacaCalendar({ baseUrl: alpaca.paperUrl, ...keys, retry }) : holidayCalendar();
  // With Alpaca keys: its real-time bar stream (one connection per key pair, shared) instead of
  // polling, unless ALPACA_STREAM=0; and its paper account as a broker a live run may choose.
  const streams = keys && config.alpaca.stream ? new AlpacaStreams(config.alpaca) : undefined;
  const adapters: Record<string, BrokerFactory> = keys
    ? { alpaca: (model) => alpacaBroker(config.alpaca, { keyId: keys.keyId, secretKey: keys.secretKey }, tradingRulesOf(model)) }
    : {};
  return {
    clock,
    calendar,
    sourceFor: (provider) => (provider === 'yahoo' || (provider !== 'alpaca' && !keys) ? 'yahoo' : keys ? 'alpaca' : 'yahoo'),
    source(name) {
      if (overrides.source) return overrides.source(name);
      if (name === 'alpaca') {
        if (!keys) throw new AppError('provider_not_configured', 'ALPACA_KEY_ID and ALPACA_SECRET_KEY must be set to trade live on alpaca data');
        const polled = alpacaBarSource({ dataUrl: alpaca.dataUrl, ...keys, retry, clock });
        return streams ? streams.source(polled, { keyId: keys.keyId, secretKey: keys.secretKey }) : polled;
      }
      return yahooBarSource({ baseUrl: yahoo.baseUrl, retry, clock });
    },
    broker(model, name) {
      if (name === 'builtin') return builtinBroker(tradingRulesOf(model));
      const factory = overrides.brokers?.[name] ?? adapters[name];
      if (!factory) throw new AppError('provider_not_configured', `broker: the ${name} paper account is not available on this server`);
      return factory(model);
    },
  };
}
