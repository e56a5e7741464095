import TightknitMemberActivityLog from 'c/tightknitMemberActivityLog';
import getActivities from '@salesforce/apex/TightknitMemberActivityLogController.getActivities';
import {
  accessibilityProblems,
  asTestAdapter,
  cleanupDom,
  fire,
  flushPromises,
  mount,
  shadow,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import activityPage from './data/activityPage.json';
import emptyPage from './data/emptyPage.json';

jest.mock(
  '@salesforce/apex/TightknitMemberActivityLogController.getActivities',
  () => {
    const { createApexTestWireAdapter } = jest.requireActual('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);

jest.mock('@salesforce/label/c.Tightknit_Page_Number', () => ({ default: 'Page {0}' }), { virtual: true });

const adapter = asTestAdapter(getActivities);
const MEMBER_ID = 'a01000000000001AAA';

function mountLog() {
  return mount('c-tightknit-member-activity-log', TightknitMemberActivityLog, { recordId: MEMBER_ID });
}

// The log renders its page through c-tightknit-activity-table; this is that table's shadow root.
const activityTable = (element: Element) => shadow(shadow(element).querySelector('c-tightknit-activity-table')!);

describe('c-tightknit-member-activity-log', () => {
  afterEach(() => {
    cleanupDom();
  });

  it('shows a spinner until data arrives', async () => {
    const element = await mountLog();
    expect(shadow(element).querySelector('[data-id="loading"] lightning-spinner')).not.toBeNull();
  });

  it('lists the activities newest first with the member id and default page size', async () => {
    const element = await mountLog();
    adapter.emit(activityPage);
    await flushPromises();

    const table = activityTable(element).querySelector('lightning-datatable') as unknown as { data: { id: string }[] };
    expect(table.data.map((row) => row.id)).toEqual(activityPage.rows.map((row) => row.id));
    expect(adapter.getLastConfig()).toEqual({ memberId: MEMBER_ID, pageNumber: 1, pageSize: 10 });
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('shows fewer columns in a narrow sidebar', async () => {
    const element = await mount('c-tightknit-member-activity-log', TightknitMemberActivityLog, {
      recordId: MEMBER_ID,
      flexipageRegionWidth: 'SMALL',
    });
    adapter.emit(activityPage);
    await flushPromises();
    const table = activityTable(element).querySelector('lightning-datatable') as unknown as { columns: unknown[] };
    expect(table.columns).toHaveLength(3);
  });

  it('sorts the page when a column header is clicked', async () => {
    const element = await mountLog();
    adapter.emit(activityPage);
    await flushPromises();

    const table = activityTable(element).querySelector('lightning-datatable');
    await fire(table, 'sort', { fieldName: 'type', sortDirection: 'asc' });

    const sorted = table as unknown as { data: { type: string }[]; sortedBy: string; sortedDirection: string };
    expect(sorted.data.map((row) => row.type)).toEqual(['Message Sent', 'Reaction Added', 'Thread Reply']);
    expect(sorted.sortedBy).toBe('type');
    expect(sorted.sortedDirection).toBe('asc');
  });

  it('asks for the next and previous page', async () => {
    const element = await mountLog();
    adapter.emit(activityPage);
    await flushPromises();

    const root = activityTable(element);
    (root.querySelector('[data-id="next"]') as HTMLElement).click();
    await flushPromises();
    expect(adapter.getLastConfig().pageNumber).toBe(2);

    adapter.emit({ ...activityPage, pageNumber: 2, hasMore: false });
    await flushPromises();
    expect(root.querySelector('[data-id="page-number"]')?.textContent).toBe('Page 2');

    (root.querySelector('[data-id="previous"]') as HTMLElement).click();
    await flushPromises();
    expect(adapter.getLastConfig().pageNumber).toBe(1);
  });

  it('explains an empty log', async () => {
    const element = await mountLog();
    adapter.emit(emptyPage);
    await flushPromises();

    const empty = shadow(element).querySelector('[data-id="empty"]');
    expect(empty?.textContent).toContain('c.Tightknit_Member_Log_Empty');
    expect(empty?.textContent).toContain('c.Tightknit_Member_Log_Empty_Reason');
    expect(shadow(element).querySelector('c-tightknit-activity-table')).toBeNull();
  });

  it('keeps the table and pager on a later page that came back empty', async () => {
    const element = await mountLog();
    adapter.emit(activityPage);
    await flushPromises();
    (activityTable(element).querySelector('[data-id="next"]') as HTMLElement).click();
    await flushPromises();

    adapter.emit({ ...emptyPage, pageNumber: 2 });
    await flushPromises();

    expect(shadow(element).querySelector('[data-id="empty"]')).toBeNull();
    const table = activityTable(element).querySelector('lightning-datatable') as unknown as { data: unknown[] };
    expect(table.data).toEqual([]);
    expect(activityTable(element).querySelector('[data-id="pager"]')).not.toBeNull();
  });

  it('shows the error panel with the reduced error', async () => {
    const element = await mountLog();
    adapter.error({ message: 'You do not have access' });
    await flushPromises();

    const panel = shadow(element).querySelector('c-tightknit-error-panel') as unknown as {
      errors: unknown;
      friendlyMessage: string;
    };
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('c.Tightknit_Access_Hint');
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
