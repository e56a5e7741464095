import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createPeopleHandler, type PeopleHandler } from '../http/handler';
import { discoverOidc } from '../oidc';

/** The test provider's client registration (oidc-provider.fixture.ts). */
const CLIENT = { id: 'tightknit-sync', secret: 'a client secret for tests only' };

/** Starts the test OpenID provider (a child process) for a redirect URI; returns its issuer URL. */
async function startProvider(redirectUri: string): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'oidc-provider.fixture.ts'), redirectUri], {
    cwd: join(__dirname, '..', '..', '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the test OpenID provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * The people handler with single sign-on through the test provider, on 127.0.0.1. `extra` answers
 * what the people handler does not (the browser test's stand-in console page).
 */
export async function serveWithProvider(
  pool: Pool,
  extra?: (people: PeopleHandler, req: IncomingMessage, res: ServerResponse) => Promise<boolean>,
): Promise<{ origin: string; issuer: string; close: () => Promise<void> }> {
  // The handler needs the provider, which needs this server's address: it is filled in below.
  const slot: { people?: PeopleHandler } = {};
  const server = createServer((req, res) => {
    void (async () => {
      const { people } = slot;
      if (people && (await people.handle(req, res))) return;
      if (people && extra && (await extra(people, req, res))) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = await startProvider(`${origin}/auth/oidc/callback`);
  const oidc = await discoverOidc({
    issuer: provider.issuer,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    publicUrl: origin,
  });
  slot.people = createPeopleHandler({ pool, oidc, trustProxy: true, publicUrl: origin });
  return {
    origin,
    issuer: provider.issuer,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await provider.stop();
    },
  };
}
