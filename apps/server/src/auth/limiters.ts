import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/** Makes the rate limiters of this node: shared by every API node through Redis when it has one. */
export type LimiterFactory = (opts: LimiterOptions) => RateLimiterAbstract;

/** In memory: one process. */
export const memoryLimiters: LimiterFactory = (opts) => new RateLimiterMemory(opts);

/**
 * On Redis, under `<prefix>:limit:`: an attacker gains nothing by spreading attempts over nodes.
 * While Redis is unreachable each node counts in memory instead of failing the request.
 */
export function redisLimiters(redis: Redis, prefix: string): LimiterFactory {
  return (opts) =>
    new RateLimiterRedis({
      ...opts,
      keyPrefix: `${prefix.replace(/:$/, '')}:limit:${opts.keyPrefix}`,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(opts),
    });
}
