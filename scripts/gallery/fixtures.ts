import type { EmulatorOrgHandle } from '../org-emulator';
import { namespaced } from './data/soql';

/**
 * Records the demo's sample community does not have but a rep's org will: an Account and a Contact with
 * no community member, a member who never posted, people with very long names, people with Arabic,
 * Hebrew, Japanese and Chinese names, and an Account whose four members have 10,000 activities between
 * them. Written straight into the emulated org, as the sync would have left them (counts, last activity,
 * score and level filled in); the demo's own records stay as the sync wrote them.
 */

const NS = 'tightknit';
const DAY = 86_400_000;

export interface FixtureIds {
  emptyAccount: string;
  emptyContact: string;
  quietContact: string;
  quietMember: string;
  quietCommunity: string;
  deletedActivity: string;
  /**
   * The "with data" Contact's twin in the org whose user has no Tightknit access: the controllers read
   * the Contact (a rep can see Contacts) and are refused at the community records.
   */
  deniedContact: string;
  long: PersonSet;
  intl: PersonSet;
  large: PersonSet;
}

/** One fixture's Account, its first Contact and member, their community and one activity. */
interface PersonSet {
  account: string;
  contact: string;
  member: string;
  community: string;
  activity: string;
}

interface Person {
  first?: string;
  last: string;
  title?: string;
}

function insert(org: EmulatorOrgHandle, sobject: string, rows: Array<Record<string, unknown>>): string[] {
  return org.insert(
    namespaced(sobject, NS),
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [namespaced(k, NS), v]),
      ),
    ),
  );
}

const level = (score: number): string =>
  score >= 40 ? 'Champion' : score >= 15 ? 'High' : score >= 5 ? 'Medium' : score > 0 ? 'Low' : 'None';

function community(org: EmulatorOrgHandle, key: string, name: string): string {
  return insert(org, 'Community__c', [
    {
      Name: name,
      Tightknit_Id__c: `gallery:${key}`,
      Platform__c: 'Slack',
      Slack_Team_Id__c: `T${key.toUpperCase()}`,
      Studio_Url__c: `https://studio.tightknit.ai/${key}`,
    },
  ])[0];
}

interface ActivitySpec {
  type: string;
  summary: string;
  channel: string;
  daysAgo: number;
}

/**
 * People on one Account, each a member of `communityId` with the given activities; returns ids of the
 * first person's records.
 */
function people(
  org: EmulatorOrgHandle,
  now: Date,
  key: string,
  accountName: string,
  communityId: string,
  persons: Person[],
  activities: (i: number) => ActivitySpec[],
): PersonSet {
  const account = org.insert('Account', [{ Name: accountName }])[0];
  const contacts = insert(
    org,
    'Contact',
    persons.map((p, i) => ({
      FirstName: p.first,
      LastName: p.last,
      Title: p.title,
      Email: `${key}.${i}@gallery.example`,
      AccountId: account,
    })),
  );
  const memberIds: string[] = [];
  const firstActivity: string[] = [];
  persons.forEach((p, i) => {
    const specs = activities(i);
    const latest = specs.length ? Math.min(...specs.map((s) => s.daysAgo)) : undefined;
    const score = specs.reduce((sum, s) => sum + 2 * 0.5 ** (s.daysAgo / 30), 0);
    const member = insert(org, 'Member__c', [
      {
        Name: [p.first, p.last].filter(Boolean).join(' ').slice(0, 80),
        Tightknit_Id__c: `gallery:${key}:${i}`,
        Community__c: communityId,
        Contact__c: contacts[i],
        Contact_Link_Status__c: 'Matched',
        Email__c: `${key}.${i}@gallery.example`,
        First_Name__c: p.first,
        Last_Name__c: p.last,
        Title__c: p.title,
        Slack_User_Id__c: `U${key.toUpperCase()}${i}`,
        Status__c: 'Active',
        Is_Bot__c: false,
        Joined_At__c: new Date(now.getTime() - 400 * DAY).toISOString(),
        Last_Active_At__c: latest === undefined ? undefined : new Date(now.getTime() - latest * DAY).toISOString(),
        Activity_Count__c: specs.length,
        Engagement_Score__c: Math.round(score * 100) / 100,
        Engagement_Level__c: level(score),
      },
    ])[0];
    memberIds.push(member);
    const ids = insert(
      org,
      'Activity__c',
      specs.map((s, j) => ({
        Tightknit_Id__c: `gallery:${key}:${i}:${j}`,
        Community__c: communityId,
        Member__c: member,
        Activity_Type__c: s.type,
        Source_Type__c: s.type,
        Occurred_At__c: new Date(now.getTime() - s.daysAgo * DAY).toISOString(),
        Summary__c: s.summary,
        Channel_Name__c: s.channel,
      })),
    );
    firstActivity.push(ids[0] ?? '');
  });
  return { account, contact: contacts[0], member: memberIds[0], community: communityId, activity: firstActivity[0] };
}

const TYPES = ['message_sent', 'thread_reply', 'reaction_added', 'post_created', 'event_attended'];

/** Two people with 80-character names, long titles, a long community and channel name, 255-character summaries. */
function longNames(org: EmulatorOrgHandle, now: Date): PersonSet {
  const longCommunity = community(
    org,
    'long',
    'Revenue Operations Leaders Community of Practice, Europe Middle East Africa',
  );
  const longSummary =
    'Shared a detailed write-up about migrating forty-two regional sales teams to the new territory model, ' +
    'with the lessons learned on forecasting, quota setting and compensation plans across every market';
  const long = people(
    org,
    now,
    'long',
    'Wolfeschlegelsteinhausenbergerdorff International Holdings',
    longCommunity,
    [
      {
        first: 'Maximiliana Alexandrina Konstantina',
        last: 'Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh',
        title: 'Senior Vice President, Global Revenue Operations and Strategic Enablement',
      },
      { first: 'Bartholomew', last: 'Montgomery-Fitzwilliam-Cholmondeley', title: 'Director of Customer Success' },
    ],
    (i) =>
      Array.from({ length: 14 }, (_, j) => ({
        type: TYPES[j % TYPES.length],
        summary:
          j % 2 ? longSummary : 'Replied in a thread in #customer-success-and-revenue-operations-leadership-roundtable',
        channel: 'customer-success-and-revenue-operations-leadership-roundtable',
        daysAgo: 1 + j * 6 + i,
      })),
  );

  return long;
}

/** Arabic, Hebrew, Japanese and Chinese people (names, titles, channels) in a community with a Japanese name. */
function intlNames(org: EmulatorOrgHandle, now: Date): PersonSet {
  const intlCommunity = community(org, 'intl', '東京ビルダーズ・コミュニティ');
  const intl = people(
    org,
    now,
    'intl',
    'شركة الأفق للتقنية',
    intlCommunity,
    [
      { first: 'عبد الرحمن', last: 'الفارسي', title: 'مدير المبيعات' },
      { first: 'נועה', last: 'בן-דוד', title: 'מנהלת הצלחת לקוחות' },
      { first: '太郎', last: '山田', title: '営業部長' },
      { last: '王小明', title: '客户成功经理' },
    ],
    (i) =>
      Array.from({ length: 10 - i * 2 }, (_, j) => ({
        type: TYPES[(i + j) % TYPES.length],
        summary: ['ردّ في سلسلة في #عام', 'הגיבה בשרשור ב-#כללי', '#一般 に投稿しました', '在 #公告 中添加了表情回应'][
          i
        ],
        channel: ['عام', 'כללי', '一般', '公告'][i],
        daysAgo: 2 + j * 9 + i,
      })),
  );

  return intl;
}

/** Four members of one Account with 2,500 activities each over the last 180 days: 10,000 on the Account. */
function tenThousand(org: EmulatorOrgHandle, now: Date): PersonSet {
  const largeCommunity = community(org, 'large', 'Massive Dynamic Builders');
  const large = people(
    org,
    now,
    'large',
    'Massive Dynamic',
    largeCommunity,
    [
      { first: 'Nina', last: 'Sharp', title: 'Chief Executive Officer' },
      { first: 'William', last: 'Bell', title: 'Founder' },
      { first: 'Walter', last: 'Bishop', title: 'Research Lead' },
      { first: 'Olivia', last: 'Dunham', title: 'Field Agent' },
    ],
    (i) =>
      Array.from({ length: 2500 }, (_, j) => ({
        type: TYPES[(i + j) % TYPES.length],
        summary: `Activity ${j + 1} of 2,500 in #builders`,
        channel: 'builders',
        // Spread over the last 180 days, busier lately: the sparklines have a shape.
        daysAgo: Math.floor(180 * (j / 2500) ** 1.6) + i,
      })),
  );

  return large;
}

/** Adds the gallery's records to the emulated org (after the demo's backfill). */
export function addFixtures(org: EmulatorOrgHandle, now: Date): Omit<FixtureIds, 'deniedContact'> {
  const emptyAccount = org.insert('Account', [{ Name: 'Northwind Traders' }])[0];
  const emptyContact = org.insert('Contact', [
    { FirstName: 'Nadia', LastName: 'Novak', Email: 'nadia.novak@northwind.example', AccountId: emptyAccount },
  ])[0];

  const quietCommunity = community(org, 'quiet', 'Quiet Corner');
  const quiet = people(
    org,
    now,
    'quiet',
    'Quiet Corp',
    quietCommunity,
    [{ first: 'Quinn', last: 'Quiet', title: 'Lurker' }],
    () => [],
  );

  const long = longNames(org, now);
  const intl = intlNames(org, now);
  const large = tenThousand(org, now);

  const [gone] = insert(org, 'Activity__c', [
    {
      Tightknit_Id__c: 'gallery:deleted',
      Community__c: quietCommunity,
      Member__c: quiet.member,
      Activity_Type__c: 'message_sent',
      Occurred_At__c: now.toISOString(),
    },
  ]);
  org.delete(namespaced('Activity__c', NS), gone);

  return {
    emptyAccount,
    emptyContact,
    quietContact: quiet.contact,
    quietMember: quiet.member,
    quietCommunity,
    deletedActivity: gone,
    long,
    intl,
    large,
  };
}
