/**
 * OAuth2 client credentials (RFC 6749 section 4.4) as the simulator serves them: client
 * authentication by HTTP Basic or form fields, opaque bearer tokens that expire.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimClock } from './clock.js';

/** The one OAuth client the simulator knows (its tenant). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Default credentials (SIMULATOR.md). */
export const DEFAULT_CLIENT_ID = 'cxctl-sim';
export const DEFAULT_CLIENT_SECRET = 'cxctl-sim-secret';

/** A token check's outcome: the tenant it belongs to, or why it is refused. */
export type TokenCheck =
  { ok: true; tenant: string } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

interface IssuedToken {
  tenant: string;
  expiresAt: number;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Issues and checks bearer tokens. */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly client: ClientCredentials,
    private readonly clock: SimClock,
    /** Lifetime of new tokens in seconds; may change at run time. */
    public ttlSeconds: number,
  ) {}

  /** True when the credentials are the configured client's. */
  authenticate(clientId: string, clientSecret: string): boolean {
    return clientId === this.client.clientId && sameSecret(clientSecret, this.client.clientSecret);
  }

  /** A new token for `tenant`, valid for the current TTL. */
  issue(tenant: string): { token: string; expiresIn: number } {
    this.sweep();
    const token = `sim_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { tenant, expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
    return { token, expiresIn: this.ttlSeconds };
  }

  /** Check an `Authorization` header value. */
  check(authorization: string | undefined): TokenCheck {
    if (authorization === undefined) return { ok: false, reason: 'missing' };
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
    if (!match) return { ok: false, reason: 'missing' };
    const issued = this.tokens.get(match[1]!);
    if (!issued) return { ok: false, reason: 'invalid' };
    if (issued.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, tenant: issued.tenant };
  }

  /** Make every token issued so far expired (tests of token refresh need no sleeping). */
  expireAll(): number {
    const now = this.clock.now();
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
    return this.tokens.size;
  }

  /** Forget tokens that expired over an hour ago, so a long run does not grow without bound. */
  private sweep(): void {
    if (this.tokens.size < 1000) return;
    const horizon = this.clock.now() - 3_600_000;
    for (const [token, issued] of this.tokens) {
      if (issued.expiresAt < horizon) this.tokens.delete(token);
    }
  }
}
