import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../org-emulator';
import { runDemo } from '../sync/ops/demo';
import { addFixtures, type FixtureIds } from './fixtures';
import { pickDemoRecords, type Audience, type DemoPicks } from './scenes';
import type { OrgSession } from './data/soql';

/** The orgs behind the gallery: the demo's (with the gallery's extra records) and a freshly installed one. */
export interface GalleryOrg {
  emulator: RunningEmulator;
  demo: DemoPicks;
  fixtures: FixtureIds;
  /** The Apex stand-in's session per audience. */
  sessions: Record<Audience, OrgSession>;
  close(): Promise<void>;
}

export interface GalleryOrgOptions {
  /** An emulator the demo already synced into (`demo --gallery`); default: start one and run the demo. */
  emulator?: RunningEmulator;
  now?: Date;
  onLine?: (line: string) => void;
}

function session(emu: RunningEmulator, user: 'admin' | 'integration'): OrgSession {
  return {
    instanceUrl: emu.instanceUrl,
    namespace: 'tightknit',
    accessToken: emu.issueTokens(user).accessToken,
    userId: emu.users[user].id,
  };
}

/**
 * Prepares the data the gallery's pages show: the demo's sample community synced into the org emulator
 * (ingest, backfill, new activity, incremental sync), plus the gallery's extra records, with the
 * integration user stored as the Setup wizard's steps 1 and 2 would leave it. A second, empty emulator
 * is the freshly installed org of the Setup pages' empty state; a third, whose user holds none of the
 * package's permission sets, answers the no-access pages.
 */
export async function prepareGalleryOrg(opts: GalleryOrgOptions = {}): Promise<GalleryOrg> {
  const now = opts.now ?? new Date();
  const owned = !opts.emulator;
  const emulator = opts.emulator ?? (await startEmulator());
  const fresh = await startEmulator();
  // No package permission set grants anything here: its user is a rep nobody gave Tightknit access.
  const noPermissionSets = mkdtempSync(join(tmpdir(), 'tightknit-gallery-no-access-'));
  const denied = await startEmulator({ permissionSetsDir: noPermissionSets });
  const closeOwn = async (): Promise<void> => {
    await fresh.close();
    await denied.close();
    rmSync(noPermissionSets, { recursive: true, force: true });
    if (owned) await emulator.close();
  };
  try {
    if (owned) {
      // The emulator outlives the demo: the gallery reads what the demo synced into it.
      await runDemo({
        startOrg: async () => ({ ...emulator, close: async () => undefined }),
        now,
        onLine: opts.onLine,
      });
    }
    // Picked before the gallery's own records join: "with data" shows the demo's community as synced.
    const demo = pickDemoRecords(emulator.org);
    // The sample community carries no Studio URL; an admin sets it for the "View in Tightknit" links.
    emulator.org.update('tightknit__Community__c', demo.community, {
      tightknit__Studio_Url__c: 'https://studio.tightknit.ai/tightknit-demo',
    });
    const contact = emulator.org.records('Contact').find((c) => c.Id === demo.contact) ?? {};
    const [deniedContact] = denied.org.insert(
      'Contact',
      [{ FirstName: contact.FirstName, LastName: contact.LastName ?? 'Contact', Email: contact.Email }].map((r) =>
        Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== null)),
      ),
    );
    const fixtures = { ...addFixtures(emulator.org, now), deniedContact };
    emulator.org.insert('tightknit__Tightknit_Settings__c', [
      { tightknit__Integration_User_Id__c: emulator.users.integration.id, tightknit__Eca_Policies_Confirmed__c: false },
    ]);
    return {
      emulator,
      demo,
      fixtures,
      sessions: {
        rep: session(emulator, 'admin'),
        'no-access': session(denied, 'integration'),
        'fresh-org': session(fresh, 'admin'),
      },
      close: closeOwn,
    };
  } catch (e) {
    await closeOwn();
    throw e;
  }
}
