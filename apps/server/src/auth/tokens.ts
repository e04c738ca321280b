import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Role } from '@tradewire/contract';

export interface Principal {
  userId: number;
  role: Role;
  jti: string;
  exp: number;
}

type Audience = 'api' | 'stream';

/** Access tokens (audience `api`) and short-lived stream tickets (audience `stream`), HS256. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttl: { accessS: number; ticketS: number },
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  get accessTtlS() {
    return this.ttl.accessS;
  }
  get ticketTtlS() {
    return this.ttl.ticketS;
  }

  issueAccess(userId: number, role: Role) {
    return this.sign(userId, role, 'api', this.ttl.accessS);
  }

  issueTicket(userId: number, role: Role) {
    return this.sign(userId, role, 'stream', this.ttl.ticketS);
  }

  /** Returns the principal, or a reason the token is not valid. */
  async verify(token: string, audience: Audience): Promise<Principal | { invalid: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: 'tradewire',
        audience,
      });
      const userId = Number(payload.sub);
      const role = payload.role;
      if (!Number.isSafeInteger(userId) || (role !== 'user' && role !== 'admin') || !payload.jti || !payload.exp) {
        return { invalid: 'invalid' };
      }
      return { userId, role, jti: payload.jti, exp: payload.exp };
    } catch (e) {
      return { invalid: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }

  private sign(userId: number, role: Role, audience: Audience, ttlS: number) {
    return new SignJWT({ role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuer('tradewire')
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ttlS}s`)
      .sign(this.key);
  }
}
