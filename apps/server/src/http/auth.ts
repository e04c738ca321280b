import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthResponse, ErrorBody, LoginBody, SignupBody, User } from '@tradewire/contract';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import type { UserRecord } from '../storage/records.js';
import { UniqueViolation } from '../storage/storage.js';
import { AppError } from '../domain/errors.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

export const toUser = (u: UserRecord): User => ({
  id: u.id,
  email: u.email,
  display_name: u.display_name,
  role: u.role,
});

const errors = { 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { login } = ctx.config;
    const perIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points: login.maxPerIp, duration: login.windowS });
    const perEmail = new RateLimiterMemory({ keyPrefix: 'login-email', points: login.maxPerEmail, duration: login.windowS });

    const issue = async (u: UserRecord) => ({
      access_token: await ctx.tokens.issueAccess(u.id, u.role),
      token_type: 'bearer' as const,
      expires_in: ctx.tokens.accessTtlS,
      user: toUser(u),
    });

    const tooMany = (reply: FastifyReply, res: RateLimiterRes) => {
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      reply.header('Retry-After', String(seconds));
      return new AppError('rate_limited', `too many login attempts; try again in ${seconds} s`);
    };

    r.post(
      '/signup',
      { schema: { tags: ['auth'], body: SignupBody, response: { 201: AuthResponse, ...errors } } },
      async (req, reply) => {
        const { email, password, display_name } = req.body;
        const password_hash = await hashPassword(password);
        try {
          const user = await ctx.storage.users.create({
            email,
            password_hash,
            display_name: display_name ?? email.split('@')[0]!,
          });
          return reply.status(201).send(await issue(user));
        } catch (e) {
          if (e instanceof UniqueViolation) throw new AppError('email_taken', 'email: an account with this email already exists');
          throw e;
        }
      },
    );

    r.post('/login', { schema: { tags: ['auth'], body: LoginBody, response: { 200: AuthResponse, ...errors } } }, async (req, reply) => {
      const { email, password } = req.body;
      // Every attempt counts per IP; only failures count per email, so a user is not locked out by success.
      try {
        await perIp.consume(req.ip);
      } catch (e) {
        if (e instanceof RateLimiterRes) throw tooMany(reply, e);
        throw e;
      }
      const failures = await perEmail.get(email);
      if (failures && failures.consumedPoints >= login.maxPerEmail) throw tooMany(reply, failures);
      const user = await ctx.storage.users.byEmail(email);
      const ok = user ? await verifyPassword(user.password_hash, password) : (await verifyPassword(await decoyHash(), password), false);
      if (!user || !ok) {
        await perEmail.consume(email).catch(() => undefined);
        throw new AppError('unauthorized', 'wrong email or password');
      }
      await perEmail.delete(email);
      return issue(user);
    });

    r.get(
      '/me',
      { onRequest: ctx.guards.requireUser, schema: { tags: ['auth'], response: { 200: User, 401: ErrorBody } } },
      async (req) => {
        const user = await ctx.storage.users.byId(principalOf(req).userId);
        if (!user) throw new AppError('unauthorized', 'account no longer exists');
        return toUser(user);
      },
    );

    r.post('/logout', { onRequest: ctx.guards.requireUser, schema: { tags: ['auth'] } }, async (req, reply) => {
      const p = principalOf(req);
      await ctx.storage.tokens.revoke(p.jti, p.exp);
      return reply.status(204).send();
    });

  };
