import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health } from '@tradewire/contract';
import type { AppContext } from './context.js';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/health', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({
      status: 'ok' as const,
      version: ctx.version,
      storage: ctx.storage.kind,
      uptime_s: Math.round((Date.now() - ctx.startedAt) / 1000),
      streams: ctx.bus.stats(),
    }));
  };
