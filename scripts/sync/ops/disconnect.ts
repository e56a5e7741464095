import { deleteCredentials, loadCredentials } from '../connection/credential-store';
import type { KeyOptions } from '../connection/encryption';
import { revokeToken } from '../connection/token-endpoint';
import { TightknitError } from '../errors';
import { recordHistoryEvent } from './history-events';

export interface DisconnectResult {
  /** True when the org confirmed the revocation (or the token was already invalid there). */
  revoked: boolean;
  /** Why nothing was revoked at the org, when it was not. */
  note?: string;
  username?: string;
  instanceUrl: string;
}

/**
 * Revokes the stored token at the org (the refresh token, which kills its access tokens), deletes the
 * stored credentials and key material, and records it in the history. The store and history stay.
 */
export async function disconnect(opts: KeyOptions): Promise<DisconnectResult> {
  const creds = await loadCredentials(opts);
  let revoked = false;
  let note: string | undefined;
  if (creds.method === 'sf-org') {
    note = `The authorization belongs to the sf CLI (${creds.targetOrg ?? ''}); run \`sf org logout --target-org ${creds.targetOrg ?? ''}\` to revoke it there.`;
  } else {
    const token = creds.secrets.refreshToken ?? creds.secrets.accessToken;
    if (token) {
      try {
        await revokeToken(creds.loginUrl, token);
        revoked = true;
      } catch (err) {
        note = `The org could not be reached to revoke the token (${err instanceof TightknitError ? err.code : String(err)}). Revoke it in Salesforce: Setup → Connected Apps OAuth Usage → Tightknit Salesforce → Revoke.`;
      }
    }
  }
  deleteCredentials(opts.stateDir);
  await recordHistoryEvent(
    opts.stateDir,
    'disconnected',
    `Disconnected from ${creds.instanceUrl}${creds.username ? ` (${creds.username})` : ''}; token ${revoked ? 'revoked' : 'not revoked at the org'}.`,
  );
  return { revoked, note, username: creds.username, instanceUrl: creds.instanceUrl };
}
