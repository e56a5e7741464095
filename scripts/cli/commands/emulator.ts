import type { Command } from 'commander';
import { InvalidArgumentError } from '../commander';
import { GlobalOptions, printResult } from '../output';
import { waitForSignal } from './sync';
import { EmulatorUser, RunningEmulator, startEmulator } from '../../org-emulator/index';

interface EmulatorFlags {
  port: number;
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

/** What the command reports once the emulator listens: where it is and how to sign in. */
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

/** `tightknit-sync emulator`: runs the local org emulator in the foreground until SIGINT/SIGTERM. */
export function register(program: Command): void {
  program
    .command('emulator')
    .description('run the local org emulator (a test double of a Salesforce org) in the foreground')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', parsePort, 0)
    .option('--data <file>', "keep the org's records in this file between restarts")
    .option('--seed-contacts <file>', 'load Contacts from a CSV file (FirstName,LastName,Email,Title,AccountName...)')
    .option('--no-package', 'emulate an org without the Tightknit package installed')
    .action(async (flags: EmulatorFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const emu = await startEmulator({
        port: flags.port,
        dataFile: flags.data,
        seedContactsCsv: flags.seedContacts,
        packageInstalled: flags.package,
      });
      // Without --json too, one JSON line: what scripts and tests that start an emulator read.
      if (opts.json) printResult(opts, readyInfo(emu), () => '');
      else process.stdout.write(`${JSON.stringify(readyInfo(emu))}\n`);
      await waitForSignal();
      await emu.close();
    });
}
