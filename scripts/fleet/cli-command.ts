import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The source folders `npm run build` compiles into dist/ (scripts/tsconfig.build.json and what they import). */
const BUILT_SOURCES = [
  'cli',
  'sync',
  'server',
  'fleet',
  'org-emulator',
  'slack-emulator',
  'console',
  'metadata',
  'generated',
  'test-support',
];

/** Folders under those that the build leaves out. */
const NOT_BUILT = new Set(['__tests__', 'app', 'compiled', 'public', 'node_modules']);

/** The newest modification time (ms) of a TypeScript source under `dir`, 0 when there is none. */
function newestSource(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!NOT_BUILT.has(e.name)) newest = Math.max(newest, newestSource(path));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Set to 1 to run the sources through tsx even when the build is fresh (to compare the two). */
const FROM_SOURCES_ENV = 'TIGHTKNIT_BENCH_SOURCES';

/** How a bench or the fleet starts `tightknit-sync`: node's arguments before the CLI's own, and why. */
export interface CliLaunch {
  /** Arguments to give `process.execPath`, then the CLI's command and options. */
  nodeArgs: string[];
  /** True: the compiled CLI in dist/; false: the sources through tsx. */
  built: boolean;
  /** Why the sources run (no build, or a build older than a source), for the bench to print. */
  note?: string;
}

/**
 * The built CLI (the `tightknit-sync` bin, which runs `dist/cli/main.js`) when it is there and newer than
 * every source it is built from, else the sources through tsx with a note saying why (also when
 * TIGHTKNIT_BENCH_SOURCES=1). The built CLI leaves
 * tsx's compiler and its cache out of the process (and out of its memory figures), as in production.
 */
export function cliLaunch(root: string = ROOT, env: NodeJS.ProcessEnv = process.env): CliLaunch {
  const main = join(root, 'dist', 'cli', 'main.js');
  const tsx: CliLaunch = { nodeArgs: ['--import', 'tsx', join(root, 'scripts', 'cli', 'main.ts')], built: false };
  if (env[FROM_SOURCES_ENV] === '1') {
    return { ...tsx, note: `${FROM_SOURCES_ENV}=1: running the CLI from the sources through tsx.` };
  }
  if (!existsSync(main)) {
    return {
      ...tsx,
      note: `${main} is missing (no build): running the CLI from the sources through tsx. Run \`npm run build\` first to measure the built CLI.`,
    };
  }
  const builtAt = statSync(main).mtimeMs;
  const newest = Math.max(...BUILT_SOURCES.map((d) => newestSource(join(root, 'scripts', d))));
  if (newest > builtAt) {
    return {
      ...tsx,
      note: `dist/ is older than the sources (built ${new Date(builtAt).toISOString()}, a source changed ${new Date(newest).toISOString()}): running the CLI through tsx. Run \`npm run build\` to measure the built CLI.`,
    };
  }
  // The published bin (package.json "bin"): it runs dist/cli/main.js with node's compile cache on.
  return { nodeArgs: [join(root, 'bin', 'tightknit-sync.js')], built: true };
}

let told = false;

/** `cliLaunch()` for this process, its note printed once (on stderr, so a --json report stays clean). */
export function cliLaunchOnce(): CliLaunch {
  const launch = cliLaunch();
  if (launch.note && !told) process.stderr.write(`note: ${launch.note}\n`);
  told = true;
  return launch;
}
