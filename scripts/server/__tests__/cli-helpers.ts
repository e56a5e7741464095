import { randomBytes } from 'node:crypto';
import { main } from '../../cli/main';

const VARS = ['TIGHTKNIT_MASTER_KEY', 'TIGHTKNIT_PREVIOUS_MASTER_KEY', 'TIGHTKNIT_DATABASE_URL', 'TIGHTKNIT_TENANT'];

/** What one CLI invocation printed (stdout and stderr together) and its exit code. */
export interface CliRun {
  code: number;
  text: string;
}

export interface CliHarnessOptions {
  /**
   * The master key each test starts with (default: a random one of the file's own). A file that rotates
   * the key passes its own, so it knows the key it rotates from (and that no command printed it).
   */
  key?: string;
}

/**
 * Runs the CLI's main() in this process with its output captured, a master key of the file's own and
 * no server-mode variables from the environment (restored afterwards). Call at the top of a describe.
 * `everything()` is all the file's commands printed so far (say, to check that no secret ever was).
 */
export function cliHarness(opts: CliHarnessOptions = {}): {
  run: (...args: string[]) => Promise<CliRun>;
  json: <T>(r: CliRun) => T;
  everything: () => string;
} {
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  const key = opts.key ?? randomBytes(32).toString('base64');
  let output: string[] = [];
  const all: string[] = [];
  beforeEach(() => {
    for (const v of VARS) delete process.env[v];
    process.env.TIGHTKNIT_MASTER_KEY = key;
    output = [];
    const capture = (chunk: unknown): boolean => {
      output.push(String(chunk));
      all.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });
  return {
    run: async (...args) => {
      process.exitCode = undefined;
      const start = output.length;
      const code = await main(['node', 'tightknit-sync', ...args]);
      process.exitCode = undefined;
      return { code, text: output.slice(start).join('') };
    },
    json: <T>(r: CliRun): T => {
      const line = r.text.split('\n').find((l) => l.startsWith('{"status"'));
      if (!line) throw new Error(`no JSON envelope in: ${r.text}`);
      return (JSON.parse(line) as { result: T }).result;
    },
    everything: () => all.join(''),
  };
}
