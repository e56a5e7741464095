import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Connection } from '@jsforce/jsforce-node';
import { OrgRefusedError } from '../errors';
import { parseRestError, RequestLimitError, SalesforceApiError } from './errors';

/** How the client retries: bounded, with exponential backoff. */
export interface RetryPolicy {
  /** Retries after a 5xx answer or a dropped connection (default 4). */
  maxRetries: number;
  /** First wait before a retry (default 500 ms); doubles each time. */
  backoffMs: number;
  /** Longest wait between two retries (default 15 s). */
  maxBackoffMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, backoffMs: 500, maxBackoffMs: 15_000 };

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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

/**
 * The one way the sync talks to Salesforce. It borrows the jsforce Connection's instance URL, API
 * version, access token and token refresh (so a refreshed token reaches whoever persists it through the
 * connection's 'refresh' event), and adds what the push needs on top: streamed request and response
 * bodies, bounded retries with backoff on 5xx and dropped connections, one refresh on 401, Salesforce's
 * REQUEST_LIMIT_EXCEEDED turned into a clean stop, and a count of every call made.
 */
export class SalesforceHttp {
  /** API calls sent by this client, including retried ones (what the org's limit counts). */
  calls = 0;
  readonly retry: RetryPolicy;

  constructor(
    readonly conn: Connection,
    retry: Partial<RetryPolicy> = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  /** `https://host/services/data/vNN.N` */
  get dataUrl(): string {
    return `${this.conn.instanceUrl}/services/data/v${this.conn.version}`;
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
        ? this.conn.instanceUrl + path
        : this.dataUrl + path;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
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
      if (status === 401) {
        const delegate = this.conn._refreshDelegate;
        if (!refreshed && delegate) {
          refreshed = true;
          try {
            await delegate.refresh(started);
          } catch (err) {
            throw new OrgRefusedError(
              'SESSION_REFRESH_FAILED',
              `The access token expired and could not be refreshed: ${(err as Error).message}`,
              {
                actions: ['Run `tightknit-sync connect` again to authorize the org.'],
                cause: err,
              },
            );
          }
          attempt--; // a refresh is not a retry
          continue;
        }
        throw new OrgRefusedError(
          body?.errorCode ?? 'INVALID_SESSION_ID',
          `Salesforce refused the session: ${body?.message ?? text}`,
          {
            actions: ['Run `tightknit-sync connect` again to authorize the org.'],
          },
        );
      }
      if (status === 403 && body?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
        const retryAfter = new Date(Date.now() + 60 * 60_000);
        throw new RequestLimitError(
          `The org has used up its API request allowance (REQUEST_LIMIT_EXCEEDED: ${body.message}). The run stopped; nothing was lost.`,
          retryAfter,
        );
      }
      if ((status >= 500 || status === 429) && options.retry !== false && attempt < this.retry.maxRetries) {
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

  private backoff(attempt: number): number {
    return Math.min(this.retry.maxBackoffMs, this.retry.backoffMs * 2 ** attempt);
  }

  private attempt(method: string, url: string, options: RequestOptions): Promise<IncomingMessage> {
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    const headers: OutgoingHttpHeaders = {
      Authorization: `Bearer ${this.conn.accessToken ?? ''}`,
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
      req.on('error', (err) => reject(new ConnectionFailure(err.message, { cause: err })));
      if (file) {
        sendFile(req, file).catch((err: unknown) => req.destroy(err as Error));
      } else {
        req.end(payload);
      }
    });
  }
}
