import { z } from 'zod';
import {
  getRun,
  investigateRun,
  listRuns,
  loadConfig,
  openAsyncStore,
  openConnection,
  runChecks,
  setPaused,
  storeExists,
  verifyPackage,
} from '../../sync';
import type {
  CheckReportView,
  ConfigView,
  ConnectionView,
  DisconnectView,
  FieldError,
  InvestigationView,
  RunView,
  SlackConnectView,
  SlackDisconnectView,
  VerifyView,
} from '../contract';
import { configView, saveConfig } from './config';
import { HttpError, invalid } from './http';
import type { ConsoleRunner } from './runner';
import { connectSlackWorkspace, disconnectSlackWorkspace, slackChecks } from './slack';
import { buildStatus, connectionView } from './status';

interface RouteContext {
  stateDir: string;
  runner: ConsoleRunner;
  /** The parsed JSON body (non-GET), the path's :id, the query string. */
  body: unknown;
  id?: number;
  query: URLSearchParams;
}

interface Answer {
  status: number;
  body: unknown;
}

type Handler = (ctx: RouteContext) => Promise<Answer> | Answer;

/** A 200 answer; the type argument makes tsc prove the core's result has the contract's shape. */
const ok = <T>(body: T): Answer => ({ status: 200, body });

/** zod issues as the request's own field paths. */
function fieldsOf(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((i) => {
    const at = i.path.map(String);
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ field: [...at, k].join('.'), reason: 'is not expected here' }));
    return [{ field: at.join('.') || '(body)', reason: i.message }];
  });
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw invalid(fieldsOf(result.error));
  return result.data;
}

const url = z.string().trim().url('must be a URL such as https://yourdomain.my.salesforce.com');
const text = (what: string): z.ZodString => z.string().trim().min(1, `${what} is required`);

const ConnectBody = z.discriminatedUnion(
  'method',
  [
    z
      .object({
        method: z.literal('client-credentials'),
        loginUrl: url,
        clientId: text('the consumer key'),
        clientSecret: text('the consumer secret'),
      })
      .strict(),
    z
      .object({
        method: z.literal('jwt'),
        loginUrl: url,
        clientId: text('the consumer key'),
        username: text('the integration user'),
        keyFile: text('the private key file'),
      })
      .strict(),
    z
      .object({
        method: z.literal('web'),
        loginUrl: url,
        clientId: text('the consumer key'),
        clientSecret: z.string().optional(),
        callbackUrl: url.optional(),
      })
      .strict(),
  ],
  { error: () => 'must be one of client-credentials, jwt, web' },
);

/** An optional secret: '' (a field left empty) is no value; never echoed in a reason. */
const optionalSecret = (pattern: RegExp, reason: string) =>
  z
    .string()
    .trim()
    .max(512, 'is too long for a Slack token or secret')
    .refine((v) => v === '' || pattern.test(v), reason)
    .optional()
    .transform((v) => v || undefined);

const SlackConnectBody = z
  .object({
    botToken: z
      .string({ error: () => 'the Bot User OAuth Token (xoxb-…) is required' })
      .trim()
      .max(512, 'is too long for a Slack token')
      .regex(
        /^xoxb-[A-Za-z0-9-]+$/,
        'must be the Bot User OAuth Token (xoxb-…), not a user token (xoxp-) or an app-level token (xapp-)',
      ),
    signingSecret: optionalSecret(
      /^[A-Za-z0-9-]+$/,
      'must be the signing secret as Slack shows it (letters and digits)',
    ),
    appToken: optionalSecret(/^xapp-[A-Za-z0-9-]+$/, 'must be an app-level token (xapp-…)'),
  })
  .strict();

const StartBody = z.object({ skipChecks: z.boolean().optional() }).strict();
const Empty = z.object({}).strict();
const ConfigBody = z.record(z.string(), z.unknown(), { error: () => 'must be a JSON object' });

function runIdOf(ctx: RouteContext): number {
  if (ctx.id === undefined || !Number.isSafeInteger(ctx.id) || ctx.id < 1) {
    throw invalid([{ field: 'id', reason: 'must be a run number from the sync history' }]);
  }
  if (!storeExists(ctx.stateDir)) throw new HttpError(404, 'RUN_NOT_FOUND', `There is no run ${ctx.id}.`);
  return ctx.id;
}

async function connected(ctx: RouteContext): Promise<ReturnType<typeof openConnection>> {
  return openConnection({ stateDir: ctx.stateDir, ...ctx.runner.keys });
}

async function status(ctx: RouteContext): Promise<Answer> {
  return ok(await buildStatus(ctx.stateDir, ctx.runner));
}

/** The API, by "METHOD /path" (":id" = a number in the path). */
const ROUTES: Record<string, Handler> = {
  'GET /api/status': status,

  'POST /api/connection': async (ctx) => {
    const req = parse(ConnectBody, ctx.body);
    if (req.method === 'web') {
      const authorizeUrl = await ctx.runner.connectWeb(req);
      return { status: 202, body: { authorizeUrl } };
    }
    await ctx.runner.connectNow(req);
    // The stored connection as the status shows it: no secrets, no key file path.
    return ok<{ connection: ConnectionView | null }>({ connection: connectionView(ctx.stateDir) });
  },
  'DELETE /api/connection': async (ctx) => {
    parse(Empty, ctx.body);
    return ok<DisconnectView>(await ctx.runner.disconnect());
  },
  'POST /api/connection/verify': async (ctx) => {
    parse(Empty, ctx.body);
    return ok<VerifyView>(await verifyPackage({ connection: (await connected(ctx)).connection }));
  },
  'POST /api/connection/check': async (ctx) => {
    parse(Empty, ctx.body);
    const { connection } = await connected(ctx);
    return ok<CheckReportView>(
      await runChecks({ connection, config: loadConfig(ctx.stateDir), stateDir: ctx.stateDir }),
    );
  },

  'POST /api/slack': async (ctx) => {
    const answer = await connectSlackWorkspace(ctx.stateDir, ctx.runner.keys, parse(SlackConnectBody, ctx.body));
    ctx.runner.storeChanged();
    return ok<SlackConnectView>(answer);
  },
  'DELETE /api/slack': async (ctx) => {
    parse(Empty, ctx.body);
    const answer = await disconnectSlackWorkspace(ctx.stateDir);
    ctx.runner.storeChanged();
    return ok<SlackDisconnectView>(answer);
  },
  'POST /api/slack/check': async (ctx) => {
    parse(Empty, ctx.body);
    return ok<CheckReportView>(await slackChecks(ctx.stateDir, ctx.runner.keys, loadConfig(ctx.stateDir)));
  },

  'GET /api/config': (ctx) => ok<ConfigView>(configView(loadConfig(ctx.stateDir))),
  'PUT /api/config': async (ctx) => {
    const saved = await saveConfig(ctx.stateDir, parse(ConfigBody, ctx.body), ctx.runner.keys);
    ctx.runner.storeChanged();
    return ok<ConfigView>(saved);
  },

  'POST /api/sync/start': async (ctx) => {
    const req = parse(StartBody, ctx.body);
    await ctx.runner.start(req.skipChecks === true);
    return { status: 202, body: await buildStatus(ctx.stateDir, ctx.runner) };
  },
  'POST /api/sync/rematch': async (ctx) => {
    parse(Empty, ctx.body);
    await ctx.runner.rematch();
    return { status: 202, body: await buildStatus(ctx.stateDir, ctx.runner) };
  },
  'POST /api/sync/stop': async (ctx) => {
    parse(Empty, ctx.body);
    await ctx.runner.stop();
    return status(ctx);
  },
  'POST /api/sync/pause': async (ctx) => {
    parse(Empty, ctx.body);
    await setPaused({ stateDir: ctx.stateDir, paused: true, reason: 'from the console' });
    ctx.runner.changed();
    return status(ctx);
  },
  'POST /api/sync/resume': async (ctx) => {
    parse(Empty, ctx.body);
    await setPaused({ stateDir: ctx.stateDir, paused: false });
    ctx.runner.changed();
    return status(ctx);
  },

  'GET /api/runs': async (ctx) => {
    const raw = ctx.query.get('limit') ?? '50';
    const limit = Number(raw);
    if (!/^\d+$/.test(raw) || limit < 1 || limit > 500) {
      throw invalid([{ field: 'limit', reason: 'must be a whole number from 1 to 500' }]);
    }
    if (!storeExists(ctx.stateDir)) return ok<{ runs: RunView[] }>({ runs: [] });
    const store = openAsyncStore({ stateDir: ctx.stateDir });
    try {
      return ok<{ runs: RunView[] }>({ runs: await listRuns(store, limit) });
    } finally {
      await store.close();
    }
  },
  'GET /api/runs/:id': async (ctx) => {
    const runId = runIdOf(ctx);
    const store = openAsyncStore({ stateDir: ctx.stateDir });
    try {
      return ok<InvestigationView>(await investigateRun(store, runId));
    } finally {
      await store.close();
    }
  },
  'POST /api/runs/:id/retry': async (ctx) => {
    parse(Empty, ctx.body);
    const runId = runIdOf(ctx);
    const store = openAsyncStore({ stateDir: ctx.stateDir });
    try {
      // Says "no such run" now rather than in the background.
      await getRun(store, runId);
    } finally {
      await store.close();
    }
    ctx.runner.retry(runId);
    return { status: 202, body: await buildStatus(ctx.stateDir, ctx.runner) };
  },
};

/** Finds the handler of a request: exact paths first, then paths with a numeric :id. */
function handlerOf(key: string): Handler | undefined {
  return Object.hasOwn(ROUTES, key) ? ROUTES[key] : undefined;
}

export function route(method: string, path: string): { handler: Handler; id?: number } | undefined {
  const exact = handlerOf(`${method} ${path}`);
  if (exact) return { handler: exact };
  const m = /^(.*\/)(\d+)(\/[a-z]+)?$/.exec(path);
  if (!m) return undefined;
  const handler = handlerOf(`${method} ${m[1]}:id${m[3] ?? ''}`);
  return handler ? { handler, id: Number(m[2]) } : undefined;
}

/** True when some route has this path under another method (405, not 404). */
export function pathKnown(path: string): boolean {
  const generic = path.replace(/\/\d+(\/[a-z]+)?$/, '/:id$1');
  return Object.keys(ROUTES).some((k) => k.split(' ')[1] === path || k.split(' ')[1] === generic);
}
