import { Connection } from '@jsforce/jsforce-node';
import { startEmulator } from '../../../org-emulator';
import { compareVersions, requiredPackageVersion, syncedObjects } from '../package-fields';
import { verifyPackage } from '../verify';

function connectionTo(emu: Awaited<ReturnType<typeof startEmulator>>): Connection {
  return new Connection({
    instanceUrl: emu.instanceUrl,
    accessToken: emu.issueTokens('integration').accessToken,
    version: '65.0',
  });
}

describe('verify', () => {
  it('confirms the package, its version and every object and field the sync writes', async () => {
    const emu = await startEmulator();
    try {
      const r = await verifyPackage({ connection: connectionTo(emu) });
      expect(r.ok).toBe(true);
      expect(r.installed).toMatchObject({ name: 'Tightknit Analytics', namespace: 'tightknit' });
      expect(r.objects.map((o) => o.name).sort()).toEqual([
        'tightknit__Activity__c',
        'tightknit__Community__c',
        'tightknit__Member__c',
      ]);
      expect(r.objects.every((o) => o.found && o.missingFields.length === 0)).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('says the package is missing and which version is needed', async () => {
    const emu = await startEmulator({ packageInstalled: false });
    try {
      const r = await verifyPackage({ connection: connectionTo(emu) });
      expect(r.ok).toBe(false);
      expect(r.problems[0].code).toBe('PACKAGE_NOT_INSTALLED');
      expect(r.problems[0].message).toContain(`${requiredPackageVersion()} or later`);
      expect(r.problems[0].fix).toContain('Install for Admins Only');
    } finally {
      await emu.close();
    }
  });

  it('says an older package must be upgraded, and names missing fields', async () => {
    const fields = syncedObjects().map((o) => ({ name: o.name, fields: o.fields.map((f) => f.name) }));
    const stub = {
      tooling: {
        query: async () => ({
          records: [
            {
              SubscriberPackage: { Name: 'Tightknit Analytics', NamespacePrefix: 'tightknit' },
              SubscriberPackageVersion: { MajorVersion: 0, MinorVersion: 0, PatchVersion: 9, BuildNumber: 3 },
            },
          ],
        }),
      },
      describe: async (name: string) => ({
        fields: (fields.find((f) => f.name === name)?.fields ?? [])
          .filter((f) => f !== 'tightknit__Engagement_Level__c')
          .map((n) => ({ name: n })),
      }),
    } as unknown as Connection;
    const r = await verifyPackage({ connection: stub });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['PACKAGE_TOO_OLD', 'FIELD_MISSING']);
    expect(r.problems[0].message).toBe(
      `Tightknit Analytics 0.0.9.3 is installed; this sync needs ${requiredPackageVersion()} or later.`,
    );
    expect(r.problems[1].message).toContain('tightknit__Engagement_Level__c');
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareVersions('0.1.0.1', '0.1.0')).toBeGreaterThan(0);
    expect(compareVersions('0.1.0', '0.1.0.0')).toBe(0);
  });
});
