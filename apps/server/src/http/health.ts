import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health } from '@tradewire/contract';
import type { AppContext } from './context.js';

/** How long the storage check may take before storage counts as down. */
const STORAGE_CHECK_MS = 2_000;

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/health', { schema: { tags: ['health'], response: { 200: Health } } }, async () => {
      const storage = await storageReachable(ctx);
      const redis = ctx.bus.reachable();
      const down = !storage || redis === false;
      return {
        status: down ? ('degraded' as const) : ('ok' as const),
        dependencies: { storage: storage ? ('ok' as const) : ('down' as const), ...(redis === undefined ? {} : { redis: redis ? ('ok' as const) : ('down' as const) }) },
        version: ctx.version,
        storage: ctx.storage.kind,
        uptime_s: Math.round((Date.now() - ctx.startedAt) / 1000),
        streams: ctx.bus.stats(),
      };
    });
  };

async function storageReachable(ctx: AppContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STORAGE_CHECK_MS)));
  try {
    return await Promise.race([ctx.storage.events.maxId().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
