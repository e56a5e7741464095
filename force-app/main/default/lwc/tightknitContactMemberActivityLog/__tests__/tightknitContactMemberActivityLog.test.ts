import TightknitContactMemberActivityLog from 'c/tightknitContactMemberActivityLog';
import getCommunities from '@salesforce/apex/TightknitContactActivityLogController.getCommunities';
import getActivities from '@salesforce/apex/TightknitContactActivityLogController.getActivities';
import {
  accessibilityProblems,
  asTestAdapter,
  cleanupDom,
  fire,
  flushPromises,
  mount,
  shadow,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import communities from './data/communities.json';
import activityPage from './data/activityPage.json';

jest.mock(
  '@salesforce/apex/TightknitContactActivityLogController.getCommunities',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/TightknitContactActivityLogController.getActivities',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);

const communitiesAdapter = asTestAdapter(getCommunities);
const activitiesAdapter = asTestAdapter(getActivities);
const CONTACT_ID = '003000000000001AAA';

async function mountWithData() {
  const element = await mount('c-tightknit-contact-member-activity-log', TightknitContactMemberActivityLog, {
    recordId: CONTACT_ID,
    objectApiName: 'Contact',
  });
  communitiesAdapter.emit(communities);
  await flushPromises();
  activitiesAdapter.emit(activityPage);
  await flushPromises();
  return element;
}

// The active tab's rows and pager live in c-tightknit-activity-table; this is its shadow root.
const activityTable = (element: Element) => shadow(shadow(element).querySelector('c-tightknit-activity-table')!);

describe('c-tightknit-contact-member-activity-log', () => {
  afterEach(() => {
    cleanupDom();
  });

  it('shows a spinner while the communities load', async () => {
    const element = await mount('c-tightknit-contact-member-activity-log', TightknitContactMemberActivityLog, {
      recordId: CONTACT_ID,
    });
    expect(shadow(element).querySelector('[data-id="loading"] lightning-spinner')).not.toBeNull();
  });

  it('renders one tab per community and the first community activities', async () => {
    const element = await mountWithData();
    const root = shadow(element);

    const tabs = root.querySelectorAll('lightning-tab');
    expect(Array.from(tabs).map((tab) => (tab as unknown as { label: string }).label)).toEqual([
      'Builders',
      'Founders',
    ]);
    expect(activitiesAdapter.getLastConfig()).toMatchObject({
      recordId: CONTACT_ID,
      communityId: 'a00000000000001AAA',
      pageNumber: 1,
    });
    const table = activityTable(element).querySelector('lightning-datatable') as unknown as { data: { id: string }[] };
    expect(table.data.map((row) => row.id)).toEqual(['a02000000000011AAA', 'a02000000000012AAA']);
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('loads the other community when its tab becomes active', async () => {
    const element = await mountWithData();
    const founders = shadow(element).querySelector('lightning-tab[data-community-id="a00000000000002AAA"]');

    await fire(founders, 'active');

    expect(activitiesAdapter.getLastConfig()).toMatchObject({ communityId: 'a00000000000002AAA', pageNumber: 1 });
    expect(shadow(element).querySelector('[data-id="page-loading"]')).not.toBeNull();
    expect(activityTable(element).querySelector('lightning-datatable')).toBeNull();
  });

  it('keeps the sort when another community tab becomes active', async () => {
    const element = await mountWithData();
    await fire(activityTable(element).querySelector('lightning-datatable'), 'sort', {
      fieldName: 'type',
      sortDirection: 'asc',
    });

    await fire(shadow(element).querySelector('lightning-tab[data-community-id="a00000000000002AAA"]'), 'active');
    activitiesAdapter.emit(activityPage);
    await flushPromises();

    const table = activityTable(element).querySelector('lightning-datatable') as unknown as {
      data: { type: string }[];
      sortedBy: string;
    };
    expect(table.sortedBy).toBe('type');
    expect(table.data.map((row) => row.type)).toEqual(['Message Sent', 'Reaction Added']);
  });

  it('says so when the community has no activities for the person', async () => {
    const element = await mountWithData();
    await fire(shadow(element).querySelector('lightning-tab[data-community-id="a00000000000002AAA"]'), 'active');
    activitiesAdapter.emit({ ...activityPage, hasMore: false, rows: [] });
    await flushPromises();

    expect(shadow(element).querySelector('[data-id="tab-empty"]')?.textContent).toBe('c.Tightknit_Contact_Log_Empty');
    expect(activityTable(element).querySelector('lightning-datatable')).toBeNull();
  });

  it('pages forward within a community', async () => {
    const element = await mountWithData();
    (activityTable(element).querySelector('[data-id="next"]') as HTMLElement).click();
    await flushPromises();
    expect(activitiesAdapter.getLastConfig()).toMatchObject({ communityId: 'a00000000000001AAA', pageNumber: 2 });
  });

  it('explains the empty state for a Contact and for a Lead', async () => {
    const contact = await mount('c-tightknit-contact-member-activity-log', TightknitContactMemberActivityLog, {
      recordId: CONTACT_ID,
      objectApiName: 'Contact',
    });
    communitiesAdapter.emit([]);
    await flushPromises();
    const text = shadow(contact).querySelector('[data-id="empty"]')?.textContent;
    expect(text).toContain('c.Tightknit_Contact_Log_Empty');
    expect(text).toContain('c.Tightknit_Contact_Log_Empty_Reason');

    cleanupDom();
    const lead = await mount('c-tightknit-contact-member-activity-log', TightknitContactMemberActivityLog, {
      recordId: '00Q000000000001AAA',
      objectApiName: 'Lead',
    });
    communitiesAdapter.emit([]);
    await flushPromises();
    expect(shadow(lead).querySelector('[data-id="empty"]')?.textContent).toContain('c.Tightknit_Lead_Log_Empty');
  });

  it('shows the error panel when the controller refuses', async () => {
    const element = await mount('c-tightknit-contact-member-activity-log', TightknitContactMemberActivityLog, {
      recordId: CONTACT_ID,
    });
    communitiesAdapter.error({ message: 'You do not have access to Tightknit community data.' });
    await flushPromises();

    const panel = shadow(element).querySelector('c-tightknit-error-panel') as unknown as { errors: { body: unknown } };
    expect(panel).not.toBeNull();
    expect(panel.errors.body).toEqual({ message: 'You do not have access to Tightknit community data.' });
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
