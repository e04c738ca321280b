import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DEFAULT_SETTINGS, ErrorBody, UserSettings } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody };

/** The caller's own settings: read with defaults filled in, replaced whole. */
export const settingsRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    const read = async (userId: number): Promise<UserSettings> => {
      // A document saved before a field existed gains its default; one no longer valid falls back whole.
      const parsed = UserSettings.safeParse((await ctx.storage.settings.get(userId)) ?? {});
      return parsed.success ? parsed.data : DEFAULT_SETTINGS;
    };

    r.get('/settings', { schema: { tags: ['settings'], response: { 200: UserSettings, ...errors } } }, async (req) =>
      read(principalOf(req).userId),
    );

    r.put('/settings', { schema: { tags: ['settings'], body: UserSettings, response: { 200: UserSettings, ...errors } } }, async (req) => {
      const { userId } = principalOf(req);
      await ctx.storage.settings.put(userId, req.body);
      return read(userId);
    });
  };
