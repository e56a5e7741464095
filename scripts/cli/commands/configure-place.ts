import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  hasBackfilled,
  loadConfig,
  mergeConfig,
  openAsyncStore,
  previewConfig,
  STORE_FILE,
  type SyncConfig,
  type SyncConfigInput,
  updateConfig,
  validateMatchRules,
} from '../../sync';
import { cliSupport, serverModule, type StateLocation } from '../server-mode';

/** How match rules were checked: against the org, not (no org connected), or not in this mode. */
type RulesCheck = 'org' | 'not-connected' | 'not-checked';

/** Where `configure` reads and saves the configuration: a state directory's config.json or a tenant's versions. */
export interface ConfigPlace {
  current: SyncConfig;
  /** The configuration `changes` would make (validated), nothing saved. */
  preview(changes: SyncConfigInput): SyncConfig;
  /** Saves `changes` over what was read (a tenant: as the next version, refused if another save came first). */
  save(changes: SyncConfigInput): Promise<SyncConfig>;
  checkRules(next: SyncConfig): Promise<RulesCheck>;
  /** Whether members were pushed already (a rematch is then worth offering). */
  backfilled(): Promise<boolean>;
}

function directory(stateDir: string): ConfigPlace {
  return {
    current: loadConfig(stateDir),
    preview: (changes) => previewConfig(stateDir, changes),
    save: (changes) => Promise.resolve(updateConfig(stateDir, changes)),
    checkRules: (next) => validateMatchRules(stateDir, next),
    backfilled: async () => {
      if (!existsSync(join(stateDir, STORE_FILE))) return false;
      const store = openAsyncStore({ stateDir });
      try {
        return await hasBackfilled(store);
      } finally {
        await store.close();
      }
    },
  };
}

/** The configuration of the place a command's options name. */
export async function configPlace(where: StateLocation): Promise<ConfigPlace> {
  if (where.kind === 'dir') return directory(where.stateDir);
  const { pool, tenant } = where;
  const { loadTenantConfig, saveTenantSettings } = serverModule();
  const read = await loadTenantConfig(pool, tenant);
  return {
    current: read.config,
    preview: (changes) => mergeConfig(read.config, changes),
    // The same save as the server console's (the next version, a changed interval carried to the schedule),
    // written to the audit trail with each changed field's before and after.
    save: async (changes) => {
      const saved = await saveTenantSettings(pool, tenant, changes, read.version);
      if (Object.keys(saved.changed).length) {
        await cliSupport().auditCli(pool, tenant.id, 'configure', { version: saved.version, changes: saved.changed });
      }
      return saved.config;
    },
    // Checked against the org by `check --tenant`, which opens the tenant's connection as a worker does.
    checkRules: () => Promise.resolve('not-checked'),
    backfilled: () => hasBackfilled(cliSupport().openTenantStore(pool, tenant)),
  };
}
