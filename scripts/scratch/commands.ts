import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';
import { preparePackage } from './build';
import { runSf, sfJson } from './sf';

/** Alias of the scratch org these scripts create and use. */
export const SCRATCH_ALIAS = 'tightknit-scratch';
const SCRATCH_DEFINITION = 'config/project-scratch-def.json';
const DATA_PLAN = 'scripts/scratch/data/plan.json';
/** The package name in sfdx-project.json (packageDirectories[0].package). */
const PACKAGE_NAME = 'Tightknit Analytics';
/** Permission sets for the scratch org's admin user: everything, including the sync's access. */
const ADMIN_PERMISSION_SETS = ['Tightknit_Admin', 'Tightknit_Integration_User'];
const PERMISSION_SET_GROUP = 'Tightknit_Users';

interface ScratchContext {
  /** Username of the Dev Hub. */
  devHub: string;
  /** Alias of the scratch org. */
  alias: string;
}

export interface ScratchCommand {
  summary: string;
  /** True when the command works on the scratch org, which must exist already. */
  needsScratchOrg: boolean;
  /** Runs the command; resolves to the process exit code. */
  run(context: ScratchContext): Promise<number>;
}

async function assignPermissions({ alias }: ScratchContext): Promise<number> {
  const names = ADMIN_PERMISSION_SETS.flatMap((name) => ['--name', name]);
  const code = await runSf(['org', 'assign', 'permset', ...names, '--target-org', alias]);
  if (code !== 0) return code;
  // `sf org assign permset` does not take permission set groups: assign the group as a record.
  const user = await sfJson<{ id: string }>(['org', 'display', 'user', '--target-org', alias]);
  const groups = await sfJson<{ records: { Id: string; Status: string }[] }>([
    'data',
    'query',
    '--query',
    `SELECT Id, Status FROM PermissionSetGroup WHERE DeveloperName = '${PERMISSION_SET_GROUP}'`,
    '--target-org',
    alias,
  ]);
  const group = groups.records[0];
  if (!group) {
    console.error(`Permission set group ${PERMISSION_SET_GROUP} is not in ${alias}: run npm run scratch:deploy first.`);
    return 1;
  }
  try {
    await sfJson([
      'data',
      'create',
      'record',
      '--sobject',
      'PermissionSetAssignment',
      '--values',
      `AssigneeId=${user.id} PermissionSetGroupId=${group.Id}`,
      '--target-org',
      alias,
    ]);
    console.log(`Assigned permission set group ${PERMISSION_SET_GROUP}.`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/DUPLICATE_VALUE|duplicate/i.test(message)) throw error;
    console.log(`Permission set group ${PERMISSION_SET_GROUP} was already assigned.`);
  }
  return 0;
}

async function createPackageVersion({ devHub }: ScratchContext): Promise<number> {
  const project = JSON.parse(readFileSync(join(REPO_ROOT, 'sfdx-project.json'), 'utf8')) as {
    packageAliases?: Record<string, string>;
  };
  if (!project.packageAliases?.[PACKAGE_NAME]) {
    console.error(
      `sfdx-project.json has no package alias "${PACKAGE_NAME}": the package does not exist in the Dev Hub yet.\n` +
        `Create it once (the namespace must be linked to the Dev Hub), then commit sfdx-project.json:\n` +
        `  sf package create --name "${PACKAGE_NAME}" --package-type Managed --path force-app --target-dev-hub ${devHub}`,
    );
    return 2;
  }
  // sf package version create converts force-app itself, with the same library and .forceignore.
  await preparePackage();
  return runSf([
    'package',
    'version',
    'create',
    '--package',
    PACKAGE_NAME,
    '--code-coverage',
    '--installation-key-bypass',
    '--wait',
    '60',
    '--target-dev-hub',
    devHub,
  ]);
}

/** The scratch-org and packaging commands, by the name after `scratch:` (or `package:version`). */
export const COMMANDS: Record<string, ScratchCommand> = {
  create: {
    summary: `create a scratch org from ${SCRATCH_DEFINITION} (alias ${SCRATCH_ALIAS}, 7 days)`,
    needsScratchOrg: false,
    run: ({ devHub, alias }) =>
      runSf([
        'org',
        'create',
        'scratch',
        '--definition-file',
        SCRATCH_DEFINITION,
        '--alias',
        alias,
        '--set-default',
        '--duration-days',
        '7',
        '--target-dev-hub',
        devHub,
        '--wait',
        '15',
      ]),
  },
  deploy: {
    summary: 'build, convert and check the package (check:package), then deploy the converted metadata',
    needsScratchOrg: true,
    run: async ({ alias }) => {
      const metadataDir = await preparePackage();
      return runSf([
        'project',
        'deploy',
        'start',
        '--metadata-dir',
        metadataDir,
        '--target-org',
        alias,
        '--wait',
        '30',
      ]);
    },
  },
  assign: {
    summary: `assign ${ADMIN_PERMISSION_SETS.join(', ')} and the ${PERMISSION_SET_GROUP} group to the admin user`,
    needsScratchOrg: true,
    run: assignPermissions,
  },
  data: {
    summary: `load the sample community (${DATA_PLAN})`,
    needsScratchOrg: true,
    run: ({ alias }) => runSf(['data', 'import', 'tree', '--plan', DATA_PLAN, '--target-org', alias]),
  },
  test: {
    summary: 'run the Apex tests with code coverage',
    needsScratchOrg: true,
    run: ({ alias }) =>
      runSf([
        'apex',
        'run',
        'test',
        '--code-coverage',
        '--result-format',
        'human',
        '--wait',
        '20',
        '--target-org',
        alias,
      ]),
  },
  delete: {
    summary: 'delete the scratch org',
    needsScratchOrg: true,
    run: ({ alias }) => runSf(['org', 'delete', 'scratch', '--target-org', alias, '--no-prompt']),
  },
  'package-version': {
    summary: `build and check the package (check:package), then create a package version of ${PACKAGE_NAME} with code coverage`,
    needsScratchOrg: false,
    run: createPackageVersion,
  },
};
