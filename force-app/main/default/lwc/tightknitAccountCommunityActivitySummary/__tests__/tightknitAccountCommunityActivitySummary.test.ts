import TightknitAccountCommunityActivitySummary from 'c/tightknitAccountCommunityActivitySummary';
import getSummary from '@salesforce/apex/TightknitAccountActivitySummaryController.getSummary';
import { getNavigateCalledWith, resetNavigation } from 'lightning/navigation';
import {
  accessibilityProblems,
  asTestAdapter,
  cleanupDom,
  fire,
  flushPromises,
  mount,
  shadow,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import summary from './data/summary.json';
import emptySummary from './data/emptySummary.json';

jest.mock(
  '@salesforce/apex/TightknitAccountActivitySummaryController.getSummary',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);
jest.mock('@salesforce/label/c.Tightknit_Account_Totals', () => ({ default: '{0} members, {2} in 90 days' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.Tightknit_Account_Truncated', () => ({ default: 'Showing {0}' }), { virtual: true });

const adapter = asTestAdapter(getSummary);
const ACCOUNT_ID = '001000000000001AAA';
type TableStub = { data: { contactName: string }[]; columns: unknown[]; sortedBy: string };

async function mountWith(data: unknown, props: Record<string, unknown> = {}) {
  const element = await mount(
    'c-tightknit-account-community-activity-summary',
    TightknitAccountCommunityActivitySummary,
    { recordId: ACCOUNT_ID, ...props },
  );
  adapter.emit(data);
  await flushPromises();
  return element;
}

describe('c-tightknit-account-community-activity-summary', () => {
  afterEach(() => {
    cleanupDom();
    resetNavigation();
  });

  it('shows a spinner until the summary arrives', async () => {
    const element = await mount(
      'c-tightknit-account-community-activity-summary',
      TightknitAccountCommunityActivitySummary,
      { recordId: ACCOUNT_ID },
    );
    expect(shadow(element).querySelector('[data-id="loading"]')).not.toBeNull();
  });

  it('lists members by 90-day activity with the Account totals', async () => {
    const element = await mountWith(summary);
    const root = shadow(element);

    expect(adapter.getLastConfig()).toEqual({ accountId: ACCOUNT_ID });
    expect(root.querySelector('[data-id="totals"]')?.textContent).toBe('2 members, 20 in 90 days');
    const table = root.querySelector('lightning-datatable') as unknown as TableStub;
    expect(table.data.map((row) => row.contactName)).toEqual(['Grace Hopper', 'Ada Lovelace']);
    expect(table.columns).toHaveLength(7);
    expect(root.querySelector('[data-id="truncated"]')).toBeNull();
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('re-sorts when a column header is clicked', async () => {
    const element = await mountWith(summary);
    const table = shadow(element).querySelector('lightning-datatable');
    await fire(table, 'sort', { fieldName: 'activities30d', sortDirection: 'desc' });
    expect((table as unknown as TableStub).data.map((row) => row.contactName)).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
    ]);
    expect((table as unknown as TableStub).sortedBy).toBe('activities30d');
  });

  it('uses fewer columns in a narrow sidebar and honours the sort design property', async () => {
    const element = await mountWith(summary, { flexipageRegionWidth: 'SMALL', defaultSortBy: 'contactName' });
    const table = shadow(element).querySelector('lightning-datatable') as unknown as TableStub;
    expect(table.columns).toHaveLength(3);
    expect(table.data.map((row) => row.contactName)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  });

  it('says when the list was capped', async () => {
    const element = await mountWith({ ...summary, truncated: true });
    expect(shadow(element).querySelector('[data-id="truncated"]')?.textContent?.trim()).toBe('Showing 200');
  });

  it('opens the Contact from its name', async () => {
    const element = await mountWith(summary);
    await fire(shadow(element).querySelector('lightning-datatable'), 'rowaction', {
      action: { name: 'open_contact' },
      row: summary.rows[0],
    });
    expect(getNavigateCalledWith()).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: '003000000000001AAA', objectApiName: 'Contact', actionName: 'view' },
    });
  });

  it('explains an Account without community members', async () => {
    const element = await mountWith(emptySummary);
    const text = shadow(element).querySelector('[data-id="empty"]')?.textContent;
    expect(text).toContain('c.Tightknit_Account_Summary_Empty');
    expect(text).toContain('c.Tightknit_Account_Summary_Empty_Reason');
  });

  it('shows the error panel on a refused call', async () => {
    const element = await mount(
      'c-tightknit-account-community-activity-summary',
      TightknitAccountCommunityActivitySummary,
      { recordId: ACCOUNT_ID },
    );
    adapter.error({ message: 'No access' });
    await flushPromises();
    expect(shadow(element).querySelector('c-tightknit-error-panel')).not.toBeNull();
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
