import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AdminModel, AdminStats, AdminUser, ErrorBody, Leaderboard, LeaderboardQuery, RoleBody, page, type LeaderboardEntry } from '@tradewire/contract';
import { AppError } from '../domain/errors.js';
import { toModelView } from '../services/views.js';
import { LastAdmin } from '../storage/storage.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';
import { IdParams } from './models.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Users and their roles, every model, platform stats and the global leaderboard; admins only. */
export const adminRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireAdmin);
    // A token outlives a role change: an admin demoted since it was issued is refused at once.
    app.addHook('onRequest', async (req: FastifyRequest) => {
      const user = await ctx.storage.users.byId(principalOf(req).userId);
      if (user?.role !== 'admin') throw new AppError('forbidden', 'admin only');
    });

    r.get('/admin/users', { schema: { tags: ['admin'], response: { 200: page(AdminUser), ...errors } } }, async () => ({
      items: await ctx.storage.users.list(),
      next_cursor: null,
    }));

    r.put(
      '/admin/users/:id/role',
      { schema: { tags: ['admin'], params: IdParams, body: RoleBody, response: { 200: AdminUser, ...errors } } },
      async (req) => {
        let updated;
        const before = await ctx.storage.users.byId(req.params.id);
        try {
          updated = await ctx.storage.users.setRole(req.params.id, req.body.role);
        } catch (e) {
          if (e instanceof LastAdmin) throw new AppError('last_admin', 'role: this is the last admin; make another account admin first');
          throw e;
        }
        if (!updated) throw new AppError('user_not_found', `user ${req.params.id} not found`);
        // What the user may watch changed: their streams end now and reconnect under the new role.
        if (before?.role !== updated.role) await ctx.revocations.publish({ users: [updated.id], reason: 'role changed' });
        const summary = (await ctx.storage.users.list()).find((u) => u.id === updated.id);
        return summary ?? { ...updated, model_count: 0 };
      },
    );

    r.get('/admin/models', { schema: { tags: ['admin'], response: { 200: page(AdminModel), ...errors } } }, async () => {
      const [models, users, running] = await Promise.all([ctx.storage.models.listAll(), ctx.storage.users.list(), ctx.trading.runtime.runningModels()]);
      const emails = new Map(users.map((u) => [u.id, u.email]));
      const last = new Map((await ctx.storage.runs.latestPerModel(models.map((m) => m.id))).map((r) => [r.model_id, r]));
      return {
        items: models.map((m) => ({ ...toModelView(m, running.has(m.id), last.get(m.id)), owner_email: emails.get(m.user_id) ?? '' })),
        next_cursor: null,
      };
    });

    r.get('/admin/stats', { schema: { tags: ['admin'], response: { 200: AdminStats, ...errors } } }, async () => {
      const [users, models, running] = await Promise.all([ctx.storage.users.list(), ctx.storage.models.listAll(), ctx.storage.runs.running()]);
      const bus = ctx.bus.stats();
      return {
        users: users.length,
        models: models.length,
        running_runs: running.length,
        events_per_s: bus.events_per_s,
        connected_streams: bus.subscribers,
      };
    });

    r.get(
      '/admin/leaderboard',
      { schema: { tags: ['admin'], querystring: LeaderboardQuery, response: { 200: Leaderboard, ...errors } } },
      async (req) => {
        const { by, limit } = req.query;
        const [runs, models, users] = await Promise.all([ctx.storage.runs.latestCompletedPerModel(), ctx.storage.models.listAll(), ctx.storage.users.list()]);
        const modelsById = new Map(models.map((m) => [m.id, m]));
        const emails = new Map(users.map((u) => [u.id, u.email]));
        const entries: Omit<LeaderboardEntry, 'rank'>[] = [];
        for (const run of runs) {
          const model = modelsById.get(run.model_id);
          if (!model || !run.metrics) continue;
          entries.push({
            model_id: model.id,
            model_name: model.name,
            owner: emails.get(model.user_id) ?? '',
            run_id: run.id,
            return_pct: run.metrics.total_return_pct,
            sharpe: run.metrics.sharpe,
            max_drawdown_pct: run.metrics.max_drawdown_pct,
            trade_count: run.metrics.trade_count,
          });
        }
        // A run too short for a Sharpe ratio ranks below every run that has one.
        const score = (e: Omit<LeaderboardEntry, 'rank'>) => (by === 'return' ? e.return_pct : (e.sharpe ?? -Infinity));
        entries.sort((a, b) => score(b) - score(a) || b.return_pct - a.return_pct || a.model_id - b.model_id);
        return { by, items: entries.slice(0, limit).map((e, i) => ({ rank: i + 1, ...e })) };
      },
    );
  };
