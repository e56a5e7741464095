import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Shapes of secrets that could reach a message: Slack tokens, Salesforce session ids (org id + '!'),
 * bearer headers, passwords in URLs, key=value pairs with a secret-sounding key, and long base64 keys.
 */
const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, '[redacted session]'],
  [/\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/!=-]+/gi, '$1 [redacted]'],
  [/(\/\/[^/\s:@]+):[^@\s/]+@/g, '$1:[redacted]@'],
  [
    /\b((?:access|refresh|id)_?token|client_?secret|password|secret|signing_?secret|api_?key)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
    '$1$2[redacted]',
  ],
];

/** `text` with anything shaped like a secret replaced; used on every message a worker logs or stores. */
export function scrub(text: string): string {
  return SECRET_SHAPES.reduce((t, [shape, replacement]) => t.replace(shape, replacement), text);
}

/** Field names whose values never reach a log line, wherever they sit in a logged object (two levels). */
const SECRET_KEYS = [
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'botToken',
  'clientSecret',
  'client_secret',
  'password',
  'secret',
  'signingSecret',
  'masterKey',
  'authorization',
  'headers.authorization',
];
const REDACT = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)];

function scrubValues(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = typeof v === 'string' ? scrub(v) : v;
  return out;
}

/** What a process's log may hold in memory while its output is not being read; past it, lines are dropped. */
const LOG_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * stdout for the log, written without ever blocking the process. A synchronous write to a pipe whose
 * reader has stopped (a full pipe, a paused log shipper) would stop the worker's event loop with its
 * transactions open and its heartbeat silent; pino's synchronous destination even retries such a write
 * recursively, and after about 5 minutes the pass that logged fails with `Maximum call stack size
 * exceeded` (the first full-size bench:tenants run, 2026-12-06). Here the lines wait in memory (up to
 * LOG_BUFFER_BYTES) and are written as the reader takes them; beyond that they are dropped (reportDrops
 * counts them). pino flushes what is left when the process exits.
 */
function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES });
}

/**
 * Counts the lines `stream` drops; once the output is read again and its buffer has emptied, one
 * warning says how many.
 */
function reportDrops(log: Logger, stream: DestinationStream): void {
  const events = stream as unknown as NodeJS.EventEmitter;
  let dropped = 0;
  events.on('drop', () => {
    dropped += 1;
  });
  events.on('drain', () => {
    if (dropped === 0) return;
    const count = dropped;
    dropped = 0;
    setImmediate(() =>
      log.warn({ dropped: count }, 'log lines dropped: nothing read this process’s output for a while'),
    );
  });
}

/**
 * The server processes' logger: JSON lines (pino) on stdout, never blocking (stdoutDestination), or on
 * `destination` (tests). Known secret fields are censored, messages and string fields are scrubbed of
 * secret shapes, and errors are logged as their code and scrubbed message (a stack or a cause could
 * carry a request's headers).
 */
export function createLogger(destination?: DestinationStream, level = 'info'): Logger {
  const own = destination === undefined ? stdoutDestination() : undefined;
  const log = pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        err: (err: unknown) => {
          const e = err as { name?: string; code?: unknown; message?: unknown };
          return { type: e.name, code: e.code, message: scrub(String(e.message ?? err)) };
        },
      },
      formatters: { log: scrubValues },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    own ?? destination,
  );
  if (own) reportDrops(log, own);
  return log;
}
