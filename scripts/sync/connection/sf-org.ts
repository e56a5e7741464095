import type { AuthInfo } from '@salesforce/core';
import { OrgRefusedError, TightknitError, UsageError } from '../errors';
import { SalesforceClient } from '../salesforce/client';
import { RequestLimitError, SalesforceApiError } from '../salesforce/errors';
import type { SalesforceSession } from '../salesforce/http';
import { loadSfCore } from './sf-core';

/** An org from the sf CLI's auth store, opened as the sync's Salesforce client. */
export interface SfOrgConnection {
  /** The alias or username the sf CLI knows the org by. */
  target: string;
  connection: SalesforceClient;
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

const loginAgain = (target: string): string =>
  `Log in again with the sf CLI (sf org login web --alias ${target}, or sf org login jwt for a server), then retry.`;

function sessionExpired(target: string, renewal: SfOrgConnection['renewal'], cause?: unknown): OrgRefusedError {
  const again = loginAgain(target);
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

type CoreRefresh = NonNullable<ReturnType<AuthInfo['getConnectionOptions']>['refreshFn']>;

/**
 * The sf CLI's session: renewal goes through @salesforce/core (the library that owns the sf CLI's auth
 * store), which writes the new access token back to that store, so the sf CLI and the sync share one
 * session. Its refresh function takes a jsforce connection it never reads, and answers through a callback.
 */
class SfCliSession implements SalesforceSession {
  failure: TightknitError | undefined;
  readonly reconnect: string;

  constructor(
    readonly instanceUrl: string,
    readonly version: string,
    public accessToken: string | undefined,
    private readonly target: string,
    private readonly renewal: SfOrgConnection['renewal'],
    private readonly coreRefresh: CoreRefresh | undefined,
  ) {
    this.reconnect = loginAgain(target);
  }

  renew = async (): Promise<void> => {
    const coreRefresh = this.coreRefresh;
    if (!coreRefresh) {
      this.failure = sessionExpired(this.target, this.renewal);
      throw this.failure;
    }
    try {
      this.accessToken = await new Promise<string>((resolve, reject) => {
        void coreRefresh(undefined as never, async (err, accessToken) => {
          if (err || !accessToken) reject(err ?? new Error('no access token in the answer'));
          else resolve(accessToken);
        });
      });
      this.failure = undefined;
    } catch (err) {
      this.failure = sessionExpired(this.target, this.renewal, err);
      throw this.failure;
    }
  };
}

/**
 * Opens an org the sf CLI authorized (`sf org login web|jwt|sfdx-url|access-token`) as the sync's own
 * Salesforce client; when the login cannot renew or renewal fails, the call throws (and renewalFailure()
 * keeps) the error naming the sf command that fixes it.
 */
export async function openSfOrg(target: string, version: string): Promise<SfOrgConnection> {
  const auth = await authInfoFor(target);
  const options = auth.getConnectionOptions();
  const fields = auth.getFields();
  const renewal = renewalOf(auth);
  const instanceUrl = bare(options.instanceUrl ?? fields.instanceUrl ?? '');
  const session = new SfCliSession(instanceUrl, version, options.accessToken, target, renewal, options.refreshFn);
  return {
    target,
    connection: new SalesforceClient(session),
    username: auth.getUsername(),
    instanceUrl,
    loginUrl: fields.loginUrl ? bare(fields.loginUrl) : undefined,
    clientId: fields.clientId,
    renewal,
    renewalFailure: () => session.failure,
  };
}

/** A failed first call: the org answered with an error (refused), or nothing answered (unreachable). */
function requestFailure(opened: SfOrgConnection, err: unknown): TightknitError {
  if (err instanceof RequestLimitError) return err;
  const { target, instanceUrl } = opened;
  const unanswered = err instanceof SalesforceApiError && err.status === 0;
  const code = err instanceof TightknitError && !unanswered ? err.code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (code !== undefined) {
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
  let resources: { identity?: string } | undefined;
  try {
    // One retry, not the default four with backoff: someone is waiting at `connect` for the answer.
    const quick = new SalesforceClient(opened.connection.session, { maxRetries: 1 });
    resources = await quick.request<{ identity?: string }>(`/services/data/v${version}/`);
  } catch (err) {
    throw opened.renewalFailure() ?? requestFailure(opened, err);
  }
  const m = /\/id\/([^/]+)\/([^/?]+)/.exec(resources?.identity ?? '');
  return m ? { orgId: m[1], userId: m[2] } : {};
}
