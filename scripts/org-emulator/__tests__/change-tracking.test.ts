import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { RunningEmulator, startEmulator } from '../index';
import { runIngest } from './helpers/bulk';
import { call, connectionFor } from './helpers/emulator';

// What CRM-side change tracking needs, as Salesforce documents it: SystemModstamp/LastModifiedDate on
// every write ("System Fields"), the recycle bin seen only through QueryAll and Bulk API 2.0
// `queryAll` ("Execute a SOQL Query that Includes Deleted Items", "Create a Query Job"), merge with
// MasterRecordId ("merge()", "Triggers and Merge Statements"), Lead conversion ("convertLead()",
// "Change Events for Lead Conversion"). See docs/emulator.md, "Change tracking".
const v = '/services/data/v65.0';
type Rec = Record<string, unknown>;

const pause = (ms = 3): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('change tracking', () => {
  let emu: RunningEmulator;
  let token: string;
  let conn: Connection;
  const q = async (soql: string, resource = 'query'): Promise<Rec[]> => {
    const res = await call(emu, token, 'GET', `${v}/${resource}?q=${encodeURIComponent(soql)}`);
    if (res.status !== 200) throw new Error(res.text);
    return res.body.records as Rec[];
  };
  const byId = (sobject: string, id: string): Rec | undefined =>
    [...emu.org.records(sobject), ...emu.org.deletedRecords(sobject)].find((r) => r.Id === id);

  beforeAll(async () => {
    emu = await startEmulator();
    token = emu.issueTokens('admin').accessToken;
    conn = connectionFor(emu, 'admin');
    emu.org.insert('tightknit__Community__c', [{ Name: 'Acme', tightknit__Tightknit_Id__c: 'slack:T1' }]);
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('SystemModstamp and LastModifiedDate', () => {
    it('moves on every write path, and a later write never gets an earlier stamp', async () => {
      const stampsOf = (id: string): [string, string] => {
        const r = byId('Contact', id) as Rec;
        return [r.SystemModstamp as string, r.LastModifiedDate as string];
      };
      const seen: string[] = [];
      const step = async (what: string, id: string, write: () => unknown): Promise<void> => {
        const before = stampsOf(id)[0];
        await pause();
        await write();
        const [modstamp, lastModified] = stampsOf(id);
        expect({ what, later: modstamp > before }).toEqual({ what, later: true });
        expect(lastModified).toBe(modstamp);
        if (seen.length) expect(modstamp >= seen[seen.length - 1]).toBe(true);
        seen.push(modstamp);
      };
      const rest = await call(emu, token, 'POST', `${v}/sobjects/Contact`, { LastName: 'Rest' });
      const id = rest.body.id as string;
      await step('REST update', id, () => call(emu, token, 'PATCH', `${v}/sobjects/Contact/${id}`, { Title: 'A' }));
      await step('Collections update', id, () =>
        call(emu, token, 'PATCH', `${v}/composite/sobjects`, {
          records: [{ attributes: { type: 'Contact' }, Id: id, Title: 'B' }],
        }),
      );
      await step('Bulk update', id, () =>
        runIngest(emu, token, { object: 'Contact', operation: 'update' }, `Id,Title\n${id},C\n`),
      );
      await step('org.update', id, () => emu.org.update('Contact', id, { Title: 'D' }));
      await step('REST delete', id, () => call(emu, token, 'DELETE', `${v}/sobjects/Contact/${id}`));
      expect(byId('Contact', id)).toMatchObject({ IsDeleted: true, Title: 'D' });

      const [c2, c3, c4] = emu.org.insert('Contact', [
        { LastName: 'Two' },
        { LastName: 'Three' },
        { LastName: 'Four' },
      ]);
      await step('Collections delete', c2, () => call(emu, token, 'DELETE', `${v}/composite/sobjects?ids=${c2}`));
      await step('Bulk delete', c3, () =>
        runIngest(emu, token, { object: 'Contact', operation: 'delete' }, `Id\n${c3}\n`),
      );
      await step('org.delete', c4, () => emu.org.delete('Contact', c4));
      expect([c2, c3, c4].map((id) => byId('Contact', id)?.IsDeleted)).toEqual([true, true, true]);
    });

    it('stamps new records from REST, Collections, Bulk insert and org.insert alike', async () => {
      const start = new Date(Date.now() - 1).toISOString().replace('Z', '+0000');
      await call(emu, token, 'POST', `${v}/sobjects/Contact`, { LastName: 'StampRest' });
      await call(emu, token, 'POST', `${v}/composite/sobjects`, {
        records: [{ attributes: { type: 'Contact' }, LastName: 'StampColl' }],
      });
      await runIngest(emu, token, { object: 'Contact', operation: 'insert' }, 'LastName\nStampBulk\n');
      emu.org.insert('Contact', [{ LastName: 'StampDirect' }]);
      const rows = await q(
        "SELECT LastName, SystemModstamp, LastModifiedDate FROM Contact WHERE LastName LIKE 'Stamp%'",
      );
      expect(rows).toHaveLength(4);
      for (const r of rows) {
        expect((r.SystemModstamp as string) >= start).toBe(true);
        expect(r.LastModifiedDate).toBe(r.SystemModstamp);
      }
    });
  });

  describe('recycle bin', () => {
    let gone: string;
    let kept: string;
    beforeAll(async () => {
      [gone, kept] = emu.org.insert('Contact', [
        { LastName: 'Binned', Email: 'binned@x.io' },
        { LastName: 'Kept', Email: 'kept@x.io' },
      ]);
      await call(emu, token, 'DELETE', `${v}/sobjects/Contact/${gone}`);
    });

    it('hides deleted records from /query and shows them, IsDeleted = true, through /queryAll', async () => {
      const soql = "SELECT Id, IsDeleted FROM Contact WHERE LastName IN ('Binned', 'Kept') ORDER BY LastName";
      expect((await q(soql)).map((r) => r.Id)).toEqual([kept]);
      expect((await q(soql, 'queryAll')).map((r) => [r.Id, r.IsDeleted])).toEqual([
        [gone, true],
        [kept, false],
      ]);
      const deletedOnly = await q("SELECT Id FROM Contact WHERE IsDeleted = true AND LastName = 'Binned'", 'queryAll');
      expect(deletedOnly.map((r) => r.Id)).toEqual([gone]);
      expect(await q("SELECT Id FROM Contact WHERE IsDeleted = true AND LastName = 'Binned'")).toEqual([]);
      const live = await q(
        "SELECT Id FROM Contact WHERE IsDeleted = false AND LastName IN ('Binned','Kept')",
        'queryAll',
      );
      expect(live.map((r) => r.Id)).toEqual([kept]);
      const viaJsforce = await conn.query<Rec>("SELECT Id FROM Contact WHERE LastName = 'Binned'", { scanAll: true });
      expect(viaJsforce.records.map((r) => r.Id)).toEqual([gone]);
      expect(emu.org.records('Contact').some((r) => r.Id === gone)).toBe(false);
      expect(emu.org.deletedRecords('Contact').map((r) => r.Id)).toContain(gone);
    });

    it('answers ENTITY_IS_DELETED for writes to a deleted id', async () => {
      const res = await call(emu, token, 'PATCH', `${v}/composite/sobjects`, {
        records: [{ attributes: { type: 'Contact' }, Id: gone, Title: 'x' }],
      });
      expect(res.body[0]).toMatchObject({ success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED' }] });
      const again = await call(emu, token, 'DELETE', `${v}/composite/sobjects?ids=${gone}`);
      expect(again.body[0].errors[0].statusCode).toBe('ENTITY_IS_DELETED');
      expect(() => emu.org.update('Contact', gone, { Title: 'x' })).toThrow(/ENTITY_IS_DELETED/);
    });

    it('returns deleted records to Bulk API 2.0 queryAll jobs only (also jsforce scanAll)', async () => {
      conn.bulk2.pollInterval = 10;
      const soql = "SELECT Id, IsDeleted FROM Contact WHERE LastName IN ('Binned', 'Kept')";
      const plain = (await (await conn.bulk2.query(soql)).toArray()) as Rec[];
      expect(plain.map((r) => r.Id)).toEqual([kept]);
      const all = (await (await conn.bulk2.query(soql, { scanAll: true })).toArray()) as Rec[];
      expect(all.map((r) => `${String(r.Id)}:${String(r.IsDeleted)}`).sort()).toEqual(
        [`${gone}:true`, `${kept}:false`].sort(),
      );
    });

    it('keeps hardDelete out of the recycle bin', async () => {
      const [id] = emu.org.insert('Contact', [{ LastName: 'Hard' }]);
      await runIngest(emu, token, { object: 'Contact', operation: 'hardDelete' }, `Id\n${id}\n`);
      expect(byId('Contact', id)).toBeUndefined();
      expect(await q(`SELECT Id FROM Contact WHERE Id = '${id}'`, 'queryAll')).toEqual([]);
    });
  });

  describe('merge', () => {
    it('re-parents lookups to the master, bins the duplicates with MasterRecordId and bumps stamps', async () => {
      const [acct, otherAcct] = emu.org.insert('Account', [{ Name: 'M1' }, { Name: 'M2' }]);
      const [master, dup1, dup2] = emu.org.insert('Contact', [
        { LastName: 'Master', AccountId: acct },
        { LastName: 'Dup1', AccountId: otherAcct },
        { LastName: 'Dup2' },
      ]);
      const community = emu.org.records('tightknit__Community__c')[0].Id as string;
      const [m1, m2, m3] = emu.org.insert('tightknit__Member__c', [
        { Name: 'a', tightknit__Community__c: community, tightknit__Contact__c: dup1 },
        { Name: 'b', tightknit__Community__c: community, tightknit__Contact__c: dup2 },
        { Name: 'c', tightknit__Community__c: community, tightknit__Contact__c: master },
      ]);
      const before = (id: string, o = 'tightknit__Member__c'): string => byId(o, id)?.SystemModstamp as string;
      const [s1, s3, sMaster] = [before(m1), before(m3), before(master, 'Contact')];
      await pause();
      emu.org.merge('Contact', master, [dup1, dup2]);

      const members = await q(
        `SELECT Id, tightknit__Contact__c, SystemModstamp, LastModifiedDate FROM tightknit__Member__c WHERE Id IN ('${m1}','${m2}','${m3}') ORDER BY Name`,
      );
      expect(members.map((r) => r.tightknit__Contact__c)).toEqual([master, master, master]);
      expect((members[0].SystemModstamp as string) > s1).toBe(true);
      expect(members[0].LastModifiedDate).toBe(members[0].SystemModstamp);
      expect(members[2].SystemModstamp).toBe(s3); // already on the master: untouched
      const losers = await q(
        `SELECT Id, IsDeleted, MasterRecordId, SystemModstamp FROM Contact WHERE MasterRecordId = '${master}'`,
        'queryAll',
      );
      expect(losers.map((r) => [r.Id, r.IsDeleted]).sort()).toEqual([
        [dup1, true],
        [dup2, true],
      ]);
      expect(await q(`SELECT Id FROM Contact WHERE Id IN ('${dup1}','${dup2}')`)).toEqual([]);
      const [m] = await q(`SELECT SystemModstamp, AccountId, MasterRecordId FROM Contact WHERE Id = '${master}'`);
      expect((m.SystemModstamp as string) > sMaster).toBe(true);
      expect(m).toMatchObject({ AccountId: acct, MasterRecordId: null });
    });

    it('re-parents standard lookups when Accounts merge, and refuses bad requests with the cause', () => {
      const [keep, lose] = emu.org.insert('Account', [{ Name: 'Keep' }, { Name: 'Lose' }]);
      const [c] = emu.org.insert('Contact', [{ LastName: 'Child', AccountId: lose }]);
      emu.org.merge('Account', keep, [lose]);
      expect(byId('Contact', c)?.AccountId).toBe(keep);
      expect(byId('Account', lose)).toMatchObject({ IsDeleted: true, MasterRecordId: keep });
      expect(() => emu.org.merge('Account', keep, [lose])).toThrow(/ENTITY_IS_DELETED/);
      const [a, b, d, e] = emu.org.insert('Account', [{ Name: 'a' }, { Name: 'b' }, { Name: 'd' }, { Name: 'e' }]);
      expect(() => emu.org.merge('Account', a, [b, d, e])).toThrow(/one or two duplicates/);
      expect(() => emu.org.merge('Account', a, [a])).toThrow(/master is also listed/);
    });

    it('makes MasterRecordId read-only for the API', async () => {
      const [x, y] = emu.org.insert('Contact', [{ LastName: 'X' }, { LastName: 'Y' }]);
      const res = await call(emu, token, 'PATCH', `${v}/sobjects/Contact/${x}`, { MasterRecordId: y });
      expect(res.status).toBe(400);
      expect(res.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    });
  });

  describe('Lead conversion', () => {
    it('creates the Account and Contact, sets the conversion fields and makes the Lead read-only', async () => {
      const [lead] = emu.org.insert('Lead', [
        { FirstName: 'Lea', LastName: 'Convert', Company: 'Convert Co', Email: 'lea@convert.io', Title: 'CTO' },
      ]);
      const before = byId('Lead', lead)?.SystemModstamp as string;
      await pause();
      const { contactId, accountId } = emu.org.convertLead(lead);
      const [l] = await q(
        `SELECT IsConverted, ConvertedContactId, ConvertedAccountId, ConvertedOpportunityId, ConvertedDate, Status, SystemModstamp FROM Lead WHERE Id = '${lead}'`,
      );
      expect(l).toMatchObject({
        IsConverted: true,
        ConvertedContactId: contactId,
        ConvertedAccountId: accountId,
        ConvertedOpportunityId: null,
        ConvertedDate: new Date().toISOString().slice(0, 10),
        Status: 'Closed - Converted',
      });
      expect((l.SystemModstamp as string) > before).toBe(true);
      const [c] = await q(
        `SELECT FirstName, LastName, Email, Title, AccountId, Account.Name FROM Contact WHERE Id = '${contactId}'`,
      );
      expect(c).toMatchObject({ FirstName: 'Lea', LastName: 'Convert', Email: 'lea@convert.io', Title: 'CTO' });
      expect(c.Account).toMatchObject({ Name: 'Convert Co' });

      const update = await call(emu, token, 'PATCH', `${v}/sobjects/Lead/${lead}`, { Title: 'CEO' });
      expect(update.status).toBe(400);
      expect(update.body[0]).toMatchObject({
        errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
        message: 'cannot reference converted lead',
      });
      const bulk = await runIngest(emu, token, { object: 'Lead', operation: 'update' }, `Id,Title\n${lead},CEO\n`);
      expect(bulk.failed).toContain('CANNOT_UPDATE_CONVERTED_LEAD');
      expect(() => emu.org.update('Lead', lead, { Title: 'CEO' })).toThrow(/CANNOT_UPDATE_CONVERTED_LEAD/);
      expect(() => emu.org.convertLead(lead)).toThrow(/already converted/);
    });

    it('converts into an existing Account and Contact, filling only empty fields of the Contact', () => {
      const [acct] = emu.org.insert('Account', [{ Name: 'Existing' }]);
      const [contact] = emu.org.insert('Contact', [{ LastName: 'Known', Email: 'known@x.io', AccountId: acct }]);
      const [lead] = emu.org.insert('Lead', [
        { FirstName: 'New', LastName: 'Lead', Company: 'Ignored', Email: 'other@x.io', Title: 'VP' },
      ]);
      expect(() => emu.org.convertLead(lead, { contactId: contact })).toThrow(/needs the accountId/);
      expect(emu.org.convertLead(lead, { contactId: contact, accountId: acct })).toEqual({
        contactId: contact,
        accountId: acct,
      });
      expect(byId('Contact', contact)).toMatchObject({
        FirstName: 'New',
        LastName: 'Known',
        Email: 'known@x.io',
        Title: 'VP',
      });
      expect(emu.org.records('Account').filter((a) => a.Name === 'Ignored')).toEqual([]);
    });
  });
});

describe('access errors and subscriber fields', () => {
  let emu: RunningEmulator;
  let token: string;
  const get = (resource: string, soql: string) =>
    call(emu, token, 'GET', `${v}/${resource}?q=${encodeURIComponent(soql)}`);
  const bulkCreate = (soql: string, operation = 'queryAll') =>
    call(emu, token, 'POST', `${v}/jobs/query`, { operation, query: soql });

  beforeAll(async () => {
    emu = await startEmulator({
      extraFields: { Contact: [{ name: 'Work_Email__c', type: 'email', label: 'Work Email' }] },
    });
    token = emu.issueTokens('integration').accessToken;
    emu.org.insert('Contact', [{ LastName: 'Worker', Email: 'home@x.io', Work_Email__c: 'work@corp.io' }]);
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => emu.setGrants({ hiddenFields: [], contactRead: true, leadRead: true }));

  it('lets the integration user read and write a subscriber custom field', async () => {
    const res = await get('query', "SELECT Work_Email__c FROM Contact WHERE Work_Email__c = 'WORK@corp.io'");
    expect(res.body.records.map((r: Rec) => r.Work_Email__c)).toEqual(['work@corp.io']);
    const bad = await call(emu, token, 'POST', `${v}/sobjects/Contact`, { LastName: 'B', Work_Email__c: 'nope' });
    expect(bad.body[0].errorCode).toBe('INVALID_EMAIL_ADDRESS');
    const describe = await call(emu, token, 'GET', `${v}/sobjects/Contact/describe`);
    expect(describe.body.fields.find((f: Rec) => f.name === 'Work_Email__c')).toMatchObject({
      type: 'email',
      custom: true,
      label: 'Work Email',
      updateable: true,
    });
  });

  it('answers INVALID_FIELD for a hidden field in SELECT, WHERE and ORDER BY, on /query, /queryAll and Bulk', async () => {
    emu.setGrants({ hiddenFields: ['Contact.Work_Email__c', 'Contact.Email'] });
    const cases: Array<[string, string, number]> = [
      ['SELECT Id, Work_Email__c FROM Contact', 'Work_Email__c', 12],
      ["SELECT Id FROM Contact WHERE Email = 'a@b.c'", 'Email', 30],
      ['SELECT Id FROM Contact ORDER BY Email', 'Email', 33],
    ];
    for (const [soql, name, column] of cases) {
      for (const resource of ['query', 'queryAll']) {
        const res = await get(resource, soql);
        expect(res.status).toBe(400);
        expect(res.body[0].errorCode).toBe('INVALID_FIELD');
        expect(res.body[0].message).toContain(`ERROR at Row:1:Column:${column}`);
        expect(res.body[0].message).toContain(
          `No such column '${name}' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      const job = await bulkCreate(soql);
      expect(job.status).toBe(400);
      expect(job.body[0].errorCode).toBe('INVALID_FIELD');
    }
    const describe = await call(emu, token, 'GET', `${v}/sobjects/Contact/describe`);
    const names = describe.body.fields.map((f: Rec) => f.name);
    expect(names).not.toContain('Email');
    expect(names).not.toContain('Work_Email__c');
    expect(names).toContain('LastName');
    const write = await call(emu, token, 'POST', `${v}/sobjects/Contact`, { LastName: 'W', Email: 'w@x.io' });
    expect(write.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const admin = emu.issueTokens('admin').accessToken;
    const asAdmin = await call(emu, admin, 'GET', `${v}/query?q=${encodeURIComponent('SELECT Email FROM Contact')}`);
    expect(asAdmin.status).toBe(200);
  });

  it('answers INVALID_TYPE for an object the user cannot read, on /query, /queryAll and Bulk', async () => {
    emu.setGrants({ contactRead: false, contactCreate: false, contactEdit: false, leadRead: false });
    for (const object of ['Contact', 'Lead']) {
      const soql = `SELECT Id, IsDeleted, SystemModstamp FROM ${object}`;
      for (const resource of ['query', 'queryAll']) {
        const res = await get(resource, soql);
        expect(res.status).toBe(400);
        expect(res.body[0].errorCode).toBe('INVALID_TYPE');
        expect(res.body[0].message).toContain(
          `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
        );
      }
      const job = await bulkCreate(soql, 'query');
      expect(job.status).toBe(400);
      expect(job.body[0].errorCode).toBe('INVALID_TYPE');
    }
    emu.setGrants({ contactRead: true, contactCreate: true, contactEdit: true });
  });

  it('rejects a malformed extraFields option with the cause', async () => {
    await expect(startEmulator({ extraFields: { Contact: [{ name: 'Work Email', type: 'email' }] } })).rejects.toThrow(
      /end it in __c/,
    );
    await expect(startEmulator({ extraFields: { User: [{ name: 'X__c', type: 'string' }] } })).rejects.toThrow(
      /not a standard object/,
    );
  });
});

describe('recycle bin persistence', () => {
  it('keeps deleted and merged records across a restart with dataFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-bin-'));
    try {
      const dataFile = join(dir, 'org.ndjson');
      const first = await startEmulator({ dataFile });
      const [master, dup, gone] = first.org.insert('Contact', [
        { LastName: 'M' },
        { LastName: 'D' },
        { LastName: 'G' },
      ]);
      first.org.merge('Contact', master, [dup]);
      first.org.delete('Contact', gone);
      await first.close();
      const second = await startEmulator({ dataFile });
      try {
        expect(second.org.records('Contact').map((r) => r.Id)).toEqual([master]);
        const binned = second.org.deletedRecords('Contact');
        expect(binned.map((r) => [r.Id, r.IsDeleted, r.MasterRecordId ?? null]).sort()).toEqual(
          [
            [dup, true, master],
            [gone, true, null],
          ].sort(),
        );
        const token = second.issueTokens('admin').accessToken;
        const res = await call(second, token, 'GET', `${v}/queryAll?q=${encodeURIComponent('SELECT Id FROM Contact')}`);
        expect(res.body.totalSize).toBe(3);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
