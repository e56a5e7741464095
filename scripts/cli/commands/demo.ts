import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startEmulator } from '../../org-emulator';
import { startSlackEmulator, workspaceFromExport } from '../../slack-emulator';
import { type DemoSlack, ephemeralKey, runDemo, UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { addConsoleFlags, serveConsole } from './console';
import { createProgressRenderer } from './sync';

interface DemoFlags {
  sample?: string;
  console?: boolean;
  gallery?: boolean;
  port: number;
  host: string;
  authTokenFile?: string;
  open?: boolean;
  server?: boolean;
  keepRunning?: boolean;
}

export function register(program: Command): void {
  addConsoleFlags(
    program
      .command('demo')
      .description('the whole product with no org: emulator + sample community + full sync + what a rep sees')
      .option('--sample <path>', 'a Slack export or NDJSON feed instead of samples/community-export')
      .option('--console', 'then keep the emulator running and open the operator console over the demo')
      .option('--gallery', "then serve the package's components on the demo's data (npm run gallery)")
      .option(
        '--server',
        'server mode: three tenants on PostgreSQL (embedded unless --database), serve and its workers',
      )
      .option('--keep-running', 'with --server: keep serve, the orgs and the database up until Ctrl-C'),
  ).action(async (flags: DemoFlags, cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>();
    if (flags.server || flags.keepRunning || cmd.optsWithGlobals<{ database?: string }>().database) {
      await serverDemo(cmd, flags);
      return;
    }
    // Only an explicit --state-dir keeps the demo's state; the default one belongs to real syncs.
    const explicitDir = cmd.parent?.getOptionValueSource('stateDir') === 'cli' ? opts.stateDir : undefined;
    // The CLI wires the emulator in; the sync itself never imports it.
    const emulator = await startEmulator();
    const consoleDir = flags.console
      ? (explicitDir ?? mkdtempSync(join(tmpdir(), 'tightknit-demo-console-')))
      : undefined;
    const key = ephemeralKey();
    let progress = createProgressRenderer(opts);
    try {
      const result = await runDemo({
        // With --console the emulator outlives the demo: the console keeps syncing into it.
        startOrg: async () => ({
          ...emulator,
          close: async () => (consoleDir || flags.gallery ? undefined : emulator.close()),
        }),
        startSlack: startDemoSlack,
        stateDir: consoleDir ?? explicitDir,
        samplePath: flags.sample,
        key,
        onProgress: (p) => progress.onProgress(p),
        onLine: (line) => {
          progress.stop();
          progress = createProgressRenderer(opts);
          if (!opts.json && !opts.quiet) process.stdout.write(`${line}\n`);
        },
      });
      progress.stop();
      if (opts.json && !consoleDir) printResult(opts, result, () => '');
      if (flags.gallery) await galleryModule().serveGallery({ emulator });
      if (consoleDir) {
        if (!opts.quiet)
          process.stderr.write(`\nThe emulated org stays up at ${emulator.loginUrl} while the console runs.\n`);
        await serveConsole({ ...opts, stateDir: consoleDir }, flags, { key }, { demo: result });
      }
    } finally {
      progress.stop();
      await emulator.close();
      if (consoleDir && !explicitDir) rmSync(consoleDir, { recursive: true, force: true });
    }
  });
}

/** `demo --server` (scripts/fleet/demo.ts), loaded only then: the embedded demo never loads PostgreSQL. */
async function serverDemo(cmd: Command, flags: DemoFlags): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions & { database?: string; tenant?: string }>();
  if (!flags.server) {
    throw new UsageError('SERVER_DEMO_ONLY', '--database and --keep-running go with `demo --server`.', {
      actions: ['Add --server, or drop them for the embedded demo.'],
    });
  }
  if (opts.tenant || flags.console || flags.gallery) {
    throw new UsageError('INVALID_OPTION', '`demo --server` makes its own tenants and has no --console or --gallery.', {
      actions: ['Drop --tenant / TIGHTKNIT_TENANT, --console and --gallery; the console is serve’s port.'],
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for --server
  const { runServerDemo } = require('../../fleet/demo') as typeof import('../../fleet/demo');
  const result = await runServerDemo({
    database: opts.database,
    port: flags.port,
    host: flags.host,
    sample: flags.sample,
    keepRunning: flags.keepRunning,
    onLine: (line) => {
      if (!opts.json && !opts.quiet) process.stdout.write(`${line}\n`);
    },
  });
  if (opts.json) printResult(opts, result, () => '');
}

/**
 * The Slack side of the demo: an emulated workspace serving the sample export's own team, people and
 * channels, so new posts continue the imported community (null for a sample that is not an export folder).
 */
async function startDemoSlack(samplePath: string): Promise<DemoSlack | null> {
  if (!existsSync(join(samplePath, 'users.json'))) return null;
  const slack = await startSlackEmulator({
    workspace: workspaceFromExport(samplePath, { name: 'Tightknit Demo Community', domain: 'tightknit-demo' }),
  });
  return {
    apiUrl: slack.apiUrl,
    botToken: slack.botToken,
    signingSecret: slack.signingSecret,
    setEventsUrl: (url) => slack.setEventsUrl(url),
    postMessage: (m) => slack.postMessage(m),
    addReaction: (channel, ts, user, name) => slack.addReaction(channel, ts, user, name),
    close: () => slack.close(),
  };
}

/**
 * The gallery builds the package's components from force-app with the LWC compiler and the base
 * components, which only a checkout of the repository has: it is loaded on `--gallery` alone, so an
 * installed CLI's `demo` never needs it.
 */
function galleryModule(): typeof import('../../gallery/serve') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for --gallery
    return require('../../gallery/serve') as typeof import('../../gallery/serve');
  } catch (err) {
    throw new UsageError(
      'GALLERY_UNAVAILABLE',
      `The components gallery needs a checkout of the repository: ${(err as Error).message}`,
      {
        actions: ['Run `npm ci && npm run demo -- --gallery` in a clone of the tightknit-salesforce repository.'],
        cause: err,
      },
    );
  }
}
