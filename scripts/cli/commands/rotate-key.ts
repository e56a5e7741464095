import type { Command } from 'commander';
import { MASTER_KEY_ENV, PREVIOUS_MASTER_KEY_ENV } from '../../server/names';
import { GlobalOptions, printResult } from '../output';
import { serverModule, withServerDatabase } from '../server-mode';

export function register(program: Command): void {
  program
    .command('rotate-key')
    .description(
      `server mode: re-wrap every tenant's data key with ${MASTER_KEY_ENV} (the old key in ${PREVIOUS_MASTER_KEY_ENV}); no data is re-encrypted`,
    )
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { resolveMasterKeys, rotateDataKeys } = serverModule();
      const keys = resolveMasterKeys();
      const r = await withServerDatabase(cmd, (pool) => rotateDataKeys(pool, keys));
      printResult(opts, r, () =>
        r.rewrapped === 0
          ? `All ${r.alreadyCurrent} tenants' data keys are already wrapped by master key ${r.masterKeyId}.`
          : `Re-wrapped ${r.rewrapped} tenants' data keys with master key ${r.masterKeyId} (${r.alreadyCurrent} already were). ${PREVIOUS_MASTER_KEY_ENV} can now be unset everywhere.`,
      );
    });
}
