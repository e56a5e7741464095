import { COMMANDS, SCRATCH_ALIAS } from './commands';
import { AUTHORIZE_DEV_HUB, findDevHub, isAuthorized } from './devhub';

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`);
  return `Usage: tsx scripts/scratch/main.ts <command> [--alias <scratch org alias>]\n${lines.join('\n')}`;
}

/**
 * CLI for the scratch-org and packaging scripts. Every command first looks for an authorized Dev
 * Hub; without one it says how to authorize and exits 0 without running anything (offline CI).
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(usage());
    return 2;
  }
  const aliasIndex = rest.indexOf('--alias');
  const alias = aliasIndex >= 0 && rest[aliasIndex + 1] ? rest[aliasIndex + 1] : SCRATCH_ALIAS;
  const devHub = await findDevHub();
  if (!devHub.found) {
    console.log(`Skipped ${name}: ${devHub.reason}. Nothing was run.\n${AUTHORIZE_DEV_HUB}`);
    return 0;
  }
  if (command.needsScratchOrg && !(await isAuthorized(alias))) {
    console.error(`No scratch org "${alias}" is authorized here: run npm run scratch:create first.`);
    return 1;
  }
  return command.run({ devHub: devHub.username, alias });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
