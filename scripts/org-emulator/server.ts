import { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRouter } from './api-routes';
import { EmulatorContext } from './context';
import { FaultPlan } from './faults';
import { ApiError } from './http/errors';
import { errorReply, Reply, send } from './http/io';
import { authorizeEndpoint } from './oauth/authorize';
import { userInfo } from './oauth/identity';
import { frontdoorPage, singleAccess } from './oauth/single-access';
import { revokeEndpoint, tokenEndpoint } from './oauth/token-endpoint';
import { DEFAULT_DAILY_API_REQUESTS } from './rest/limits';
import { supportedVersions, versionsRoute } from './rest/versions';

/**
 * The request URL with runs of slashes in its path collapsed: clients that join an instance URL ending
 * in `/` with an absolute path (the sf CLI stores `https://x.my.salesforce.com/`) send
 * `//services/data/…`, which Salesforce serves like `/services/data/…`.
 */
function requestUrl(raw: string | undefined, base: string): URL {
  const [path, query] = splitOnce(raw ?? '/', '?');
  return new URL(path.replace(/\/{2,}/g, '/') + (query === undefined ? '' : `?${query}`), base);
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * The request pipeline: OAuth endpoints, the versions list, then the authenticated API with its
 * gates in Salesforce's order — injected faults, session (401 INVALID_SESSION_ID), API Enabled
 * (403 API_CURRENTLY_DISABLED), the daily request limit (403 REQUEST_LIMIT_EXCEEDED) — and routing.
 */
export function requestHandler(emu: EmulatorContext, faults: FaultPlan) {
  const api = apiRouter();
  const bearer = (req: IncomingMessage): string | undefined =>
    /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];

  async function oauth(req: IncomingMessage, url: URL): Promise<Reply | undefined> {
    switch (url.pathname.replace(/\/$/, '')) {
      case '/services/oauth2/authorize':
        return authorizeEndpoint(emu, req, url);
      case '/services/oauth2/token':
        if (req.method !== 'POST')
          throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are POST`);
        return tokenEndpoint(emu, req);
      case '/services/oauth2/revoke':
        return revokeEndpoint(emu, req, url);
      case '/services/oauth2/singleaccess': {
        const user = emu.tokens.userFor(bearer(req) ?? '');
        if (!user) return { status: 403, body: 'Bad_OAuth_Token' };
        return singleAccess(emu, user, url);
      }
      case '/services/oauth2/userinfo': {
        const user = emu.tokens.userFor(bearer(req) ?? '');
        if (!user) return { status: 403, body: 'Bad_OAuth_Token' };
        return { status: 200, body: userInfo(emu, user) };
      }
      default:
        return undefined;
    }
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Reply | 'dropped'> {
    const org = emu.org;
    const fault = faults.nextCall(org.faults);
    if (fault === 'drop') {
      req.socket.destroy();
      return 'dropped';
    }
    if (fault === 'error')
      return { status: 503, body: [{ message: 'Service Unavailable', errorCode: 'SERVER_UNAVAILABLE' }] };
    const version = /^\/services\/data\/v(\d+\.\d)/.exec(url.pathname)?.[1] ?? '';
    if (!supportedVersions(org.schema.apiVersion).includes(version))
      throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const user = emu.tokens.userFor(bearer(req) ?? '');
    if (!user) throw new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const access = org.access(user);
    if (!access.apiEnabled) throw new ApiError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');
    if (org.faults.apiRequestLimit !== undefined && org.dailyApiRequests >= org.faults.apiRequestLimit) {
      throw new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    org.apiCalls++;
    org.dailyApiRequests++;
    // REST API "Limit Info Header": every response reports the org's API usage.
    res.setHeader(
      'Sforce-Limit-Info',
      `api-usage=${org.dailyApiRequests}/${org.faults.apiRequestLimit ?? DEFAULT_DAILY_API_REQUESTS}`,
    );
    if (faults.countAuthenticated(org.faults)) emu.tokens.expireAllAccessTokens();
    const match = api.match(req.method ?? 'GET', url.pathname);
    if (match === 'method') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed.`);
    if (!match) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return match.handler({ req, url, params: match.params, ctx: { emu, user, access } });
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req.url, emu.instanceUrl);
    try {
      if (emu.org.faults.latencyMs > 0) await sleep(emu.org.faults.latencyMs);
      let reply: Reply | 'dropped' | undefined;
      if (url.pathname.startsWith('/services/oauth2/')) reply = await oauth(req, url);
      else if (/^\/services\/data\/?$/.test(url.pathname)) reply = versionsRoute(emu.org.schema.apiVersion);
      else if (url.pathname.startsWith('/services/data/')) reply = await serveApi(req, res, url);
      else if (url.pathname === '/secur/frontdoor.jsp') reply = frontdoorPage(emu, url);
      else if (/^\/id\/[^/]+\/[^/]+$/.test(url.pathname)) {
        const user = emu.tokens.userFor(bearer(req) ?? '');
        reply = user ? { status: 200, body: userInfo(emu, user) } : { status: 403, body: 'Bad_OAuth_Token' };
      }
      if (reply === 'dropped') return;
      send(
        res,
        reply ?? { status: 404, body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }] },
      );
    } catch (e) {
      if (!res.headersSent) send(res, errorReply(e));
      else res.destroy();
    }
  };
}
