import TightknitCommunityActivitySummary from 'c/tightknitCommunityActivitySummary';
import getTopMembers from '@salesforce/apex/TightknitCommunityActivitySummaryController.getTopMembers';
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
import topMembers from './data/topMembers.json';

jest.mock(
  '@salesforce/apex/TightknitCommunityActivitySummaryController.getTopMembers',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);

const adapter = asTestAdapter(getTopMembers);
const COMMUNITY_ID = 'a00000000000001AAA';

async function mountSummary(props: Record<string, unknown> = {}) {
  return mount('c-tightknit-community-activity-summary', TightknitCommunityActivitySummary, {
    recordId: COMMUNITY_ID,
    ...props,
  });
}

describe('c-tightknit-community-activity-summary', () => {
  afterEach(() => {
    cleanupDom();
    resetNavigation();
  });

  it('shows a spinner while loading', async () => {
    const element = await mountSummary();
    expect(shadow(element).querySelector('[data-id="loading"]')).not.toBeNull();
  });

  it('ranks members with an accessible sparkline each', async () => {
    const element = await mountSummary();
    adapter.emit(topMembers);
    await flushPromises();
    const root = shadow(element);

    expect(adapter.getLastConfig()).toEqual({ communityId: COMMUNITY_ID, windowDays: 30, maxMembers: 10 });
    const rows = root.querySelectorAll('[data-id="row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelector('[data-id="count"]')?.textContent).toBe('14');
    const svg = rows[0].querySelector('svg');
    expect(svg?.getAttribute('role')).toBe('img');
    expect(svg?.getAttribute('aria-label')).toBeTruthy();
    expect(svg?.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(5);
    expect(root.querySelectorAll('thead th')).toHaveLength(4);
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('reloads for another window chosen in the combobox', async () => {
    const element = await mountSummary({ defaultWindow: '90' });
    expect(adapter.getLastConfig().windowDays).toBe(90);
    adapter.emit(topMembers);
    await flushPromises();

    await fire(shadow(element).querySelector('[data-id="window"]'), 'change', { value: '180' });

    expect(adapter.getLastConfig().windowDays).toBe(180);
    expect(shadow(element).querySelector('[data-id="loading"]')).not.toBeNull();
  });

  it('opens a member record from the ranking', async () => {
    const element = await mountSummary();
    adapter.emit(topMembers);
    await flushPromises();

    (shadow(element).querySelector('button[data-member-id="a01000000000002AAA"]') as HTMLButtonElement).click();
    expect(getNavigateCalledWith()).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: 'a01000000000002AAA', actionName: 'view' },
    });
  });

  it('hides avatars in a narrow sidebar', async () => {
    const element = await mountSummary({ flexipageRegionWidth: 'SMALL' });
    adapter.emit(topMembers);
    await flushPromises();
    expect(shadow(element).querySelector('lightning-avatar')).toBeNull();
  });

  it('explains a window without activity', async () => {
    const element = await mountSummary();
    adapter.emit({ windowDays: 30, weeks: 5, members: [] });
    await flushPromises();
    const text = shadow(element).querySelector('[data-id="empty"]')?.textContent;
    expect(text).toContain('c.Tightknit_Community_Summary_Empty');
    expect(text).toContain('c.Tightknit_Community_Summary_Empty_Reason');
  });

  it('shows the error panel on failure', async () => {
    const element = await mountSummary();
    adapter.error({ message: 'The time window must be 30, 90 or 180 days.' });
    await flushPromises();
    expect(shadow(element).querySelector('c-tightknit-error-panel')).not.toBeNull();
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
