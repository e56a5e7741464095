import { Connection } from '@jsforce/jsforce-node';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { permissionSetCopy, withoutFls } from '../../../org-emulator/__tests__/helpers/permission-sets';
import { parseConfig, type SyncConfig } from '../../config';
import { runChecks, type CheckItem, type CheckReport } from '../check';

const config = (over: Record<string, unknown> = {}): SyncConfig => parseConfig(over, 'test');

function connectionTo(emu: RunningEmulator, user: 'admin' | 'integration' = 'integration'): Connection {
  return new Connection({
    instanceUrl: emu.instanceUrl,
    accessToken: emu.issueTokens(user).accessToken,
    version: '65.0',
  });
}

function item(r: CheckReport, id: string): CheckItem {
  const found = r.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${r.checks.map((c) => c.id).join(', ')}`);
  return found;
}

describe('check against the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => {
    emu.setGrants({ contactRead: true, contactCreate: true, contactEdit: true, leadRead: true, apiEnabled: true });
    emu.setFaults({ apiRequestLimit: undefined });
  });

  it('passes every blocking check with the documented grants', async () => {
    const r = await runChecks({ connection: connectionTo(emu), config: config({ createContacts: true }) });
    expect(r.ok).toBe(true);
    for (const id of [
      'api-access',
      'contact-read',
      'contact-create',
      'matching-field',
      'fls',
      'fls-member-contact',
      'modify-all',
      'lead-read',
      'limits',
    ]) {
      expect(item(r, id).status).toBe('pass');
    }
  });

  it('warns on the API-only Salesforce Integration license and names the permission set license', async () => {
    const r = await runChecks({ connection: connectionTo(emu), config: config() });
    const lic = item(r, 'license');
    expect(lic.status).toBe('warn');
    expect(lic.fix).toContain('Salesforce API Integration');
    expect(r.ok).toBe(true);
  });

  it('fails API access without API Enabled and skips the rest', async () => {
    emu.setGrants({ apiEnabled: false });
    const r = await runChecks({ connection: connectionTo(emu), config: config() });
    expect(r.ok).toBe(false);
    expect(item(r, 'api-access')).toMatchObject({ status: 'fail', blocking: true });
    expect(item(r, 'api-access').fix).toContain('API Enabled');
    expect(item(r, 'contact-read').status).toBe('skip');
  });

  it('fails Read on Contact and says the package cannot grant it', async () => {
    emu.setGrants({ contactRead: false, contactCreate: false, contactEdit: false });
    const r = await runChecks({ connection: connectionTo(emu), config: config() });
    expect(r.ok).toBe(false);
    expect(item(r, 'contact-read').status).toBe('fail');
    expect(item(r, 'contact-read').fix).toMatch(/package cannot grant/);
  });

  it('fails Create on Contact only when Create Contacts is on', async () => {
    emu.setGrants({ contactCreate: false });
    const on = await runChecks({ connection: connectionTo(emu), config: config({ createContacts: true }) });
    expect(item(on, 'contact-create').status).toBe('fail');
    expect(item(on, 'contact-create').fix).toContain('--no-create-contacts');
    const off = await runChecks({ connection: connectionTo(emu), config: config({ createContacts: false }) });
    expect(off.checks.some((c) => c.id === 'contact-create')).toBe(false);
    expect(off.ok).toBe(true);
  });

  it('fails Lead read only when Lead matching is on', async () => {
    emu.setGrants({ leadRead: false });
    const on = await runChecks({ connection: connectionTo(emu), config: config({ matchLeads: true }) });
    expect(item(on, 'lead-read').status).toBe('fail');
    const off = await runChecks({ connection: connectionTo(emu), config: config({ matchLeads: false }) });
    expect(off.checks.some((c) => c.id === 'lead-read')).toBe(false);
  });

  it('fails an unknown matching field', async () => {
    const r = await runChecks({ connection: connectionTo(emu), config: config({ matchingField: 'Work_Email__c' }) });
    expect(item(r, 'matching-field').status).toBe('fail');
  });

  it('fails the limits check when few daily API requests are left', async () => {
    const conn = connectionTo(emu);
    const now = await conn.request<{ DailyApiRequests: { Max: number; Remaining: number } }>(
      '/services/data/v65.0/limits',
    );
    const used = now.DailyApiRequests.Max - now.DailyApiRequests.Remaining + 1;
    emu.setFaults({ apiRequestLimit: used + 45 });
    const r = await runChecks({ connection: conn, config: config() });
    expect(item(r, 'limits').status).toBe('fail');
    expect(item(r, 'limits').detail).toMatch(/API requests \d+ of [\d,]+ left today/);
  });

  it('says REQUEST_LIMIT_EXCEEDED is a limit, not a missing permission', async () => {
    emu.setFaults({ apiRequestLimit: 1 });
    const r = await runChecks({ connection: connectionTo(emu), config: config() });
    expect(item(r, 'api-access').detail).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(item(r, 'api-access').fix).toContain('24-hour');
  });
});

describe('field-level security on Member__c.Contact__c', () => {
  it('names the Contact lookup when its FLS is missing', async () => {
    const copy = permissionSetCopy((name, xml) =>
      name === 'Tightknit_Integration_User' ? withoutFls(xml, 'Member__c.Contact__c') : xml,
    );
    const emu = await startEmulator({ permissionSetsDir: copy.dir });
    try {
      const r = await runChecks({ connection: connectionTo(emu), config: config() });
      expect(r.ok).toBe(false);
      expect(item(r, 'fls-member-contact').status).toBe('fail');
      expect(item(r, 'fls-member-contact').detail).toContain('Member__c.Contact__c');
      expect(item(r, 'fls').detail).toContain('tightknit__Member__c.tightknit__Contact__c');
    } finally {
      await emu.close();
      copy.remove();
    }
  });
});

describe('Modify All (ObjectPermissions)', () => {
  const stub = (modifyAll: Record<string, boolean>, holdsPackageSet = true) =>
    ({
      request: async (url: string) =>
        url.includes('userinfo')
          ? { user_id: '005000000000001AAA', preferred_username: 'sync@x' }
          : { DailyApiRequests: { Max: 100, Remaining: 90 } },
      describe: async () => ({ queryable: true, createable: true, fields: [] }),
      query: async (soql: string) => {
        if (soql.includes('FROM PermissionSetAssignment')) {
          return {
            records: [
              {
                PermissionSetId: '0PS000000000001AAA',
                PermissionSet: {
                  Name: holdsPackageSet ? 'Tightknit_Integration_User' : 'Mine',
                  PermissionsModifyAllData: false,
                },
              },
            ],
          };
        }
        if (soql.includes('FROM ObjectPermissions')) {
          return {
            records: Object.entries(modifyAll).map(([SobjectType, PermissionsModifyAllRecords]) => ({
              SobjectType,
              PermissionsModifyAllRecords,
            })),
          };
        }
        return { records: [] };
      },
    }) as unknown as Connection;

  it('passes with Modify All Records on the three objects', async () => {
    const r = await runChecks({
      connection: stub({ tightknit__Community__c: true, tightknit__Member__c: true, tightknit__Activity__c: true }),
      config: config(),
    });
    expect(item(r, 'modify-all').status).toBe('pass');
  });

  it('fails and names the objects without Modify All Records', async () => {
    const r = await runChecks({
      connection: stub({ tightknit__Community__c: true, tightknit__Member__c: false }),
      config: config(),
    });
    const m = item(r, 'modify-all');
    expect(m.status).toBe('fail');
    expect(m.detail).toContain('tightknit__Member__c');
    expect(m.detail).toContain('tightknit__Activity__c');
    expect(m.fix).toContain('INSUFFICIENT_ACCESS_OR_READONLY');
  });
});
