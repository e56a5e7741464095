import { Command } from 'commander';
import { register as registerHistory } from '../../../cli/commands/history';
import { register as registerInvestigate } from '../../../cli/commands/investigate';
import { harness, seed, type Harness } from './helpers/fixture';

async function cli(args: string[]): Promise<string> {
  const program = new Command('tightknit-sync')
    .option('--state-dir <dir>')
    .option('--json')
    .option('--quiet')
    .exitOverride();
  registerHistory(program);
  registerInvestigate(program);
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tightknit-sync', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('history and investigate commands', () => {
  let h: Harness;
  let runId = 0;
  beforeAll(async () => {
    h = await harness();
    await seed(h.store, { members: 3, activities: 5 });
    h.emu.setFaults({ failNextJobs: 1 });
    runId = (await h.run('backfill')).runId;
  });
  afterAll(() => h.close());

  it('lists runs as a table and as JSON', async () => {
    const text = await cli(['history', '--state-dir', h.stateDir]);
    expect(text).toMatch(/run\s+type\s+status/);
    expect(text).toMatch(new RegExp(`${runId}\\s+backfill\\s+Failed`));
    expect(text).toMatch(/Waiting: 3 member record\(s\) — Community failed to sync/);
    const json = JSON.parse(await cli(['history', '--state-dir', h.stateDir, '--json'])) as {
      status: number;
      result: { runs: Array<{ runId: number }> };
    };
    expect(json.status).toBe(0);
    expect(json.result.runs[0].runId).toBe(runId);
  });

  it('explains a run: jobs, grouped errors with cause and fix, held-back records', async () => {
    const text = await cli(['investigate', String(runId), '--state-dir', h.stateDir]);
    expect(text).toMatch(/community\s+upsert\s+bulk\s+750\S+\s+Failed/);
    expect(text).toMatch(/community InternalServerError: 1 record/);
    expect(text).toMatch(/Held back/);
    expect(text).toMatch(new RegExp(`tightknit-sync retry ${runId}`));
    const json = JSON.parse(await cli(['investigate', String(runId), '--state-dir', h.stateDir, '--json'])) as {
      status: number;
      result: { errors: unknown[] };
    };
    expect(json.status).toBe(0);
    expect(json.result.errors).toHaveLength(1);
  });
});
