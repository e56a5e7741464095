import { SObjects } from '../../../generated/sobjects';
import { UsageError } from '../../errors';
import { investigateRun } from '../../history';
import { runSync } from '..';
import { onStoreFile } from '../../../test-support/store-file';
import { byExternalId, config, FAST, harness, NOW, seed, TEAM, type Harness } from './helpers/fixture';

const M = SObjects.Member;
const id = (n: number): string => `${TEAM}:U${n}`;

describe('Contact and Lead matching', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  function seedPeople(): Record<string, string> {
    const [one, older, newer, upper] = h.emu.org.insert('Contact', [
      { LastName: 'One', Email: 'member1@example.com', LastModifiedDate: '2026-01-01T00:00:00.000Z' },
      { LastName: 'Older', Email: 'member2@example.com', LastModifiedDate: '2026-01-01T00:00:00.000Z' },
      { LastName: 'Newer', Email: 'member2@example.com', LastModifiedDate: '2026-06-01T00:00:00.000Z' },
      { LastName: 'Upper', Email: 'MEMBER3@Example.COM', LastModifiedDate: '2026-01-01T00:00:00.000Z' },
    ]);
    const [lead] = h.emu.org.insert('Lead', [{ LastName: 'Lead', Company: 'Acme', Email: 'member4@example.com' }]);
    return { one, older, newer, upper, lead };
  }

  it('links one match, the newest of several, case-insensitively, a Lead when no Contact, never bots', async () => {
    const people = seedPeople();
    await seed(h.store, {
      members: 6,
      activities: 6,
      memberExtra: (n) => (n === 6 ? { isBot: true, email: 'member1@example.com' } : {}),
    });
    const summary = await h.run('backfill');
    expect(summary.status).toBe('Succeeded');
    const members = byExternalId(h.emu.org.records(M));
    expect(members.get(id(1))).toMatchObject({
      tightknit__Contact__c: people.one,
      tightknit__Contact_Link_Status__c: 'Matched',
    });
    expect(members.get(id(2))).toMatchObject({
      tightknit__Contact__c: people.newer,
      tightknit__Contact_Link_Status__c: 'Multiple Matches',
    });
    expect(members.get(id(3))).toMatchObject({
      tightknit__Contact__c: people.upper,
      tightknit__Contact_Link_Status__c: 'Matched',
    });
    expect(members.get(id(4))).toMatchObject({
      tightknit__Lead__c: people.lead,
      tightknit__Contact_Link_Status__c: 'Unmatched',
    });
    expect(members.get(id(4))?.tightknit__Contact__c ?? null).toBeNull();
    expect(members.get(id(5))).toMatchObject({ tightknit__Contact_Link_Status__c: 'Unmatched' });
    expect(members.get(id(6))).toMatchObject({ tightknit__Contact_Link_Status__c: 'Unmatched' });
    expect(members.get(id(6))?.tightknit__Contact__c ?? null).toBeNull();
    expect(await h.store.ledger.contactLink(id(2))).toMatchObject({
      status: 'Multiple Matches',
      contactId: people.newer,
    });
  });

  it('matches the same way through one Bulk query job when many e-mails are looked up', async () => {
    const people = seedPeople();
    await seed(h.store, { members: 5, activities: 5 });
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'backfill',
      now: NOW,
      tuning: { ...FAST, bulkMatchThreshold: 1 },
    });
    expect(summary.status).toBe('Succeeded');
    const members = byExternalId(h.emu.org.records(M));
    expect(members.get(id(1))).toMatchObject({
      tightknit__Contact__c: people.one,
      tightknit__Contact_Link_Status__c: 'Matched',
    });
    expect(members.get(id(2))).toMatchObject({
      tightknit__Contact__c: people.newer,
      tightknit__Contact_Link_Status__c: 'Multiple Matches',
    });
    expect(members.get(id(3))).toMatchObject({
      tightknit__Contact__c: people.upper,
      tightknit__Contact_Link_Status__c: 'Matched',
    });
    expect(members.get(id(4))).toMatchObject({
      tightknit__Lead__c: people.lead,
      tightknit__Contact_Link_Status__c: 'Unmatched',
    });
  });

  it('creates a Contact once when "Create Contacts" is on, even across re-runs and a lost answer', async () => {
    await seed(h.store, {
      members: 2,
      activities: 2,
      memberExtra: (n) => (n === 2 ? { email: 'MEMBER1@example.com' } : {}),
    });
    const cfg = config({ createContacts: true });
    const first = await runSync({
      store: h.store,
      connection: h.connection(),
      config: cfg,
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    });
    expect(first.status).toBe('Succeeded');
    const contacts = h.emu.org.records('Contact');
    expect(contacts).toHaveLength(1);
    const members = byExternalId(h.emu.org.records(M));
    expect(members.get(id(1))).toMatchObject({
      tightknit__Contact__c: contacts[0].Id,
      tightknit__Contact_Link_Status__c: 'Created',
    });
    expect(members.get(id(2))).toMatchObject({
      tightknit__Contact__c: contacts[0].Id,
      tightknit__Contact_Link_Status__c: 'Created',
    });

    // A crash after the Contact was created but before its id was recorded: the intent stays, the id is lost.
    onStoreFile(h.store, (db) =>
      db.prepare('UPDATE ledger_contact_links SET created_contact_id = NULL, contact_id = NULL, status = NULL').run(),
    );
    const second = await runSync({
      store: h.store,
      connection: h.connection(),
      config: cfg,
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    });
    expect(second.status).toBe('Succeeded');
    expect(h.emu.org.records('Contact')).toHaveLength(1);
    expect(byExternalId(h.emu.org.records(M)).get(id(1))).toMatchObject({
      tightknit__Contact__c: contacts[0].Id,
      tightknit__Contact_Link_Status__c: 'Created',
    });
    // And a plain re-run keeps it that way.
    await runSync({
      store: h.store,
      connection: h.connection(),
      config: cfg,
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    });
    expect(h.emu.org.records('Contact')).toHaveLength(1);
    expect(byExternalId(h.emu.org.records(M)).get(id(2))?.tightknit__Contact_Link_Status__c).toBe('Created');
  });

  it('never touches a locked link', async () => {
    const people = seedPeople();
    const [manual] = h.emu.org.insert('Contact', [{ LastName: 'Chosen by a person', Email: 'someone@else.com' }]);
    // A person linked member 1 by hand before the sync ever ran; the package's trigger locked the link.
    const [communityId] = h.emu.org.insert(SObjects.Community, [
      { Name: 'Test Community', tightknit__Tightknit_Id__c: TEAM },
    ]);
    h.emu.org.insert(M, [
      {
        Name: 'Member 1',
        tightknit__Tightknit_Id__c: id(1),
        tightknit__Community__c: communityId,
        tightknit__Contact__c: manual,
        tightknit__Contact_Link_Status__c: 'Manual',
        tightknit__Contact_Link_Locked__c: true,
      },
    ]);
    await seed(h.store, { members: 2, activities: 2 });
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config({ createContacts: true }),
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    });
    expect(summary.status).toBe('Succeeded');
    const members = byExternalId(h.emu.org.records(M));
    expect(members.get(id(1))).toMatchObject({
      tightknit__Contact__c: manual,
      tightknit__Contact_Link_Status__c: 'Manual',
      tightknit__Contact_Link_Locked__c: true,
    });
    expect(members.get(id(1))?.tightknit__Activity_Count__c).toBe(1);
    expect(members.get(id(2))).toMatchObject({
      tightknit__Contact__c: people.newer,
      tightknit__Contact_Link_Status__c: 'Multiple Matches',
    });
  });

  it('leaves links unchanged and explains when Contact cannot be read', async () => {
    await seed(h.store, { members: 2, activities: 2 });
    h.emu.setGrants({ contactRead: false, contactCreate: false, contactEdit: false }); // Create/Edit imply Read
    const summary = await h.run('backfill');
    expect(summary.objects.member.succeeded).toBe(2);
    expect(summary.status).toBe('PartiallyFailed');
    const members = byExternalId(h.emu.org.records(M));
    const inv = await investigateRun(h.store, summary.runId);
    expect(members.get(id(1))?.tightknit__Contact_Link_Status__c ?? null).toBeNull();
    const event = inv.events.find((e) => e.code === 'MATCHING_UNAVAILABLE');
    expect(event?.hint?.fix).toMatch(/Grant Read on Contact/);
  });

  it('refuses a matching field that is not a Contact e-mail or text field', async () => {
    await seed(h.store, { members: 1, activities: 0 });
    const err = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config({ matchingField: 'Phone' }),
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe('INVALID_MATCHING_FIELD');
  });
});
