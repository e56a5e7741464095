import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { type AuthMethod, connect, recordHistoryEvent, UsageError } from '../../sync';
import { GlobalOptions, printResult, warn } from '../output';
import { connectTenant } from './tenant-connect';
import { inServerMode } from './tenant-runs';

interface ConnectFlags {
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  callbackUrl?: string;
  jwt?: boolean;
  keyFile?: string;
  username?: string;
  clientCredentials?: boolean;
  targetOrg?: string;
  browser: boolean;
}

/** Starts the system browser without waiting for it; the URL is always printed as well. */
export function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here (a server, a container): the printed URL is the way.
  }
}

function methodOf(flags: ConnectFlags): AuthMethod {
  const chosen = [
    flags.jwt && 'jwt',
    flags.clientCredentials && 'client-credentials',
    flags.targetOrg && 'sf-org',
  ].filter(Boolean);
  if (chosen.length > 1) {
    throw new UsageError('CONFLICTING_FLAGS', 'Choose one of --jwt, --client-credentials and --target-org.', {
      actions: ['Without any of them, connect signs in through the browser (web server flow with PKCE).'],
    });
  }
  return (chosen[0] as AuthMethod | undefined) ?? 'web';
}

export function register(program: Command): void {
  program
    .command('connect')
    .description('authorize an org: web login with PKCE (default), --jwt, --client-credentials, or --target-org')
    .option(
      '--login-url <url>',
      'https://login.salesforce.com (default), https://test.salesforce.com for sandboxes, or a My Domain URL',
    )
    .option(
      '--client-id <key>',
      'consumer key of the Tightknit Salesforce External Client App (or TIGHTKNIT_CLIENT_ID)',
    )
    .option('--client-secret <secret>', 'consumer secret, for --client-credentials (or TIGHTKNIT_CLIENT_SECRET)')
    .option(
      '--callback-url <url>',
      'registered loopback callback for the web login',
      'http://localhost:1717/OauthRedirect',
    )
    .option('--jwt', 'JWT bearer flow (server-to-server, needs --key-file and --username)')
    .option('--key-file <file>', 'RSA private key (PEM) whose certificate is uploaded to the app')
    .option('--username <name>', 'the integration user for --jwt')
    .option('--client-credentials', 'client credentials flow (server-to-server; needs a My Domain --login-url)')
    .option(
      '--target-org <alias>',
      'reuse an org authorized with `sf org login` (its alias or username; `sf org list` shows them)',
    )
    .option('--no-browser', 'only print the sign-in URL')
    .action(async (flags: ConnectFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const method = methodOf(flags);
      if (inServerMode(cmd)) {
        // A tenant: the login (or client credentials) stored sealed in the database for every worker.
        return connectTenant(cmd, method, { ...flags, openUrl: flags.browser ? openBrowser : undefined });
      }
      const say = (line: string): void => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      };
      const result = await connect({
        stateDir: opts.stateDir,
        method,
        loginUrl: flags.loginUrl,
        clientId: flags.clientId,
        clientSecret: flags.clientSecret,
        callbackUrl: flags.callbackUrl,
        keyFile: flags.keyFile,
        username: flags.username,
        targetOrg: flags.targetOrg,
        openUrl: flags.browser ? openBrowser : undefined,
        onProgress: say,
      });
      if (result.warning) warn(opts, result.warning);
      await recordHistoryEvent(
        opts.stateDir,
        'connected',
        `Connected to ${result.info.instanceUrl} as ${result.info.username ?? 'unknown user'} (${method}).`,
      );
      printResult(opts, { connected: true, ...result.info, keySource: result.keySource }, () =>
        [
          `Connected to ${result.info.instanceUrl} as ${result.info.username ?? 'the integration user'} (${method}).`,
          method === 'sf-org'
            ? 'Tokens stay in the sf CLI; nothing secret was copied.'
            : `Tokens stored encrypted (AES-256-GCM, key from ${result.keySource ?? 'unknown'}) in ${opts.stateDir}/credentials.json.`,
          'Next: tightknit-sync verify, then tightknit-sync check.',
        ].join('\n'),
      );
    });
}
