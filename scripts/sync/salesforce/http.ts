import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { OrgRefusedError, TightknitError } from '../errors';
import { parseRestError, RECONNECT, refusalOf, SalesforceApiError, type RestErrorBody } from './errors';

/** How the client retries: bounded, with exponential backoff. */
export interface RetryPolicy {
  /** Retries after a 5xx answer or a dropped connection (default 4). */
  maxRetries: number;
  /** First wait before a retry (default 500 ms); doubles each time. */
  backoffMs: number;
  /** Longest wait between two retries (default 15 s). */
  maxBackoffMs: number;
  /** Silence before an answer starts after which the request counts as dropped (default 5 min). */
  answerTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 4,
  backoffMs: 500,
  maxBackoffMs: 15_000,
  answerTimeoutMs: 300_000,
};

/** The wait before retry number `attempt + 1`: exponential, capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** attempt);
}

/**
 * Where requests go and with which token: the org's instance URL, the API version and the current access
 * token. `renew`, when present, gets a new access token (it replaces `accessToken`) and throws a
 * TightknitError that names the fix when it cannot; the client calls it once after a 401. A session
 * without `renew` cannot outlive its token (a test's, or an sf CLI access-token login).
 */
export interface SalesforceSession {
  readonly instanceUrl: string;
  readonly version: string;
  readonly accessToken?: string | null;
  renew?: () => Promise<void>;
  /** What fixes a session the org refuses (default: run `tightknit-sync connect` again). */
  readonly reconnect?: string;
}

/** A request body that can be produced again for a retry. */
type Body = { json: unknown } | { text: string; contentType: string } | { file: string; contentType: string };

export interface RequestOptions {
  body?: Body;
  accept?: string;
  /** false for calls that must never be sent twice (they create records). Default true. */
  retry?: boolean;
  /** Told the answer's headers (e.g. the org's `Date`, its own clock) before the body is read. */
  onHeaders?: (headers: IncomingMessage['headers']) => void;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** Waits `ms`; an abort ends the wait at once with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Bytes of an upload read from its file at a time. */
const UPLOAD_CHUNK = 256 * 1024;

/**
 * Writes a file as a request body through one reused buffer: the next piece is read only once the
 * previous one has been handed to the socket. (A piped read stream allocates a new buffer per piece;
 * over a 100 MB upload those sat as ~35 MB of external memory until V8 got round to collecting them.)
 */
async function sendFile(req: http.ClientRequest, file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(UPLOAD_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      await new Promise<void>((resolve, reject) =>
        req.write(buffer.subarray(0, bytesRead), (err) => (err ? reject(err) : resolve())),
      );
    }
    req.end();
  } finally {
    await handle.close();
  }
}

/** A network-level failure: no answer at all. Retried like a 5xx. */
class ConnectionFailure extends Error {}

/** Row-lock conflicts Salesforce answers with a 4xx although a later attempt usually succeeds. */
const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);

/** One renewal per session at a time: calls that meet a 401 together (from any client over it) share it. */
const renewals = new WeakMap<SalesforceSession, Promise<void>>();

/** A renewal the org refused (exit 3), with the access token it was meant to replace. */
const refusedRenewals = new WeakMap<SalesforceSession, { token: string | null | undefined; error: TightknitError }>();

/** The one retry rule: 5xx, 429 (too many concurrent requests) and a row-lock conflict are worth another try. */
export function retryable(status: number, body: RestErrorBody | undefined): boolean {
  return status >= 500 || status === 429 || (body !== undefined && TRANSIENT_CODES.has(body.errorCode));
}

/**
 * The one way the sync talks to Salesforce: every REST, query, describe, Composite and Bulk 2.0 call goes
 * through `send`, with one retry policy (bounded retries with exponential backoff on 5xx, 429, a lock
 * conflict and dropped connections, for calls that are safe to repeat), one renewal of the access token on
 * a 401 (through the session, i.e. our own token-endpoint code), one error mapping (salesforce/errors.ts:
 * REQUEST_LIMIT_EXCEEDED becomes a clean stop, a refused session an OrgRefusedError naming the fix), and a
 * count of every call made. Streamed request and response bodies keep large Bulk uploads out of memory.
 */
export class SalesforceHttp {
  /** API calls sent by this client, including retried ones (what the org's limit counts). */
  calls = 0;
  readonly retry: RetryPolicy;

  constructor(
    readonly session: SalesforceSession,
    retry: Partial<RetryPolicy> = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  /** `https://host/services/data/vNN.N` */
  get dataUrl(): string {
    return `${this.session.instanceUrl}/services/data/v${this.session.version}`;
  }

  /** Sends a request and parses a JSON answer (undefined for 201/204 without a body). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, path, { accept: 'application/json', ...options });
      options.onHeaders?.(res.headers);
      let text: string;
      try {
        text = await readText(res);
      } catch (err) {
        // The answer was cut off half-way: only calls that are safe to repeat are sent again.
        if (options.retry !== false && attempt < this.retry.maxRetries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new SalesforceApiError(
          0,
          'CONNECTION_FAILED',
          `The answer to ${method} ${path} was cut off: ${(err as Error).message}`,
          err,
        );
      }
      return (text.length === 0 ? undefined : JSON.parse(text)) as T;
    }
  }

  /**
   * Sends a request and returns the answer's body as a stream for a 2xx status; errors become
   * SalesforceApiError / OrgRefusedError. The caller must consume the stream.
   */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const url = path.startsWith('http')
      ? path
      : path.startsWith('/services/')
        ? this.session.instanceUrl + path
        : this.dataUrl + path;
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = this.session.accessToken;
      let res: IncomingMessage;
      try {
        res = await this.attempt(method, url, options);
      } catch (err) {
        if (options.retry !== false && attempt < this.retry.maxRetries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new SalesforceApiError(
          0,
          'CONNECTION_FAILED',
          `No answer from Salesforce for ${method} ${path} after ${attempt + 1} attempt(s): ${(err as Error).message}`,
          err,
        );
      }
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return res;
      const text = await readText(res);
      const body = parseRestError(text);
      if (status === 401 && !renewed) {
        renewed = true;
        // Another call may have renewed the token while this one was under way: then just send it again.
        if (this.session.accessToken === token) await this.renew();
        if (this.session.accessToken !== token) {
          attempt--; // a renewal is not a retry
          continue;
        }
      }
      const refusal = refusalOf(status, body, text, this.session.reconnect);
      if (refusal) throw refusal;
      if (retryable(status, body) && options.retry !== false && attempt < this.retry.maxRetries) {
        await sleep(this.backoff(attempt));
        continue;
      }
      throw new SalesforceApiError(
        status,
        body?.errorCode ?? `HTTP_${status}`,
        body?.message ?? (text.slice(0, 500) || `HTTP ${status}`),
      );
    }
  }

  private async renew(): Promise<void> {
    const session = this.session;
    const renew = session.renew;
    if (!renew) return;
    // The org refused to renew this very token already: the other calls that got a 401 with it take
    // that answer instead of asking the login server again.
    const refused = refusedRenewals.get(session);
    if (refused && refused.token === session.accessToken) throw refused.error;
    const token = session.accessToken;
    let renewing = renewals.get(session);
    if (!renewing) {
      renewing = renew
        .call(session)
        .catch((err: unknown) => {
          const error =
            err instanceof TightknitError
              ? err
              : new OrgRefusedError(
                  'SESSION_REFRESH_FAILED',
                  `The access token expired and could not be renewed: ${(err as Error).message}`,
                  { actions: [session.reconnect ?? RECONNECT], cause: err },
                );
          if (error.exitCode === 3) refusedRenewals.set(session, { token, error });
          throw error;
        })
        .finally(() => renewals.delete(session));
      renewals.set(session, renewing);
    }
    await renewing;
  }

  private backoff(attempt: number): number {
    return backoffDelay(this.retry, attempt);
  }

  private attempt(method: string, url: string, options: RequestOptions): Promise<IncomingMessage> {
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    const headers: OutgoingHttpHeaders = {
      Authorization: `Bearer ${this.session.accessToken ?? ''}`,
      Accept: options.accept ?? 'application/json',
    };
    let payload: string | undefined;
    let file: string | undefined;
    const body = options.body;
    if (body && 'json' in body) {
      payload = JSON.stringify(body.json);
      headers['Content-Type'] = 'application/json; charset=UTF-8';
      headers['Content-Length'] = Buffer.byteLength(payload);
    } else if (body && 'text' in body) {
      payload = body.text;
      headers['Content-Type'] = body.contentType;
      headers['Content-Length'] = Buffer.byteLength(payload);
    } else if (body && 'file' in body) {
      file = body.file;
      headers['Content-Type'] = body.contentType;
      headers['Content-Length'] = statSync(file).size;
    }
    this.calls++;
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        target,
        { method, headers, agent: isHttps ? agents.https : agents.http },
        (res) => resolve(res),
      );
      // A server that takes the request and never answers: give up after answerTimeoutMs of silence (the
      // same failure as a dropped connection, so retried). Once the answer starts, the caller reads its
      // body at its own pace.
      const timeout = this.retry.answerTimeoutMs;
      req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout / 1000} s`)));
      req.on('response', () => req.setTimeout(0));
      req.on('error', (err) => reject(new ConnectionFailure(err.message, { cause: err })));
      if (file) {
        sendFile(req, file).catch((err: unknown) => req.destroy(err as Error));
      } else {
        req.end(payload);
      }
    });
  }
}
