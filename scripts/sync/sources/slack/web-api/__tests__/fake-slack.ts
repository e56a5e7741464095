import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LogLevel, WebClient } from '@slack/web-api';

/**
 * A Slack Web API answering from memory through WebClient's `fetch` seam: enough of team.info,
 * users.list/info, conversations.list/history/replies (cursor pages, oldest/latest exclusive, a page
 * cap like the 2025 non-Marketplace limit) to test the reader without a server. The full emulator
 * (scripts/slack-emulator) is used by the integration tests.
 */
export interface FakeMessage {
  ts: string;
  thread_ts?: string;
  subtype?: string;
  [key: string]: unknown;
}

export interface FakeWorkspace {
  team: { id: string; name: string; domain: string; icon?: Record<string, unknown> };
  users: unknown[];
  channels: Array<{ id: string; name: string; is_private?: boolean; is_member?: boolean }>;
  messages: Record<string, FakeMessage[]>;
}

export interface FakeOptions {
  /** Most items a page holds whatever `limit` asks (Slack's own caps; 15 for history in marketplace mode). */
  maxPage?: number;
  /** Slack errors to answer: by method, or by "method:channel". */
  errors?: Record<string, { error: string; needed?: string }>;
  /** Methods answered once with HTTP 429 and this Retry-After (seconds). */
  rateLimitOnce?: Record<string, number>;
}

export interface FakeSlack {
  client: WebClient;
  calls: Record<string, number>;
  ws: FakeWorkspace;
  total(): number;
}

const byTsDesc = (a: FakeMessage, b: FakeMessage): number => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0);

function isTopLevel(m: FakeMessage): boolean {
  return !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast';
}

function page<T>(items: T[], params: URLSearchParams, cap: number): { items: T[]; next: string } {
  const start = Number(params.get('cursor') ?? 0);
  const limit = Math.min(Number(params.get('limit') ?? 100), cap);
  const slice = items.slice(start, start + limit);
  return { items: slice, next: start + limit < items.length ? String(start + limit) : '' };
}

export function fakeSlack(ws: FakeWorkspace, opts: FakeOptions = {}): FakeSlack {
  const calls: Record<string, number> = {};
  const limited = new Map(Object.entries(opts.rateLimitOnce ?? {}));
  const cap = opts.maxPage ?? 1000;

  const answer = (method: string, p: URLSearchParams): Record<string, unknown> => {
    const err = opts.errors?.[`${method}:${p.get('channel') ?? ''}`] ?? opts.errors?.[method];
    if (err) return { ok: false, ...err };
    switch (method) {
      case 'team.info':
        return { ok: true, team: ws.team };
      case 'users.list': {
        const { items, next } = page(ws.users, p, cap);
        return { ok: true, members: items, response_metadata: { next_cursor: next } };
      }
      case 'users.info': {
        const user = ws.users.find((u) => (u as { id: string }).id === p.get('user'));
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.list': {
        const types = (p.get('types') ?? 'public_channel').split(',');
        const chans = ws.channels
          .filter((c) => types.includes(c.is_private ? 'private_channel' : 'public_channel'))
          .map((c) => ({ ...c, is_private: c.is_private ?? false, is_member: c.is_member ?? true }));
        const { items, next } = page(chans, p, cap);
        return { ok: true, channels: items, response_metadata: { next_cursor: next } };
      }
      case 'conversations.history': {
        const channel = p.get('channel') ?? '';
        if (!ws.channels.some((c) => c.id === channel)) return { ok: false, error: 'channel_not_found' };
        const oldest = p.get('oldest') ?? '0';
        const latest = p.get('latest');
        const all = (ws.messages[channel] ?? [])
          .filter((m) => isTopLevel(m) && m.ts > oldest && (!latest || m.ts < latest))
          .sort(byTsDesc);
        const { items, next } = page(all, p, cap);
        return { ok: true, messages: items, has_more: next !== '', response_metadata: { next_cursor: next } };
      }
      case 'conversations.replies': {
        const channel = p.get('channel') ?? '';
        const ts = p.get('ts') ?? '';
        const thread = (ws.messages[channel] ?? [])
          .filter((m) => m.ts === ts || m.thread_ts === ts)
          .sort(byTsDesc)
          .reverse();
        const { items, next } = page(thread, p, cap);
        return { ok: true, messages: items, has_more: next !== '', response_metadata: { next_cursor: next } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf('/') + 1);
    calls[method] = (calls[method] ?? 0) + 1;
    const wait = limited.get(method);
    if (wait !== undefined) {
      limited.delete(method);
      return Promise.resolve(
        new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
          status: 429,
          headers: { 'retry-after': String(wait), 'content-type': 'application/json' },
        }),
      );
    }
    const params = new URLSearchParams(typeof init?.body === 'string' ? init.body : '');
    return Promise.resolve(
      new Response(JSON.stringify(answer(method, params)), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };

  const client = new WebClient('xoxb-test-token', {
    slackApiUrl: 'http://fake.slack.test/api/',
    fetch: fetchFn,
    logLevel: LogLevel.ERROR,
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 10 },
  });
  return { client, calls, ws, total: () => Object.values(calls).reduce((a, b) => a + b, 0) };
}

/** The workspace the fixture export describes (public channels, users, their messages), as the Web API would serve it. */
export function workspaceFromExport(dir: string, domain = 'acme'): FakeWorkspace {
  const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const users = read('users.json') as Array<{ team_id: string }>;
  const channels = read('channels.json') as Array<{ id: string; name: string }>;
  const messages: Record<string, FakeMessage[]> = {};
  for (const c of channels) {
    let days: string[] = [];
    try {
      days = readdirSync(join(dir, c.name)).filter((f) => f.endsWith('.json'));
    } catch {
      days = [];
    }
    messages[c.id] = days.flatMap((d) => read(join(c.name, d)) as FakeMessage[]);
  }
  return {
    team: {
      id: users[0].team_id,
      name: 'Acme Community',
      domain,
      icon: { image_230: 'https://icons.example.com/acme_230.png' },
    },
    users,
    channels: channels.map((c) => ({ id: c.id, name: c.name })),
    messages,
  };
}
