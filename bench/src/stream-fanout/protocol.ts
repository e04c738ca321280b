import type { HistogramData } from '../lib/histogram.js';

/** The servers measured with one harness; `peer` is the seed backend's design in Python (bench/peer). */
export const TARGETS = ['tradewire', 'naive', 'limit', 'peer'] as const;
export type TargetKind = (typeof TARGETS)[number];

export const SCENARIOS = {
  /** Every client watches the same model, which emits 10 events/s. */
  'one-model': { title: 'One model watched by every client, 10 events/s', ratePerModel: 10, clientsPerModel: null },
  /** connections / 10 models (1,000 at 10,000 connections), each watched by 10 clients, 1 event/s each. */
  'many-models': { title: 'Many models, each watched by 10 clients, 1 event/s each', ratePerModel: 1, clientsPerModel: 10 },
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

export const modelsFor = (scenario: ScenarioName, connections: number) => {
  const perModel = SCENARIOS[scenario].clientsPerModel;
  return perModel === null ? 1 : Math.max(1, Math.round(connections / perModel));
};

/**
 * The data of every benchmark event, the same for all three servers: a filled trade as the
 * engine emits it, plus `emitted_at` (monotonic ms, see lib/clock.ts) for emit-to-receive latency.
 */
export function tradeData(seq: number, emittedAt: number) {
  const quantity = 1 + (seq % 50);
  const price = 100 + (seq % 997) / 100;
  const amount = Math.round(quantity * price * 100) / 100;
  return {
    message: `AI executing BUY order: ${quantity} SIMA @ ${price.toFixed(2)}`,
    action: 'buy' as const,
    date: '2026-10-30',
    symbol: 'SIMA',
    quantity,
    price,
    amount,
    commission: 0,
    cash_after: 10_000 - amount,
    status: 'filled' as const,
    reason: null,
    emitted_at: emittedAt,
  };
}
export type BenchEventData = ReturnType<typeof tradeData>;

/** The wire envelope the naive and limit servers build themselves (Tradewire's bus builds its own). */
export const envelope = (id: number, modelId: number, data: BenchEventData) => ({
  id: String(id),
  type: 'trade',
  timestamp: new Date().toISOString(),
  model_id: modelId,
  run_id: null,
  data,
});

/** The first frame of every stream; clients count a connection as open once it arrives. */
export const connectedEvent = (modelId: number) => ({
  id: '0',
  type: 'connected',
  timestamp: new Date().toISOString(),
  model_id: modelId,
  run_id: null,
  data: { message: 'Connected to trading stream', model_id: modelId },
});

/** Marker the clients look for instead of parsing every event. */
export const EMITTED_AT = '"emitted_at":';

// Parent <-> server process.
export type ToServer =
  | { type: 'setup'; target: TargetKind; models: number }
  | { type: 'settle' }
  | { type: 'start'; ratePerModel: number; measureFrom: number; endAt: number }
  | { type: 'exit' };

export type FromServer =
  | { type: 'ready'; port: number; paths: string[]; rssBase: number }
  | { type: 'settled'; rss: number; connections: number }
  | {
      type: 'done';
      /** Events emitted per model inside the measured window. */
      emitted: number[];
      /** Events the source should have emitted in the window (it lags when the process is saturated). */
      scheduled: number;
      publishErrors: number;
      cpuMs: number;
      wallMs: number;
      rssPeak: number;
      connections: number;
    };

// Parent <-> client process.
export interface ClientConn {
  path: string;
  model: number;
}

export type ToClient =
  | { type: 'open'; port: number; conns: ClientConn[]; maxPending: number; timeoutMs: number }
  /** Count events emitted from `from` on (monotonic ms); earlier ones are the warm-up. */
  | { type: 'measure'; from: number }
  | { type: 'report' }
  | { type: 'exit' };

export type FromClient =
  | { type: 'opened'; ok: number; failed: number; firstError: string | null }
  | {
      type: 'report';
      /** Measured events received, and connections that opened, per model index. */
      received: number[];
      opened: number[];
      latency: HistogramData;
      disconnects: number;
      cpuMs: number;
    };
