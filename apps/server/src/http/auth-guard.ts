import type { FastifyRequest } from 'fastify';
import type { Principal, TokenService } from '../auth/tokens.js';
import type { Storage } from '../storage/storage.js';
import { AppError } from '../domain/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const bearer = (req: FastifyRequest) => {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? '';
};

/** Request hooks that put the caller's principal on the request or answer 401/403. */
export function authGuards(tokens: TokenService, storage: Storage) {
  async function check(token: string | undefined, audience: 'api' | 'stream'): Promise<Principal> {
    if (token === undefined) throw new AppError('unauthorized', 'authentication required: send Authorization: Bearer <token>');
    const result = await tokens.verify(token, audience);
    if ('invalid' in result) {
      throw new AppError('unauthorized', result.invalid === 'expired' ? 'token expired' : 'invalid token');
    }
    const checkedAt = performance.now();
    if (await storage.tokens.isRevoked(result.jti)) throw new AppError('unauthorized', 'token revoked');
    // A ticket dies with the sign-in it was issued under.
    if (result.session !== result.jti && (await storage.tokens.isRevoked(result.session))) throw new AppError('unauthorized', 'token revoked');
    const user = await storage.users.byId(result.userId);
    if (!user) throw new AppError('unauthorized', 'account no longer exists');
    // The role as stored now: a role change applies to tokens already issued.
    return { ...result, role: user.role, checkedAt };
  }

  const requireUser = async (req: FastifyRequest) => {
    req.principal = await check(bearer(req), 'api');
  };

  const requireAdmin = async (req: FastifyRequest) => {
    await requireUser(req);
    if (req.principal?.role !== 'admin') throw new AppError('forbidden', 'admin only');
  };

  /** Streams also take `?token=` (the seed's contract) or a short-lived `?ticket=`. */
  const requireStreamUser = async (req: FastifyRequest) => {
    const q = req.query as { token?: string; ticket?: string };
    if (q.ticket !== undefined) req.principal = await check(q.ticket, 'stream');
    else req.principal = await check(q.token ?? bearer(req), 'api');
  };

  return { requireUser, requireAdmin, requireStreamUser };
}

export type AuthGuards = ReturnType<typeof authGuards>;

/** The principal set by a guard; routes behind a guard always have one. */
export const principalOf = (req: FastifyRequest): Principal => {
  if (!req.principal) throw new AppError('unauthorized', 'authentication required');
  return req.principal;
};
