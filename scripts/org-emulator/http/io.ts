import { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { ApiError, OAuthError } from './errors';

/** What a route handler answers. */
export interface Reply {
  status: number;
  /** JSON-serialised unless a string, Buffer or stream. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Reads a whole request body (JSON and form requests are small); rejects beyond `limit` bytes. */
async function readBody(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, 'REQUEST_ENTITY_TOO_LARGE', `Request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request body as the REST API does (JSON_PARSER_ERROR on bad JSON). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`);
  }
}

/** Parses an application/x-www-form-urlencoded body. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, 1024 * 1024));
}

/** Writes a reply; streams are piped. */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  const { body } = reply;
  if (body instanceof Readable) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/csv', ...headers });
    body.pipe(res);
    return;
  }
  if (body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const isText = typeof body === 'string' || Buffer.isBuffer(body);
  const payload = isText ? body : JSON.stringify(body);
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? (isText ? 'text/plain; charset=UTF-8' : 'application/json;charset=UTF-8'),
    'Content-Length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

/** Turns a thrown error into the reply Salesforce would give. */
export function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return { status: e.status, body: e.body() };
  if (e instanceof OAuthError) return { status: e.status, body: { error: e.error, error_description: e.description } };
  return {
    status: 500,
    body: [{ message: `An unexpected error occurred: ${(e as Error).message}`, errorCode: 'UNKNOWN_EXCEPTION' }],
  };
}
