import type { BenchEventData } from '../protocol.js';

/** A server under test, running inside the benchmark's server process. */
export interface FanoutTarget {
  port: number;
  /** The URL path (with credentials) a client opens to watch model `i`. */
  paths: string[];
  /** Publishes one event of model `i`; must not throw. */
  publish(model: number, data: BenchEventData): void;
  connections(): number;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';
