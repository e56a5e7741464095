import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '../../org-emulator';
import { loadConfig, updateConfig } from '../../sync/config';
import { ingest } from '../../sync/ingest';
import { FAST, KEYS, tempDir, writeCommunityFeed } from '../../sync/ops/__tests__/fixtures';
import { openAsyncStore } from '../../sync/store';
import type { StatusView } from '../contract';
import { startConsole, type ConsoleOptions, type RunningConsole } from '../server';

export { FAST, KEYS, tempDir };

/** A state directory holding the eight-member test community (not connected). */
export async function ingestedStateDir(activities = 40): Promise<string> {
  const dir = tempDir('tightknit-console-');
  updateConfig(dir, { intervalMinutes: 1 });
  const store = openAsyncStore({ stateDir: dir });
  try {
    await ingest({ path: writeCommunityFeed(tempDir(), activities), store, config: loadConfig(dir) });
  } finally {
    await store.close();
  }
  return dir;
}

/** A stand-in for the built front end, so API tests do not depend on `npm run build`. */
export function fakePublicDir(): string {
  const dir = tempDir('tightknit-console-public-');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'app.js'), 'export {};');
  mkdirSync(join(dir, 'assets', 'styles'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'styles', 'slds.css'), 'body{}');
  return dir;
}

export interface SignedIn {
  console: RunningConsole;
  cookie: string;
  /** JSON API call with the session cookie; non-GET sends a JSON body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  status(): Promise<StatusView>;
  /** Polls the status until `done` holds (or fails after `timeoutMs`). */
  until(done: (s: StatusView) => boolean, timeoutMs?: number): Promise<StatusView>;
}

/** Starts a console and trades its launch token for a session cookie, as a browser would. */
export async function signedInConsole(opts: ConsoleOptions): Promise<SignedIn> {
  const running = await startConsole({ key: KEYS, tuning: FAST, tickMs: 20, port: 0, ...opts });
  const res = await fetch(running.launchUrl, { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(`${running.origin}${path}`, {
      method,
      headers: {
        cookie,
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
  const json = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const r = await call(method, path, body);
    return { status: r.status, body: (await r.json()) as T };
  };
  const status = async (): Promise<StatusView> => (await json<StatusView>('GET', '/api/status')).body;
  const until = async (done: (s: StatusView) => boolean, timeoutMs = 20_000): Promise<StatusView> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = await status();
      if (done(s)) return s;
      if (Date.now() > end) throw new Error(`status never matched; last: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { console: running, cookie, call, json, status, until };
}

/** Client-credentials connect request for an emulator. */
export function clientCredentials(emu: RunningEmulator): Record<string, string> {
  return {
    method: 'client-credentials',
    loginUrl: emu.loginUrl,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
  };
}
