import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthResponse, ErrorBody, LoginBody, SignupBody, User } from '@tradewire/contract';
import { passwordProblem } from '../auth/password-strength.js';
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

/** Takes a point, or answers 429 with Retry-After when none is left. */
async function take(limiter: RateLimiterAbstract, key: string, tooMany: (res: RateLimiterRes) => Error) {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw tooMany(e);
    throw e;
  }
}

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { login } = ctx.config;
    // Every attempt from one address; failures per (account, address), so attempts from one
    // address never lock the account out for its owner elsewhere; signups per address.
    const perIp = ctx.limiters({ keyPrefix: 'login-ip', points: login.maxPerIp, duration: login.windowS });
    const failures = ctx.limiters({ keyPrefix: 'login-fail', points: Number.MAX_SAFE_INTEGER, duration: login.windowS });
    const backoff = ctx.limiters({ keyPrefix: 'login-wait', points: 1, duration: login.windowS });
    const signups = ctx.limiters({ keyPrefix: 'signup-ip', points: login.signupMaxPerIp, duration: login.signupWindowS });

    const issue = async (u: UserRecord) => ({
      access_token: await ctx.tokens.issueAccess(u.id, u.role),
      token_type: 'bearer' as const,
      expires_in: ctx.tokens.accessTtlS,
      user: toUser(u),
    });

    const tooMany = (reply: FastifyReply, what: string) => (res: RateLimiterRes) => {
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      reply.header('Retry-After', String(seconds));
      return new AppError('rate_limited', `too many ${what}; try again in ${seconds} s`);
    };

    r.post(
      '/signup',
      {
        schema: {
          tags: ['auth'],
          description:
            'Creates an account (the first one is the admin). 400 naming `password` when it is guessable (zxcvbn score below PASSWORD_MIN_SCORE) or equal to the email; 429 with Retry-After past SIGNUP_MAX_PER_IP signups from one address per SIGNUP_WINDOW_S.',
          body: SignupBody,
          response: { 201: AuthResponse, ...errors },
        },
      },
      async (req, reply) => {
        const { email, password, display_name } = req.body;
        await take(signups, req.ip, tooMany(reply, 'signups from your address'));
        const problem = await passwordProblem(password, { email, displayName: display_name }, login.passwordMinScore);
        if (problem) throw new AppError('validation_error', `body.password: ${problem}`, [{ path: 'body.password', message: problem }]);
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

    r.post('/login', {
        schema: {
          tags: ['auth'],
          description:
            'Failures count per (account, address): past LOGIN_MAX_PER_EMAIL, each further attempt from that address waits (LOGIN_BACKOFF_S, doubling), said in Retry-After; other addresses are not affected. LOGIN_MAX_PER_IP attempts per address per LOGIN_WINDOW_S.',
          body: LoginBody,
          response: { 200: AuthResponse, ...errors },
        },
      }, async (req, reply) => {
      const { email, password } = req.body;
      const limited = tooMany(reply, 'login attempts');
      await take(perIp, req.ip, limited);
      const key = `${email}|${req.ip}`;
      const waiting = await backoff.get(key);
      if (waiting && waiting.consumedPoints > 1) throw limited(waiting);
      const user = await ctx.storage.users.byEmail(email);
      const ok = user ? await verifyPassword(user.password_hash, password) : (await verifyPassword(await decoyHash(), password), false);
      if (!user || !ok) {
        // Past the free failures, each one makes the next attempt from this address wait: 30 s, 60 s, ... up to the window.
        const failed = await failures.consume(key).catch((e: unknown) => (e instanceof RateLimiterRes ? e : null));
        const over = (failed?.consumedPoints ?? 0) - login.maxPerEmail;
        if (over >= 0) {
          const wait = Math.min(login.windowS, login.backoffS * 2 ** Math.min(over, 20));
          await backoff.block(key, wait);
          reply.header('Retry-After', String(wait));
        }
        throw new AppError('unauthorized', 'wrong email or password');
      }
      await Promise.all([failures.delete(key), backoff.delete(key)]);
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

    r.post('/logout', { onRequest: ctx.guards.requireUser, schema: { tags: ['auth'], description: 'Revokes the token; every stream opened with it or with a ticket issued under it ends at once (on every node), and such tickets open nothing more.' } }, async (req, reply) => {
      const p = principalOf(req);
      // Stored first: a stream or ticket checked from now on is refused; then the open ones end.
      await ctx.storage.tokens.revoke(p.jti, p.exp);
      await ctx.revocations.publish({ sessions: [p.session], reason: 'logged out' });
      return reply.status(204).send();
    });

  };
