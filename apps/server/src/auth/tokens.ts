import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Role } from '@tradewire/contract';

export interface Principal {
  userId: number;
  role: Role;
  jti: string;
  exp: number;
  /**
   * The sign-in this credential belongs to: an access token's own id, or for a stream ticket
   * the id of the access token it was issued under. Logging out revokes it, and with it every
   * ticket and stream it authorised.
   */
  session: string;
  /**
   * When storage last confirmed the credential (performance.now(), taken just before the reads):
   * a revocation heard after it may not have been seen by them. Set by the request guards.
   */
  checkedAt?: number;
}

type Audience = 'api' | 'stream';

/** Access tokens (audience `api`) and short-lived stream tickets (audience `stream`), HS256. */
export class TokenService {
  /**
   * The HMAC key imported once into WebCrypto (what jose verifies with): given bytes or a
   * KeyObject, jose imports the key again on every sign and verify.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    secret: string,
    private readonly ttl: { accessS: number; ticketS: number },
  ) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
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

  /** A ticket under the access token `parent`: it never outlives it, and dies with it on logout. */
  issueTicket(userId: number, role: Role, parent: { jti: string; exp: number }) {
    const ttlS = Math.max(1, Math.min(this.ttl.ticketS, parent.exp - Math.floor(Date.now() / 1000)));
    return this.sign(userId, role, 'stream', ttlS, parent.jti);
  }

  /** Returns the principal, or a reason the token is not valid. */
  async verify(token: string, audience: Audience): Promise<Principal | { invalid: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        issuer: 'tradewire',
        audience,
      });
      const userId = Number(payload.sub);
      const role = payload.role;
      if (!Number.isSafeInteger(userId) || (role !== 'user' && role !== 'admin') || !payload.jti || !payload.exp) {
        return { invalid: 'invalid' };
      }
      const session = audience === 'api' ? payload.jti : payload.sid;
      if (typeof session !== 'string' || session === '') return { invalid: 'invalid' };
      return { userId, role, jti: payload.jti, exp: payload.exp, session };
    } catch (e) {
      return { invalid: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }

  private async sign(userId: number, role: Role, audience: Audience, ttlS: number, sid?: string) {
    return new SignJWT(sid === undefined ? { role } : { role, sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuer('tradewire')
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ttlS}s`)
      .sign(await this.key);
  }
}
