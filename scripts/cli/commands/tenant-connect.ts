import type { Command } from 'commander';
import { REQUIRED_SLACK_SCOPES, type AuthMethod, type CheckReport } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { cliSupport, serverModule, withStateLocation, type StateLocation } from '../server-mode';

/**
 * The connection commands on a tenant (`--database` with `--tenant`): the same output as for a state
 * directory, the credentials sealed in the database, each change in the audit trail as `cli:<os user>`.
 */

type Tenanted = Extract<StateLocation, { kind: 'tenant' }>;

function onTenant<T>(cmd: Command, fn: (where: Tenanted) => Promise<T>): Promise<T | undefined> {
  return withStateLocation(cmd, (where) => (where.kind === 'tenant' ? fn(where) : Promise.resolve(undefined)));
}

function progress(opts: GlobalOptions): (line: string) => void {
  return (line) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
}

export interface TenantConnectFlags {
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  callbackUrl?: string;
  openUrl?: (url: string) => void;
}

/** `connect --tenant`: the web login (or client credentials), stored sealed for every worker. */
export async function connectTenant(cmd: Command, method: AuthMethod, flags: TenantConnectFlags): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  await onTenant(cmd, async ({ pool, tenant }) => {
    const support = cliSupport();
    const info = await support.connectTenantOrg(pool, serverModule().resolveMasterKeys(), tenant, {
      method,
      loginUrl: flags.loginUrl,
      clientId: flags.clientId,
      clientSecret: flags.clientSecret,
      callbackUrl: flags.callbackUrl,
      openUrl: flags.openUrl,
      onProgress: progress(opts),
    });
    await support.auditCli(pool, tenant.id, 'connect', {
      method,
      org: info.orgId,
      instanceUrl: info.instanceUrl,
      username: info.username ?? null,
    });
    printResult(opts, { connected: true, tenant: tenant.name, ...info }, () =>
      [
        `Connected to ${info.instanceUrl} as ${info.username ?? 'the integration user'} (${method}).`,
        `Tokens stored sealed with tenant '${tenant.name}'s data key in the database; every worker can use them.`,
        `Next: tightknit-sync check --tenant ${tenant.name}, then tightknit-sync start --tenant ${tenant.name}.`,
      ].join('\n'),
    );
  });
}

/** `disconnect --tenant`: the token revoked at the org, the sealed credentials deleted. */
export async function disconnectTenant(cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  await onTenant(cmd, async ({ pool, tenant }) => {
    const support = cliSupport();
    const r = await support.disconnectTenantOrg(pool, serverModule().resolveMasterKeys(), tenant);
    await support.auditCli(pool, tenant.id, 'disconnect', {
      instanceUrl: r.instanceUrl,
      revoked: r.revoked,
      ...(r.note ? { note: r.note } : {}),
    });
    printResult(opts, r, () =>
      [
        `Disconnected from ${r.instanceUrl}${r.username ? ` (${r.username})` : ''}.`,
        r.revoked ? 'The token was revoked at the org.' : (r.note ?? 'No token to revoke.'),
        `Stored credentials deleted; tenant '${tenant.name}'s store and sync history are kept.`,
      ].join('\n'),
    );
  });
}

/** `connect-slack --tenant`: the bot token from the environment, checked, bound and stored sealed. */
export async function connectSlackTenant(cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  await onTenant(cmd, async ({ pool, tenant }) => {
    const support = cliSupport();
    const r = await support.connectTenantSlack(pool, serverModule().resolveMasterKeys(), tenant, {
      onProgress: progress(opts),
    });
    await support.auditCli(pool, tenant.id, 'slack.install', { teamId: r.info.teamId, teamName: r.info.teamName });
    const missing = r.scopes ? REQUIRED_SLACK_SCOPES.map((s) => s.scope).filter((s) => !r.scopes?.includes(s)) : [];
    printResult(
      opts,
      { connected: true, tenant: tenant.name, ...r.info, scopes: r.scopes, missingScopes: missing },
      () =>
        [
          `Connected Slack workspace ${r.info.teamName} (${r.info.teamId}${r.info.domain ? `, ${r.info.domain}.slack.com` : ''}).`,
          `Bot token stored sealed with tenant '${tenant.name}'s data key in the database.`,
          "Events: through serve's /slack/events, verified with the app's signing secret (TIGHTKNIT_SLACK_SIGNING_SECRET).",
          missing.length
            ? `Missing bot token scopes: ${missing.join(', ')} — \`tightknit-sync check --tenant ${tenant.name}\` says how to add each.`
            : `Next: tightknit-sync check --tenant ${tenant.name}.`,
        ].join('\n'),
    );
  });
}

/** `disconnect-slack --tenant`: auth.revoke, then the token and the workspace binding forgotten. */
export async function disconnectSlackTenant(cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  await onTenant(cmd, async ({ pool, tenant }) => {
    const support = cliSupport();
    const r = await support.disconnectTenantSlack(pool, serverModule().resolveMasterKeys(), tenant);
    if (r.disconnected) {
      await support.auditCli(pool, tenant.id, 'slack.disconnect', {
        teamId: r.teamId,
        revoked: r.revoked,
        ...(r.note ? { note: r.note } : {}),
      });
    }
    printResult(opts, r, () =>
      r.disconnected
        ? [
            `Disconnected Slack workspace ${r.teamName ?? ''} (${r.teamId ?? 'unknown'}): stored token deleted.`,
            r.revoked ? 'The token was revoked at Slack (auth.revoke).' : (r.note ?? 'No token to revoke.'),
          ].join('\n')
        : 'No Slack workspace was connected.',
    );
  });
}

/** `check --tenant`: the embedded connection test against the tenant's org and workspace, shown by `show`. */
export async function checkTenantConnection(
  cmd: Command,
  includePrivate: boolean | undefined,
  show: (report: CheckReport) => void,
): Promise<void> {
  await onTenant(cmd, async ({ pool, tenant }) =>
    show(await cliSupport().checkTenant(pool, serverModule().resolveMasterKeys(), tenant, { includePrivate })),
  );
}
