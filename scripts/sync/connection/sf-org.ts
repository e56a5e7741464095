import { Connection } from '@jsforce/jsforce-node';
import type { AuthInfo } from '@salesforce/core';
import { OrgRefusedError, TightknitError, UsageError } from '../errors';
import { loadSfCore } from './sf-core';

/** An org from the sf CLI's auth store, opened as a jsforce Connection. */
export interface SfOrgConnection {
  /** The alias or username the sf CLI knows the org by. */
  target: string;
  connection: Connection;
  username: string;
  instanceUrl: string;
  loginUrl?: string;
  clientId?: string;
  /** How the sf CLI renews this authorization: a refresh token, a JWT assertion, or not at all. */
  renewal: 'refresh-token' | 'jwt' | 'none';
  /** Why the last renewal failed, as a TightknitError with the sf command that fixes it. */
  renewalFailure: () => TightknitError | undefined;
}

/** A base URL without its trailing slash (the sf CLI stores `https://x.my.salesforce.com/` for some logins). */
const bare = (url: string): string => url.replace(/\/+$/, '');

/**
 * The sf CLI's authorization for an alias or username. The store is read afresh every time: an admin
 * may run `sf org login` again while a long-lived process (console, `start`) holds an old copy.
 */
async function authInfoFor(target: string): Promise<AuthInfo> {
  const { AuthInfo, StateAggregator } = await loadSfCore();
  await StateAggregator.clearInstanceAsync();
  let username = target;
  let known = false;
  try {
    const state = await StateAggregator.getInstance();
    username = state.aliases.resolveUsername(target);
    // read() answers null for a username without an auth file (exists() only knows files already read).
    known = (await state.orgs.read(username, false, true)) !== null;
  } catch (err) {
    // No ~/.sfdx yet: the sf CLI has never logged in to anything on this machine.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(`The sf CLI's auth store`, target, err);
  }
  if (!known) {
    throw new UsageError('SF_ORG_NOT_FOUND', `The sf CLI knows no org "${target}" (no such alias or username).`, {
      actions: [
        'Run `sf org list` to see the aliases and usernames the sf CLI has authorized.',
        `Or authorize it first: sf org login web --alias ${target} (add --instance-url for a sandbox or My Domain).`,
      ],
    });
  }
  try {
    return await AuthInfo.create({ username });
  } catch (err) {
    throw unreadable(`The sf CLI's login for "${target}"`, target, err);
  }
}

function unreadable(what: string, target: string, cause: unknown): UsageError {
  return new UsageError('SF_STORE_UNREADABLE', `${what} could not be read: ${(cause as Error).message}`, {
    actions: [
      'Run `sf org list` to see what the sf CLI reports about its logins.',
      `Log in again with sf org login web --alias ${target}, then retry.`,
    ],
    cause,
  });
}

function renewalOf(auth: AuthInfo): SfOrgConnection['renewal'] {
  if (auth.isAccessTokenFlow()) return 'none';
  return auth.isJwt() ? 'jwt' : 'refresh-token';
}

function sessionExpired(target: string, renewal: SfOrgConnection['renewal'], cause?: unknown): OrgRefusedError {
  const again = `Log in again with the sf CLI (sf org login web --alias ${target}, or sf org login jwt for a server), then retry.`;
  if (renewal === 'none') {
    return new OrgRefusedError(
      'SF_SESSION_EXPIRED',
      `The sf CLI's session for "${target}" expired, and it cannot renew itself: it was made from an access token (sf org login access-token).`,
      { actions: [again, 'A login with a refresh token (web, sfdx-url) or a JWT key renews itself.'] },
    );
  }
  const why = cause instanceof Error ? cause.message : String(cause);
  return new OrgRefusedError('SF_RENEWAL_FAILED', `The sf CLI could not renew its session for "${target}": ${why}`, {
    actions: [again],
    cause,
  });
}

/**
 * Opens an org the sf CLI authorized (`sf org login web|jwt|sfdx-url|access-token`) as a jsforce
 * Connection of the sync's own jsforce. Renewal goes through @salesforce/core, which writes the new
 * access token back to the sf CLI's store (so the sf CLI and the sync share one session); when the
 * login cannot renew or renewal fails, renewalFailure() says which sf command fixes it.
 */
export async function openSfOrg(target: string, version: string): Promise<SfOrgConnection> {
  const auth = await authInfoFor(target);
  const options = auth.getConnectionOptions();
  const fields = auth.getFields();
  const renewal = renewalOf(auth);
  const coreRefresh = options.refreshFn;
  let failure: TightknitError | undefined;
  const instanceUrl = bare(options.instanceUrl ?? fields.instanceUrl ?? '');
  const connection = new Connection({
    instanceUrl,
    accessToken: options.accessToken,
    version,
    refreshFn: (conn, callback) => {
      if (!coreRefresh) {
        failure = sessionExpired(target, renewal);
        return void callback(failure);
      }
      // @salesforce/core's refresh persists the new token to the sf CLI's store, then hands it to jsforce;
      // it reads nothing from the connection it is given (its own Connection type is a jsforce subclass).
      void coreRefresh(conn as unknown as Parameters<typeof coreRefresh>[0], async (err, accessToken, res) => {
        failure = err ? sessionExpired(target, renewal, err) : undefined;
        callback(failure ?? null, accessToken, res as never);
      });
    },
  });
  return {
    target,
    connection,
    username: auth.getUsername(),
    instanceUrl,
    loginUrl: fields.loginUrl ? bare(fields.loginUrl) : undefined,
    clientId: fields.clientId,
    renewal,
    renewalFailure: () => failure,
  };
}

/** A failed first call: the org answered with an error (refused), or nothing answered (unreachable). */
function requestFailure(opened: SfOrgConnection, err: unknown): TightknitError {
  if (err instanceof TightknitError) return err;
  const { target, instanceUrl } = opened;
  const code = (err as { errorCode?: unknown }).errorCode;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string') {
    return new OrgRefusedError(code, `The org refused the sf CLI's session for "${target}": ${message}`, {
      actions: [
        `Log in again with sf org login web --alias ${target}, then retry.`,
        'If it persists, check the user has "API Enabled" (the package cannot grant it).',
      ],
      cause: err,
    });
  }
  return new UsageError(
    'SF_ORG_UNREACHABLE',
    `Could not reach ${instanceUrl}, the sf CLI's org "${target}": ${message}`,
    {
      actions: [
        `Check your network or proxy; \`sf org display --target-org ${target}\` shows the URL the sf CLI stored.`,
      ],
      cause: err,
    },
  );
}

/**
 * Confirms the session works with one REST call (renewing it first when it expired) and reads who it
 * is from the identity URL the version's resource list carries (`…/id/<org id>/<user id>`).
 */
export async function whoAmI(opened: SfOrgConnection, version: string): Promise<{ orgId?: string; userId?: string }> {
  let resources: { identity?: string };
  try {
    // One retry, not jsforce's five with backoff (15 s): someone is waiting at `connect` for the answer.
    resources = await opened.connection.request<{ identity?: string }>(`/services/data/v${version}/`, {
      retry: { maxRetries: 1 },
    });
  } catch (err) {
    throw opened.renewalFailure() ?? requestFailure(opened, err);
  }
  const m = /\/id\/([^/]+)\/([^/?]+)/.exec(resources.identity ?? '');
  return m ? { orgId: m[1], userId: m[2] } : {};
}
