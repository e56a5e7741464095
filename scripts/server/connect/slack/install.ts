import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Tenant } from '../../tenants';
import {
  loadTenantSlackCredentials,
  saveTenantSlackCredentials,
  SLACK_SECRET,
  type SlackCredentials,
} from '../../tenant-state/credentials';
import { bindSlackTeam, deleteSecret, unbindSlackTeam, type BindRefusal } from '../bindings';
import { finishFlow, startFlow } from '../flows';
import { ConnectRefusal, redirect, sendPage, type ConnectContext, type Disconnected } from '../http';
import { slackRedirectUrl, type SlackAppSettings } from '../settings';
import { exchangeSlackCode, revokeSlackToken } from './api';

/** The bot scopes the sync reads with (README, "Slack app"); groups:* for private channels. */
const SLACK_BOT_SCOPES = [
  'channels:read',
  'channels:history',
  'users:read',
  'users:read.email',
  'reactions:read',
  'team:read',
  'groups:read',
  'groups:history',
];

export function slackApp(ctx: ConnectContext): SlackAppSettings {
  if (ctx.settings.slack) return ctx.settings.slack;
  throw new ConnectRefusal(
    503,
    'Slack is not set up on this server',
    'The operator must set TIGHTKNIT_SLACK_CLIENT_ID, TIGHTKNIT_SLACK_CLIENT_SECRET and TIGHTKNIT_SLACK_SIGNING_SECRET (docs/server-connect.md).',
  );
}

/** GET start: "Add to Slack" for one tenant, a redirect to Slack's authorize page. */
export async function startSlackInstall(
  ctx: ConnectContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: Tenant,
): Promise<void> {
  const app = slackApp(ctx);
  const state = await startFlow(ctx, req, tenant.id, 'slack');
  const authorize = new URL('../oauth/v2/authorize', app.apiUrl);
  authorize.search = new URLSearchParams({
    client_id: app.clientId,
    scope: SLACK_BOT_SCOPES.join(','),
    redirect_uri: slackRedirectUrl(ctx.settings),
    state,
  }).toString();
  ctx.log?.({
    level: 'info',
    event: 'slack-install-started',
    message: 'Sent to Slack to install the app.',
    tenant: tenant.name,
  });
  redirect(res, authorize.toString());
}

function bindRefusal(r: BindRefusal, team: { id: string; name: string }, tenantName: string): ConnectRefusal {
  if (r.reason === 'workspace-taken') {
    return new ConnectRefusal(
      409,
      'Workspace connected elsewhere',
      `The Slack workspace ${team.name} (${team.id}) is connected to another community on this server already, and a workspace's events go to one community only. Nothing was changed: disconnect it there first, or install the app in another workspace.`,
    );
  }
  return new ConnectRefusal(
    409,
    'Another workspace is connected',
    `Community ${tenantName} is connected to the Slack workspace ${r.teamName} (${r.teamId}). Disconnect it first, then install ${team.name}.`,
  );
}

async function tenantName(pool: Pool, tenantId: number): Promise<string> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tenantId]);
  return rows[0]?.name ?? String(tenantId);
}

/** GET callback: Slack's redirect back, with a code (installed) or an error (cancelled). */
export async function finishSlackInstall(
  ctx: ConnectContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const app = slackApp(ctx);
  const url = new URL(req.url ?? '/', ctx.settings.publicUrl);
  const flow = await finishFlow(ctx, req, url.searchParams.get('state'), 'slack');
  const name = await tenantName(ctx.pool, flow.tenantId);
  const error = url.searchParams.get('error');
  if (error === 'access_denied') {
    ctx.log?.({
      level: 'info',
      event: 'slack-install-denied',
      message: 'The install was cancelled in Slack.',
      tenant: name,
    });
    throw new ConnectRefusal(
      400,
      'Slack install cancelled',
      `The install was cancelled on Slack's page, so nothing was connected for ${name}. To connect, start again and click Allow.`,
    );
  }
  const code = url.searchParams.get('code');
  if (error || !code) {
    throw new ConnectRefusal(
      400,
      'Slack install failed',
      `Slack sent back ${error ? `the error ${error}` : 'no code'}. Start the install again from the console.`,
    );
  }
  const grant = await exchangeSlackCode(app, code, slackRedirectUrl(ctx.settings));
  if (app.appId && grant.appId && grant.appId !== app.appId) {
    throw new ConnectRefusal(
      400,
      'Another Slack app',
      `Slack installed app ${grant.appId}, but this server is set up for ${app.appId} (TIGHTKNIT_SLACK_APP_ID). The operator must fix the app's credentials.`,
    );
  }
  const refusal = await bindSlackTeam(ctx.pool, flow.tenantId, grant.team);
  if (refusal) {
    ctx.log?.({
      level: 'warn',
      event: 'slack-install-refused',
      message: `Workspace ${grant.team.id} refused: ${refusal.reason}${refusal.reason === 'workspace-taken' ? ` (tenant ${refusal.tenantName})` : ''}.`,
      tenant: name,
    });
    throw bindRefusal(refusal, grant.team, name);
  }
  // The shape a state directory's Slack credentials have: what the sync's Slack reader opens. The
  // signing secret is the app's (settings), one for every workspace, so none is stored per tenant.
  const install: SlackCredentials = {
    secrets: { botToken: grant.botToken },
    info: {
      teamId: grant.team.id,
      teamName: grant.team.name,
      domain: null,
      url: null,
      botUserId: grant.botUserId,
      connectedAt: new Date().toISOString(),
      hasSigningSecret: true,
      hasAppToken: false,
    },
  };
  await saveTenantSlackCredentials(ctx.pool, ctx.keys, { id: flow.tenantId, name }, install);
  ctx.log?.({
    level: 'info',
    event: 'slack-installed',
    message: `Workspace ${grant.team.id} installed.`,
    tenant: name,
  });
  await ctx.audit?.(req, { id: flow.tenantId, name }, 'slack.install', { teamId: grant.team.id });
  sendPage(
    res,
    200,
    'Slack connected',
    `The Slack workspace ${grant.team.name} (${grant.team.id}) is connected to ${name}. Its events now reach this server; invite the app's bot to the channels to sync.`,
    ctx.settings.publicUrl,
  );
}

/** POST disconnect: auth.revoke, then the token and the workspace binding are forgotten. */
export async function disconnectSlack(
  ctx: ConnectContext,
  req: IncomingMessage,
  tenant: Tenant,
): Promise<Disconnected> {
  const app = slackApp(ctx);
  const install = await loadTenantSlackCredentials(ctx.pool, ctx.keys, tenant);
  let revoked = false;
  let note: string | undefined;
  if (install) {
    try {
      revoked = await revokeSlackToken(app, install.secrets.botToken);
      if (!revoked) note = 'Slack said the token was no longer valid.';
    } catch (err) {
      note = `${(err as Error).message} The token was forgotten here; remove the app in the workspace (Settings → Manage apps) to be sure.`;
    }
  }
  await deleteSecret(ctx.pool, tenant.id, SLACK_SECRET);
  await unbindSlackTeam(ctx.pool, tenant.id);
  ctx.log?.({
    level: 'info',
    event: 'slack-disconnected',
    message: `Slack disconnected (revoked: ${revoked}).`,
    tenant: tenant.name,
  });
  await ctx.audit?.(req, tenant, 'slack.disconnect', { teamId: install?.info.teamId ?? null, revoked });
  return { tenant: tenant.name, disconnected: install !== undefined, revoked, ...(note ? { note } : {}) };
}
