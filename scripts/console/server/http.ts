import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidConfigError, OrgRefusedError, TightknitError } from '../../sync';
import type { ApiError, FieldError } from '../contract';

/** An answer other than 2xx, with the body the browser shows. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly actions: string[] = [],
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

/** 400 with each bad field and why. */
export function invalid(fields: FieldError[], message = 'Some values are not valid.'): HttpError {
  return new HttpError(400, 'INVALID_REQUEST', message, ['Correct the fields shown and send again.'], fields);
}

const MAX_BODY = 64 * 1024;

/** Headers every answer carries: no caching of API data, no framing, no sniffing, no referrer. */
export function baseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * The JSON body of a request. Only `application/json` is accepted: a cross-site form cannot send it
 * without a CORS preflight, which this server never answers.
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'JSON_REQUIRED', 'Send the request body as JSON (Content-Type: application/json).');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'BODY_TOO_LARGE', `The request body is over ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, 'INVALID_JSON', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Codes of the core's usage errors that mean "not now" (409) or "no such thing" (404), not "bad input". */
const CONFLICT_CODES = new Set([
  'ALREADY_RUNNING',
  'LOCK_FAILED',
  'STORE_BUSY',
  'NOT_CONNECTED',
  'CHECKS_FAILED',
  'PACKAGE_NOT_READY',
  'NOTHING_TO_REMATCH',
  'SLACK_NOT_CONNECTED',
]);
const NOT_FOUND_CODES = new Set(['RUN_NOT_FOUND']);

/**
 * Maps any error to its HTTP status and ApiError body. Core errors keep their code, message and
 * actions; "not now" (busy, checks failing) is 409; an org's refusal (auth, permissions, limits) is 502; anything unexpected is 500 without
 * internals (the console's terminal gets the stack).
 */
export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: {
        error: {
          code: err.code,
          message: err.message,
          actions: err.actions,
          ...(err.fields ? { fields: err.fields } : {}),
        },
      },
    };
  }
  if (err instanceof InvalidConfigError) {
    return {
      status: 400,
      body: {
        error: {
          code: err.code,
          message: err.message.replace(/^Invalid configuration in [^:]+:/, 'Invalid configuration:'),
          actions: ['Nothing was saved. Correct the fields shown and save again.'],
          fields: err.issues.map((i) => ({ field: i.path, reason: i.message })),
        },
      },
    };
  }
  if (err instanceof TightknitError) {
    const status = CONFLICT_CODES.has(err.code)
      ? 409
      : NOT_FOUND_CODES.has(err.code)
        ? 404
        : err instanceof OrgRefusedError
          ? 502
          : 400;
    return { status, body: { error: { code: err.code, message: err.message, actions: err.actions } } };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'UNEXPECTED',
        message: 'The console hit an unexpected error; its terminal shows the details.',
        actions: ['Try again; if it repeats, report the error shown in the terminal.'],
      },
    },
  };
}
