import { createHmac } from 'node:crypto';
import { EmulatorContext } from '../context';
import { OrgUser } from '../org';

/** The identity URL of a user (`<login URL>/id/<org id>/<user id>`), the `id` of token responses. */
export function identityUrl(emu: EmulatorContext, user: OrgUser): string {
  return `${emu.loginUrl}/id/${emu.org.orgId}/${user.id}`;
}

/**
 * A token response body ("OAuth 2.0 Web Server Flow": access_token, refresh_token, signature,
 * scope, instance_url, id, token_type, issued_at). The signature is HMAC-SHA256 of id + issued_at
 * keyed with the consumer secret, as Salesforce documents it.
 */
export function tokenResponse(
  emu: EmulatorContext,
  user: OrgUser,
  accessToken: string,
  refreshToken?: string,
): Record<string, string> {
  const issuedAt = String(Date.now());
  const id = identityUrl(emu, user);
  const signature = createHmac('sha256', emu.app.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  return {
    access_token: accessToken,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature,
    scope: refreshToken ? 'refresh_token api openid' : 'api',
    instance_url: emu.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/** The OpenID Connect UserInfo body for a user. */
export function userInfo(emu: EmulatorContext, user: OrgUser): Record<string, unknown> {
  const v = emu.org.schema.apiVersion;
  const base = `${emu.instanceUrl}/services/data/v{version}`;
  const [first, ...rest] = user.name.split(' ');
  return {
    sub: identityUrl(emu, user),
    user_id: user.id,
    organization_id: emu.org.orgId,
    preferred_username: user.username,
    nickname: user.role,
    name: user.name,
    email: user.username,
    email_verified: true,
    given_name: first,
    family_name: rest.join(' '),
    zoneinfo: 'GMT',
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    updated_at: new Date().toISOString(),
    is_app_installed: true,
    urls: {
      rest: `${base}/`,
      sobjects: `${base}/sobjects/`,
      query: `${base}/query/`,
      limits: `${base}/limits/`,
      profile: `${emu.instanceUrl}/${user.id}`,
      custom_domain: emu.instanceUrl,
    },
    api_version: v,
  };
}
