import type { Command } from 'commander';
import { OrgRefusedError, verifyPackage, VerifyResult } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { withStateLocation } from '../server-mode';
import { openLocationConnection } from '../state';

export function formatVerify(r: VerifyResult): string {
  const lines: string[] = [];
  lines.push(
    r.installed
      ? `${r.problems.some((p) => p.code === 'PACKAGE_TOO_OLD') ? '✗' : '✓'} ${r.installed.name} ${r.installed.version} (namespace ${r.installed.namespace}); needs ${r.requiredVersion} or later`
      : `✗ Tightknit Analytics is not installed; needs ${r.requiredVersion} or later`,
  );
  for (const o of r.objects) {
    lines.push(
      !o.found
        ? `✗ ${o.name}: not found`
        : o.missingFields.length
          ? `✗ ${o.name}: ${o.missingFields.length} of ${o.fields} fields missing (${o.missingFields.join(', ')})`
          : `✓ ${o.name}: all ${o.fields} fields the sync writes exist`,
    );
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('confirm the managed package is installed (version, objects, fields)')
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const result = await withStateLocation(cmd, async (where) => {
        const { connection } = await openLocationConnection(where);
        return verifyPackage({ connection });
      });
      if (!result.ok) {
        // With --json the error envelope (each problem and its fix) is the one object printed.
        if (!opts.json && !opts.quiet) process.stdout.write(`${formatVerify(result)}\n`);
        throw new OrgRefusedError('PACKAGE_NOT_READY', result.problems.map((p) => p.message).join(' '), {
          actions: [...new Set(result.problems.map((p) => p.fix))],
        });
      }
      printResult(opts, result, () => formatVerify(result));
    });
}
