import { randomBytes } from 'node:crypto';
import { EmulatedOrg, OrgUser } from '../org';

interface AccessEntry {
  userId: string;
  expiresAt: number;
  refreshToken?: string;
}

/**
 * Access and refresh tokens. Access tokens look like Salesforce's (`<org id>!<opaque>`), expire after
 * the configured lifetime, and die with the refresh token they came from when it is revoked
 * ("Revoke OAuth Tokens", Salesforce Help).
 */
export class TokenService {
  private readonly access = new Map<string, AccessEntry>();
  private readonly refresh = new Map<string, { userId: string; clientId: string }>();

  constructor(
    private readonly org: EmulatedOrg,
    private readonly ttlMs: number,
  ) {}

  private opaque(): string {
    return randomBytes(30).toString('base64url');
  }

  /** Issues an access token (and a refresh token when asked). */
  issue(user: OrgUser, clientId: string, withRefresh: boolean): { accessToken: string; refreshToken?: string } {
    const refreshToken = withRefresh ? `5Aep861${this.opaque()}` : undefined;
    if (refreshToken) this.refresh.set(refreshToken, { userId: user.id, clientId });
    return { accessToken: this.issueAccess(user, refreshToken), refreshToken };
  }

  private issueAccess(user: OrgUser, refreshToken?: string): string {
    const accessToken = `${this.org.orgId.slice(0, 15)}!${this.opaque()}`;
    this.access.set(accessToken, { userId: user.id, expiresAt: Date.now() + this.ttlMs, refreshToken });
    return accessToken;
  }

  /** A new access token for a refresh token, or undefined when it is unknown or revoked. */
  refreshAccess(refreshToken: string, clientId: string): { user: OrgUser; accessToken: string } | undefined {
    const entry = this.refresh.get(refreshToken);
    if (!entry || entry.clientId !== clientId) return undefined;
    const user = this.org.userById(entry.userId);
    if (!user) return undefined;
    return { user, accessToken: this.issueAccess(user, refreshToken) };
  }

  /** The user of a live access token. */
  userFor(accessToken: string): OrgUser | undefined {
    const entry = this.access.get(accessToken);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.access.delete(accessToken);
      return undefined;
    }
    return this.org.userById(entry.userId);
  }

  /** Revokes an access or refresh token; revoking a refresh token also revokes its access tokens. */
  revoke(token: string): boolean {
    if (this.access.delete(token)) return true;
    if (!this.refresh.delete(token)) return false;
    for (const [t, e] of this.access) if (e.refreshToken === token) this.access.delete(t);
    return true;
  }

  /** Makes every current access token invalid (the "expire after N calls" fault). */
  expireAllAccessTokens(): void {
    this.access.clear();
  }
}
