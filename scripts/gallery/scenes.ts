import type { EmulatorOrgHandle } from '../org-emulator';
import { COMPONENTS, FRAMES, type FrameName, type GalleryComponent, type PageObject, type StateName } from './catalog';
import type { FixtureIds } from './fixtures';
import { namespaced } from './data/soql';

/** Which org a page's Apex calls reach, as whom. */
export type Audience = 'rep' | 'no-access' | 'fresh-org';

/** Everything one gallery page needs: the component, its record, its frame and how its Apex answers. */
export interface Scene {
  component: GalleryComponent;
  state: StateName;
  frame: FrameName;
  /** The record page's record ('' on an app page). */
  recordId: string;
  objectApiName: string;
  /** The record's name for the page header. */
  recordName: string;
  audience: Audience;
  /** Apex calls never answer (the component's loading state). */
  hang: boolean;
}

/** The records of the demo's own data that the "with data" pages show. */
export interface DemoPicks {
  account: string;
  contact: string;
  member: string;
  activity: string;
  community: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The most engaged Account, person and member of the demo's data (what the demo's summary also shows). */
export function pickDemoRecords(org: EmulatorOrgHandle): DemoPicks {
  const ns = (n: string): string => namespaced(n, 'tightknit');
  const contacts = new Map(org.records('Contact').map((c) => [str(c.Id), c]));
  const members = org
    .records(ns('Member__c'))
    .filter((m) => contacts.has(str(m[ns('Contact__c')])) && !m[ns('Is_Bot__c')])
    .sort((a, b) => Number(b[ns('Engagement_Score__c')] ?? 0) - Number(a[ns('Engagement_Score__c')] ?? 0));
  const perAccount = new Map<string, number>();
  for (const m of members) {
    const account = str(contacts.get(str(m[ns('Contact__c')]))?.AccountId);
    if (account) perAccount.set(account, (perAccount.get(account) ?? 0) + 1);
  }
  const top = members[0];
  if (!top) throw new Error('The demo left no member linked to a Contact; the gallery has nothing to show.');
  const activities = org
    .records(ns('Activity__c'))
    .filter((a) => a[ns('Member__c')] === top.Id)
    .sort((a, b) => str(b[ns('Occurred_At__c')]).localeCompare(str(a[ns('Occurred_At__c')])));
  const withTarget = activities.find((a) => a[ns('Target_Member__c')]) ?? activities[0];
  return {
    account: [...perAccount].sort((a, b) => b[1] - a[1])[0][0],
    contact: str(top[ns('Contact__c')]),
    member: str(top.Id),
    activity: str(withTarget?.Id),
    community: str(top[ns('Community__c')]),
  };
}

type RecordOf = Record<Exclude<PageObject, ''>, string>;

/** The record each state shows, per page object. */
function recordsFor(state: StateName, demo: DemoPicks, f: FixtureIds): Partial<RecordOf> {
  const set = (s: FixtureIds['long']): RecordOf => ({
    Account: s.account,
    Contact: s.contact,
    Member__c: s.member,
    Activity__c: s.activity,
    Community__c: s.community,
  });
  switch (state) {
    case 'empty':
      return {
        Account: f.emptyAccount,
        Contact: f.emptyContact,
        Activity__c: f.deletedActivity,
        Community__c: f.quietCommunity,
        Member__c: f.quietMember,
      };
    case 'never-active':
      return { Contact: f.quietContact, Member__c: f.quietMember };
    case 'long-names':
      return set(f.long);
    case 'intl-names':
      return set(f.intl);
    case 'large':
      return set(f.large);
    default:
      return {
        Account: demo.account,
        Contact: demo.contact,
        Member__c: demo.member,
        Activity__c: demo.activity,
        Community__c: demo.community,
      };
  }
}

/** A record of another object: the component placed on the wrong page, which its controller refuses. */
const WRONG_PAGE: Record<keyof RecordOf, keyof RecordOf> = {
  Account: 'Contact',
  Contact: 'Account',
  Member__c: 'Account',
  Activity__c: 'Member__c',
  Community__c: 'Account',
};

/** Builds the scene of one page; undefined when the component has no such state. */
export function sceneFor(
  org: EmulatorOrgHandle,
  demo: DemoPicks,
  fixtures: FixtureIds,
  component: GalleryComponent,
  state: StateName,
  frame: FrameName = component.frame,
): Scene | undefined {
  if (!component.states.includes(state) || !FRAMES[frame]) return undefined;
  let object: string = component.object;
  let recordId = '';
  // The header names the record the rep is looking at (for no access, its twin in the denied org).
  let nameId = '';
  if (component.object) {
    const records = recordsFor(state, demo, fixtures);
    // "View in Tightknit" also sits on Contact pages: its empty state is a Contact with no member.
    if (component.key === 'view-in-tightknit' && state === 'empty') object = 'Contact';
    recordId = records[object as keyof RecordOf] ?? '';
    nameId = recordId;
    if (state === 'no-access' && object === 'Contact') recordId = fixtures.deniedContact;
    if (state === 'error') {
      // Placed on another object's page: the page passes that record and object, which the controller refuses.
      object = WRONG_PAGE[component.object];
      recordId = recordsFor('data', demo, fixtures)[object as keyof RecordOf] ?? '';
      nameId = recordId;
    }
  }
  return {
    component,
    state,
    frame,
    recordId,
    objectApiName: namespaced(object, 'tightknit'),
    recordName: recordName(org, object, nameId),
    audience: state === 'no-access' ? 'no-access' : state === 'empty' && !component.object ? 'fresh-org' : 'rep',
    hang: state === 'loading',
  };
}

function recordName(org: EmulatorOrgHandle, object: string, id: string): string {
  if (!object || !id) return '';
  const all = [...org.records(namespaced(object, 'tightknit')), ...org.deletedRecords(namespaced(object, 'tightknit'))];
  return str(all.find((r) => r.Id === id)?.Name);
}

/** Every (component, state) page and the extra widths: each component at the sidebar and phone widths. */
export function allPages(): Array<{ component: GalleryComponent; state: StateName; frame: FrameName }> {
  const pages: Array<{ component: GalleryComponent; state: StateName; frame: FrameName }> = [];
  for (const component of COMPONENTS) {
    for (const state of component.states) pages.push({ component, state, frame: component.frame });
    const extra: FrameName[] =
      component.frame === 'main' ? ['sidebar', 'phone'] : component.frame === 'sidebar' ? ['phone'] : [];
    for (const frame of extra) pages.push({ component, state: 'data', frame });
  }
  return pages;
}
