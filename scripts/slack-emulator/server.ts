import { IncomingMessage, ServerResponse } from 'node:http';
import { Args } from './api/args';
import type { WebApi } from './api/dispatch';
import type { PageReply } from './oauth/install';

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Arguments from the query string and the body, form-encoded (what WebClient sends) or JSON. */
async function readArgs(req: IncomingMessage, url: URL): Promise<Args> {
  const args: Args = Object.fromEntries(url.searchParams);
  if (req.method !== 'POST') return args;
  const text = await readBody(req);
  if (!text) return args;
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const json = JSON.parse(text) as Record<string, unknown>;
    for (const [k, v] of Object.entries(json)) {
      if (v !== undefined && v !== null) args[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return args;
  }
  for (const [k, v] of new URLSearchParams(text)) args[k] = v;
  return args;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

/** The authorize page: GET with the query, POST with its form. */
async function authorizeRoute(
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  page: (method: string, params: URLSearchParams) => PageReply,
): Promise<void> {
  const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
  const reply = page(req.method ?? 'GET', params);
  res.writeHead(reply.status, { 'Content-Length': String(Buffer.byteLength(reply.body)), ...reply.headers });
  res.end(reply.body);
}

/**
 * Routes `/api/<method>` to the Web API and `/oauth/v2/authorize` to the install page; anything else is
 * a 404 like slack.com's.
 */
export function requestHandler(
  api: Pick<WebApi, 'call'>,
  authorizePage: (method: string, params: URLSearchParams) => PageReply,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/oauth/v2/authorize') {
      await authorizeRoute(req, url, res, authorizePage).catch(() => res.writeHead(400).end());
      return;
    }
    const m = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
    if (!m) {
      sendJson(res, 404, { ok: false, error: 'unknown_method' });
      return;
    }
    let args: Args;
    try {
      args = await readArgs(req, url);
    } catch (e) {
      sendJson(res, 200, { ok: false, error: 'invalid_form_data', detail: (e as Error).message });
      return;
    }
    try {
      const reply = api.call(m[1], args, req.headers.authorization);
      sendJson(res, reply.status, reply.body, reply.headers);
    } catch (e) {
      sendJson(res, 500, { ok: false, error: 'internal_error', detail: (e as Error).message });
    }
  };
}
