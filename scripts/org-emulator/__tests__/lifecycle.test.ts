import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register } from '../../cli/commands/emulator';
import { startEmulator } from '../index';
import { processIngestJob } from '../bulk/processor';
import { IngestJob } from '../bulk/ingest-job';
import { EmulatedOrg } from '../org';
import { buildSchema } from '../schema/build-schema';
import { readPackageProject } from '../../metadata/project';

describe('emulator lifecycle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-emu-life-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts in well under a second', async () => {
    const started = Date.now();
    const emu = await startEmulator();
    const elapsed = Date.now() - started;
    await emu.close();
    expect(elapsed).toBeLessThan(1000);
  });

  it('keeps records in the data file between restarts', async () => {
    const dataFile = join(dir, 'org.ndjson');
    const first = await startEmulator({ dataFile });
    const [id] = first.org.insert('tightknit__Community__c', [{ Name: 'Kept', tightknit__Tightknit_Id__c: 'slack:K' }]);
    await first.close();
    const second = await startEmulator({ dataFile });
    try {
      expect(second.org.records('tightknit__Community__c').map((c) => [c.Id, c.Name])).toEqual([[id, 'Kept']]);
      const [next] = second.org.insert('tightknit__Community__c', [
        { Name: 'New', tightknit__Tightknit_Id__c: 'slack:N' },
      ]);
      expect(next).not.toBe(id);
    } finally {
      await second.close();
    }
  });

  it('seeds Contacts from CSV, linking Accounts by name', async () => {
    const csv = join(dir, 'contacts.csv');
    writeFileSync(
      csv,
      'FirstName,LastName,Email,AccountName\nAda,Lovelace,ada@acme.test,Acme\nBob,Byte,bob@acme.test,Acme\n',
    );
    const emu = await startEmulator({ seedContactsCsv: csv });
    try {
      const contacts = emu.org.records('Contact');
      expect(contacts.map((c) => c.Name)).toEqual(['Ada Lovelace', 'Bob Byte']);
      const accounts = emu.org.records('Account');
      expect(accounts).toHaveLength(1);
      expect(contacts.every((c) => c.AccountId === accounts[0].Id)).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('passes through InProgress before JobComplete', async () => {
    const project = readPackageProject();
    const org = new EmulatedOrg(buildSchema(project, true), project, project.permissionSets, true);
    const file = join(dir, 'job.csv');
    writeFileSync(file, 'Name,tightknit__Tightknit_Id__c\nA,slack:A\n');
    const job = {
      id: 'j1',
      operation: 'insert',
      object: 'tightknit__Community__c',
      createdById: org.users.integration.id,
      state: 'UploadComplete',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      dataFile: file,
      resultFiles: { success: join(dir, 's.csv'), failed: join(dir, 'f.csv'), unprocessed: join(dir, 'u.csv') },
    } as unknown as IngestJob;
    const states: string[] = [];
    const done = processIngestJob(org, job);
    for (let i = 0; i < 20 && job.state !== 'JobComplete'; i++) {
      await new Promise((r) => setImmediate(r));
      if (states[states.length - 1] !== job.state) states.push(job.state);
    }
    await done;
    expect(states[0]).toBe('InProgress');
    expect(job.state).toBe('JobComplete');
    expect(job.numberRecordsProcessed).toBe(1);
  });

  it('the emulator command prints one JSON line and serves until SIGINT', async () => {
    const program = new Command();
    register(program);
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const run = program.parseAsync(['node', 'tightknit-sync', 'emulator', '--port', '0']);
      for (let i = 0; i < 200 && written.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const line = JSON.parse(written[0]) as {
        instanceUrl: string;
        clientId: string;
        usernames: Record<string, string>;
      };
      expect(line.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(line.usernames.integration).toBe('integration@tightknit-emulator.test');
      expect((await fetch(`${line.instanceUrl}/services/data`)).status).toBe(200);
      process.emit('SIGINT');
      await run;
      await expect(fetch(`${line.instanceUrl}/services/data`)).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
  });
});
