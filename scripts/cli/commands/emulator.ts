import type { Command } from 'commander';
import { once } from 'node:events';
import { InvalidArgumentError } from '../commander';
import { GlobalOptions, printResult } from '../output';
import { UsageError } from '../../sync';
import { EmulatorUser, MAX_ORGS, RunningEmulator, startEmulator, startEmulators } from '../../org-emulator/index';

interface EmulatorFlags {
  port: number;
  /** Given (even 1): the several-orgs mode and its `{orgs: [...]}` ready line. */
  orgs?: number;
  data?: string;
  seedContacts?: string;
  package: boolean;
}

/** A --port value: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
}

/** An --orgs value: a whole number from 1 to MAX_ORGS. */
function parseOrgs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ORGS)
    throw new InvalidArgumentError(`a whole number from 1 to ${MAX_ORGS}`);
  return n;
}

/** What the command reports once an org listens: where it is and how to sign in. */
function readyInfo(emu: RunningEmulator): object {
  const users: Array<[string, EmulatorUser]> = Object.entries({ ...emu.users } as Record<string, EmulatorUser>);
  return {
    instanceUrl: emu.instanceUrl,
    loginUrl: emu.loginUrl,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    callbackUrls: emu.callbackUrls,
    usernames: Object.fromEntries(users.map(([role, u]) => [role, u.username])),
    passwords: Object.fromEntries(users.map(([role, u]) => [role, u.password])),
  };
}

/** The ready line of `--orgs N`: every org, numbered from 1, as `readyInfo` describes one. */
function fleetInfo(orgs: RunningEmulator[]): object {
  return { orgs: orgs.map((emu, i) => ({ org: i + 1, ...readyInfo(emu) })) };
}

/** Starts what the flags ask for; resolves to the ready line and how to stop. */
async function start(flags: EmulatorFlags): Promise<{ info: object; close: () => Promise<void> }> {
  if (flags.orgs !== undefined) {
    if (flags.data || flags.seedContacts)
      throw new UsageError('INVALID_OPTION', '--data and --seed-contacts load one org; they cannot go with --orgs.', {
        actions: ['Drop --orgs to use them, or leave them out and seed each org through its API.'],
      });
    const fleet = await startEmulators({ orgs: flags.orgs, port: flags.port, packageInstalled: flags.package });
    return { info: fleetInfo(fleet.orgs), close: () => fleet.close() };
  }
  const emu = await startEmulator({
    port: flags.port,
    dataFile: flags.data,
    seedContactsCsv: flags.seedContacts,
    packageInstalled: flags.package,
  });
  return { info: readyInfo(emu), close: () => emu.close() };
}

/**
 * Resolves on the first SIGINT or SIGTERM. Not the sync command's helper: importing that module loads the
 * whole sync (jsforce, SQLite): about 40 MB more RSS in an emulator process that never syncs.
 */
async function untilSignal(): Promise<void> {
  const ac = new AbortController();
  const signalled = (name: string) => once(process, name, { signal: ac.signal }).catch(() => undefined);
  await Promise.race([signalled('SIGINT'), signalled('SIGTERM')]);
  ac.abort();
}

/** `tightknit-sync emulator`: runs the local org emulator in the foreground until SIGINT/SIGTERM. */
export function register(program: Command): void {
  program
    .command('emulator')
    .description('run the local org emulator (a test double of a Salesforce org; --orgs N: N orgs) in the foreground')
    .option(
      '--port <n>',
      'port on 127.0.0.1 (0 = any free port; with --orgs, the first of consecutive ports)',
      parsePort,
      0,
    )
    .option('--orgs <n>', `independent orgs in this one process, each on its own port (1 to ${MAX_ORGS})`, parseOrgs)
    .option('--data <file>', "keep the org's records in this file between restarts")
    .option('--seed-contacts <file>', 'load Contacts from a CSV file (FirstName,LastName,Email,Title,AccountName...)')
    .option('--no-package', 'emulate an org without the Tightknit package installed')
    .action(async (flags: EmulatorFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { info, close } = await start(flags);
      // Without --json too, one JSON line: what scripts and tests that start an emulator read.
      if (opts.json) printResult(opts, info, () => '');
      else process.stdout.write(`${JSON.stringify(info)}\n`);
      await untilSignal();
      await close();
    });
}
