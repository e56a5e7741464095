import { Command, Help } from 'commander';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_FACTS } from '../../generated/package-facts';
import { COMMANDS } from '../commands';
import { main } from '../main';
import { cliVersion } from '../version';

/** Runs the CLI in-process; returns the exit code and what it wrote to each stream. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  try {
    const code = await main(['node', 'tightknit-sync', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('the command table', () => {
  it('lists every command module, with the line and description the module registers', () => {
    const modules = readdirSync(join(__dirname, '..', 'commands'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    const help = new Help();
    for (const entry of COMMANDS) {
      const program = new Command('tightknit-sync');
      entry.register(program);
      const registered = program.commands.find((c) => c.name() === entry.name);
      expect(registered).toBeDefined();
      expect({ name: entry.name, term: help.subcommandTerm(registered!), summary: registered!.description() }).toEqual({
        name: entry.name,
        term: entry.term,
        summary: entry.summary,
      });
    }
    // Helper modules (ingest-follow) register nothing; every module that registers a command is listed.
    const registering = modules.filter((m) => {
      const program = new Command();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every file in the folder, by name
      (require(`../commands/${m}`) as { register?: (p: Command) => void }).register?.(program);
      return program.commands.length > 0;
    });
    expect(registering.sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });
});

describe('tightknit-sync', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'tightknit-cli-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('--help lists every command without loading any command module', async () => {
    const loaded = COMMANDS.map((c) => jest.spyOn(c, 'register'));
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.term);
    for (const spy of loaded) expect(spy).not.toHaveBeenCalled();
    loaded.forEach((s) => s.mockRestore());
  });

  it('`help <command>` and `<command> --help` show that command’s own flags', async () => {
    for (const args of [
      ['help', 'history'],
      ['history', '--help'],
    ]) {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: tightknit-sync history [options]');
      expect(r.stdout).toContain('--limit <n>');
    }
  });

  it('--version names the CLI and the package release it expects, as text or as the envelope', async () => {
    const text = await cli('--version');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      `tightknit-sync ${cliVersion()} (expects the ${PACKAGE_FACTS.name} package ${PACKAGE_FACTS.version} or later, ` +
        `namespace ${PACKAGE_FACTS.namespace}, API v${PACKAGE_FACTS.apiVersion}) node ${process.version} ${process.platform}-${process.arch}\n`,
    );
    const json = await cli('--version', '--json');
    expect(JSON.parse(json.stdout)).toEqual({
      status: 0,
      result: {
        cli: cliVersion(),
        package: { name: PACKAGE_FACTS.name, namespace: PACKAGE_FACTS.namespace, version: PACKAGE_FACTS.version },
        apiVersion: PACKAGE_FACTS.apiVersion,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      warnings: [],
    });
  });

  it('history --json on an empty state: the error envelope on stdout, exit 2, nothing else', async () => {
    const r = await cli('--state-dir', stateDir, 'history', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      status: 2,
      name: 'NO_HISTORY',
      message: `There is no sync history in ${stateDir} yet.`,
      exitCode: 2,
      actions: [expect.stringContaining('tightknit-sync sync')],
      warnings: [],
    });
  });

  it('usage errors with --json: an unknown command, a missing argument, an unknown flag', async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [['--json', 'sink'], 'UNKNOWN_COMMAND', /unknown command 'sink'/],
      [['--json', 'investigate'], 'MISSING_ARGUMENT', /missing required argument 'run-id'/],
      [['--json', 'history', '--limt', '3'], 'UNKNOWN_OPTION', /unknown option '--limt'/],
    ];
    for (const [args, name, message] of cases) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      const envelope = JSON.parse(r.stdout) as { name: string; message: string; actions: string[] };
      expect(envelope).toMatchObject({ status: 2, exitCode: 2, name, warnings: [] });
      expect(envelope.message).toMatch(message);
      expect(envelope.actions[0]).toMatch(/--help/);
    }
  });

  it('usage errors without --json: commander’s message and help on stderr, exit 2', async () => {
    const r = await cli('sink');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: unknown command 'sink'");
  });

  it('a success with --json: exactly one envelope', async () => {
    const r = await cli('--state-dir', stateDir, '--json', 'configure');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 0, result: { intervalMinutes: 5 }, warnings: [] });
  });
});
