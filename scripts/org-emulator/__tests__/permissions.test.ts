import { startEmulator } from '../index';
import { runIngest, lines } from './helpers/bulk';
import { call } from './helpers/emulator';
import { permissionSetCopy, withoutFls, withoutModifyAll } from './helpers/permission-sets';

// Expectations: a column the user has no FLS edit on fails the job with "InvalidBatch : Field name
// not found" (Bulk API 2.0 behaviour, see salesforce-platform.md 6.2); records owned by another user
// need Modify All (or a Read/Write sharing model) to be edited: INSUFFICIENT_ACCESS_OR_READONLY
// (SOAP API StatusCode list); a user without API Enabled gets API_CURRENTLY_DISABLED.
const upsertMembers = {
  object: 'tightknit__Member__c',
  operation: 'upsert',
  externalIdFieldName: 'tightknit__Tightknit_Id__c',
};

describe('access enforced from the permission set files', () => {
  it('fails the job when the permission set forgets FLS on Member__c.Contact__c', async () => {
    const copy = permissionSetCopy((name, xml) =>
      name === 'Tightknit_Integration_User' ? withoutFls(xml, 'Member__c.Contact__c') : xml,
    );
    const emu = await startEmulator({ permissionSetsDir: copy.dir });
    try {
      emu.org.insert('tightknit__Community__c', [{ Name: 'Acme', tightknit__Tightknit_Id__c: 'slack:T1' }]);
      const token = emu.issueTokens('integration').accessToken;
      const run = await runIngest(
        emu,
        token,
        upsertMembers,
        'tightknit__Tightknit_Id__c,Name,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Contact__c\nslack:T1:U1,Ada,slack:T1,\n',
      );
      expect(run.info).toMatchObject({
        state: 'Failed',
        errorMessage: 'InvalidBatch : Field name not found : tightknit__Contact__c',
      });
      expect(lines(run.unprocessed)).toHaveLength(1);
    } finally {
      await emu.close();
      copy.remove();
    }
  });

  it('refuses edits of records owned by someone else without Modify All', async () => {
    const copy = permissionSetCopy((_name, xml) => withoutModifyAll(xml));
    const emu = await startEmulator({ permissionSetsDir: copy.dir });
    try {
      emu.org.insert('tightknit__Community__c', [
        { Name: 'Admin owned', tightknit__Tightknit_Id__c: 'slack:T1', OwnerId: emu.users.admin.id },
        { Name: 'Mine', tightknit__Tightknit_Id__c: 'slack:T2', OwnerId: emu.users.integration.id },
      ]);
      const token = emu.issueTokens('integration').accessToken;
      const run = await runIngest(
        emu,
        token,
        { object: 'tightknit__Community__c', operation: 'upsert', externalIdFieldName: 'tightknit__Tightknit_Id__c' },
        'tightknit__Tightknit_Id__c,tightknit__Slack_Domain__c\nslack:T1,acme\nslack:T2,mine\n',
      );
      expect(lines(run.success)).toHaveLength(1);
      expect(lines(run.failed)[0]).toMatch(
        /^"a0\w{16}","INSUFFICIENT_ACCESS_OR_READONLY:insufficient access rights on object id:--","slack:T1","acme"$/,
      );
    } finally {
      await emu.close();
      copy.remove();
    }
  });

  it('applies per-scenario grants: no Contact create, no Lead read, no API Enabled', async () => {
    const emu = await startEmulator({ grants: { contactCreate: false } });
    try {
      const token = emu.issueTokens('integration').accessToken;
      const run = await runIngest(
        emu,
        token,
        { object: 'Contact', operation: 'insert' },
        'LastName,Email\nNew,new@x.io\n',
      );
      expect(lines(run.failed)[0]).toContain('INSUFFICIENT_ACCESS_OR_READONLY:');
      emu.setGrants({ leadRead: false });
      const lead = await call(
        emu,
        token,
        'GET',
        `/services/data/v65.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`,
      );
      expect(lead.body[0].errorCode).toBe('INVALID_TYPE');
      emu.setGrants({ contactRead: false, contactEdit: false });
      const contact = await call(emu, token, 'POST', '/services/data/v65.0/jobs/ingest', {
        object: 'Contact',
        operation: 'insert',
      });
      expect(contact.status).toBe(404);
      emu.setGrants({ apiEnabled: false });
      const off = await call(emu, token, 'GET', '/services/data/v65.0/limits');
      expect(off.status).toBe(403);
      expect(off.body).toEqual([{ message: 'API is disabled for this User', errorCode: 'API_CURRENTLY_DISABLED' }]);
    } finally {
      await emu.close();
    }
  });
});
