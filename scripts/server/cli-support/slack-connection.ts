/**
 * `connect-slack --tenant` and `disconnect-slack --tenant`: a workspace's bot token checked with Slack
 * and stored sealed in PostgreSQL in the layout "Add to Slack" leaves (tenant-state/credentials.ts),
 * the workspace bound to the tenant so its events reach it. Events come through serve's
 * /slack/events with the app's signing secret, so no signing secret or app token is stored per tenant.
 */
import type { Pool } from 'pg';
import { slackClient, type SlackConnectionInfo } from '../../sync/connection/slack-credentials';
import { UsageError } from '../../sync/errors';
import { recordEvent } from '../../sync/history';
import { slackCallFailure } from '../../sync/ops/slack-connect';
import { SLACK_ENV } from '../../sync/ops/slack-facts';
import { bindSlackTeam, deleteSecret, unbindSlackTeam } from '../connect/bindings';
import type { MasterKeys } from '../secrets/master-key';
import { PgStore } from '../store';
import {
  loadTenantSlackCredentials,
  saveTenantSlackCredentials,
  SLACK_SECRET,
  type SlackCredentials,
} from '../tenant-state/credentials';
import type { TenantRef } from '../tenant-state/tenant-ref';
import type { Revocation } from './org-connection';

/** Slack's answers to auth.revoke that mean the token was no longer valid anyway. */
const GONE = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired']);

function historyOf(pool: Pool, tenant: TenantRef): PgStore {
  return PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`);
}

function botTokenFrom(env: NodeJS.ProcessEnv, tenant: TenantRef): string {
  const token = env[SLACK_ENV.botToken]?.trim();
  if (!token) {
    throw new UsageError('SLACK_TOKEN_MISSING', `No Slack bot token: set ${SLACK_ENV.botToken}.`, {
      actions: [
        `Export ${SLACK_ENV.botToken}=<Bot User OAuth Token of the workspace's install> and run \`tightknit-sync connect-slack --tenant ${tenant.name}\` again, or install from the console (Add to Slack).`,
      ],
    });
  }
  if (!token.startsWith('xoxb-')) {
    throw new UsageError(
      'SLACK_TOKEN_INVALID',
      `${SLACK_ENV.botToken} is not a Slack bot token; the sync needs the Bot User OAuth Token (xoxb-…).`,
      { actions: ['Copy it from api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token.'] },
    );
  }
  return token;
}

/** What `connect-slack --tenant` reports. */
interface TenantSlackConnectResult {
  info: SlackConnectionInfo;
  scopes: string[] | null;
}

/**
 * Checks the bot token (auth.test), binds its workspace to the tenant (refused when another tenant has
 * it, or the tenant has another) and stores the token sealed, with a history line.
 */
export async function connectTenantSlack(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  opts: { env?: NodeJS.ProcessEnv; onProgress?: (line: string) => void } = {},
): Promise<TenantSlackConnectResult> {
  const env = opts.env ?? process.env;
  const botToken = botTokenFrom(env, tenant);
  opts.onProgress?.('Checking the bot token with Slack (auth.test)…');
  const client = slackClient({ botToken }, { retryConfig: { retries: 1 } });
  let auth: Awaited<ReturnType<typeof client.auth.test>>;
  try {
    auth = await client.auth.test();
  } catch (err) {
    throw slackCallFailure(err, 'auth.test');
  }
  if (!auth.team_id) {
    throw new UsageError('SLACK_AUTH_FAILED', 'auth.test did not name a workspace for this token.', {
      actions: ['Use the Bot User OAuth Token of an app installed in the workspace (xoxb-…).'],
    });
  }
  const team = { id: auth.team_id, name: auth.team ?? auth.team_id };
  const refusal = await bindSlackTeam(pool, tenant.id, team);
  if (refusal?.reason === 'workspace-taken') {
    throw new UsageError(
      'SLACK_WORKSPACE_TAKEN',
      `The Slack workspace ${team.name} (${team.id}) is connected to tenant '${refusal.tenantName}' already; a workspace's events go to one tenant only. Nothing was changed.`,
      {
        actions: [
          `Run \`tightknit-sync disconnect-slack --tenant ${refusal.tenantName}\` first, or use another workspace's token.`,
        ],
      },
    );
  }
  if (refusal) {
    throw new UsageError(
      'SLACK_OTHER_WORKSPACE',
      `Tenant '${tenant.name}' is connected to the Slack workspace ${refusal.teamName} (${refusal.teamId}). Nothing was changed.`,
      { actions: [`Run \`tightknit-sync disconnect-slack --tenant ${tenant.name}\` first.`] },
    );
  }
  const host = auth.url ? new URL(auth.url).hostname : null;
  const info: SlackConnectionInfo = {
    teamId: team.id,
    teamName: team.name,
    domain: host?.endsWith('.slack.com') ? host.slice(0, -'.slack.com'.length) : null,
    url: auth.url ?? null,
    botUserId: auth.user_id ?? null,
    connectedAt: new Date().toISOString(),
    hasSigningSecret: true,
    hasAppToken: false,
  };
  const install: SlackCredentials = { secrets: { botToken }, info };
  await saveTenantSlackCredentials(pool, keys, tenant, install);
  await recordEvent(
    historyOf(pool, tenant),
    'connected',
    `Connected Slack workspace ${info.teamName} (${info.teamId}).`,
  );
  return { info, scopes: auth.response_metadata?.scopes ?? null };
}

/** auth.revoke for a stored bot token: revoked, already invalid, or a note saying what to do. */
export async function revokeSlackInstall(install: SlackCredentials): Promise<Revocation> {
  try {
    await slackClient(install.secrets, { retryConfig: { retries: 1 } }).auth.revoke();
    return { revoked: true };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code && GONE.has(code)) return { revoked: false, note: 'Slack said the token was no longer valid.' };
    return {
      revoked: false,
      failed: true,
      note: `${slackCallFailure(err, 'auth.revoke').message} The token was not revoked: remove the app in the workspace ${install.info.teamName} (Settings → Manage apps) to be sure.`,
    };
  }
}

/** Forgets the tenant's workspace: the sealed token and the binding that routes its events. */
export async function forgetTenantSlack(pool: Pool, tenant: TenantRef): Promise<void> {
  await deleteSecret(pool, tenant.id, SLACK_SECRET);
  await unbindSlackTeam(pool, tenant.id);
}

/** What `disconnect-slack --tenant` reports: the embedded fields, and whether Slack revoked the token. */
interface TenantSlackDisconnectResult {
  disconnected: boolean;
  teamId?: string;
  teamName?: string;
  revoked: boolean;
  note?: string;
}

/** Revokes the tenant's bot token at Slack (auth.revoke), forgets it and writes the history line. */
export async function disconnectTenantSlack(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
): Promise<TenantSlackDisconnectResult> {
  const install = await loadTenantSlackCredentials(pool, keys, tenant);
  if (!install) {
    await unbindSlackTeam(pool, tenant.id);
    return { disconnected: false, revoked: false };
  }
  const r = await revokeSlackInstall(install);
  await forgetTenantSlack(pool, tenant);
  await recordEvent(
    historyOf(pool, tenant),
    'disconnected',
    `Disconnected Slack workspace ${install.info.teamName} (${install.info.teamId}); token ${r.revoked ? 'revoked' : 'not revoked at Slack'}.`,
  );
  return { disconnected: true, teamId: install.info.teamId, teamName: install.info.teamName, ...r };
}
