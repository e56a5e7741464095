import TightknitCommunityActivityInfo from 'c/tightknitCommunityActivityInfo';
import getActivity from '@salesforce/apex/TightknitActivityInfoController.getActivity';
import { getNavigateCalledWith, resetNavigation } from 'lightning/navigation';
import {
  accessibilityProblems,
  asTestAdapter,
  cleanupDom,
  flushPromises,
  mount,
  shadow,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import activityDetail from './data/activityDetail.json';

jest.mock(
  '@salesforce/apex/TightknitActivityInfoController.getActivity',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);

const adapter = asTestAdapter(getActivity);
const ACTIVITY_ID = 'a02000000000001AAA';

async function mountWith(data: unknown, props: Record<string, unknown> = {}) {
  const element = await mount('c-tightknit-community-activity-info', TightknitCommunityActivityInfo, {
    recordId: ACTIVITY_ID,
    ...props,
  });
  adapter.emit(data);
  await flushPromises();
  return element;
}

describe('c-tightknit-community-activity-info', () => {
  afterEach(() => {
    cleanupDom();
    resetNavigation();
  });

  it('shows a spinner while loading', async () => {
    const element = await mount('c-tightknit-community-activity-info', TightknitCommunityActivityInfo, {
      recordId: ACTIVITY_ID,
    });
    expect(shadow(element).querySelector('[data-id="loading"]')).not.toBeNull();
  });

  it('shows the activity, its members, community, permalink and metadata', async () => {
    const element = await mountWith(activityDetail);
    const root = shadow(element);

    expect(adapter.getLastConfig()).toEqual({ activityId: ACTIVITY_ID });
    expect(root.querySelector('[data-id="type"]')?.textContent).toBe('Reaction Added');
    expect(root.querySelector('[data-id="source-type"]')?.textContent).toBe('reaction_added');
    expect(root.querySelector('[data-id="channel"]')?.textContent).toContain('#general');
    const link = root.querySelector('[data-id="permalink"]') as HTMLAnchorElement;
    expect(link.href).toBe(activityDetail.activity.permalink);
    expect(link.rel).toBe('noopener noreferrer');
    expect(root.querySelector('[data-id="initiator"]')?.textContent?.trim()).toBe('Ada Lovelace');
    expect(root.querySelector('[data-id="target"]')?.textContent?.trim()).toBe('Grace Hopper');
    const metadataKeys = Array.from(root.querySelectorAll('[data-id="metadata"] th')).map((th) => th.textContent);
    expect(metadataKeys).toEqual(['emoji', 'message.ts', 'message.reply_count', 'users']);
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('offers the permalink even without a channel', async () => {
    const element = await mountWith({
      ...activityDetail,
      activity: { ...activityDetail.activity, channelName: undefined },
    });
    expect(shadow(element).querySelector('[data-id="channel"]')).toBeNull();
    expect(shadow(element).querySelector('[data-id="permalink"]')).not.toBeNull();
  });

  it('hides metadata when the design property turns it off', async () => {
    const element = await mountWith(activityDetail, { hideMetadata: true });
    expect(shadow(element).querySelector('[data-id="metadata"]')).toBeNull();
  });

  it('shows metadata that is not JSON as text', async () => {
    const element = await mountWith({ ...activityDetail, metadata: 'legacy text' });
    expect(shadow(element).querySelector('[data-id="metadata-text"]')?.textContent).toBe('legacy text');
  });

  it('opens the initiator, the target and the community', async () => {
    const element = await mountWith(activityDetail);
    const root = shadow(element);
    (root.querySelector('[data-id="target"]') as HTMLButtonElement).click();
    expect(getNavigateCalledWith()).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: 'a01000000000002AAA', actionName: 'view' },
    });
    (root.querySelector('[data-id="community"]') as HTMLButtonElement).click();
    expect(getNavigateCalledWith()).toMatchObject({ attributes: { recordId: 'a00000000000001AAA' } });
  });

  it('explains an activity that no longer exists', async () => {
    const element = await mountWith(null);
    const text = shadow(element).querySelector('[data-id="empty"]')?.textContent;
    expect(text).toContain('c.Tightknit_Activity_Info_Empty');
    expect(text).toContain('c.Tightknit_Activity_Info_Empty_Reason');
  });

  it('shows the error panel on failure', async () => {
    const element = await mount('c-tightknit-community-activity-info', TightknitCommunityActivityInfo, {
      recordId: ACTIVITY_ID,
    });
    adapter.error({ message: 'No access' });
    await flushPromises();
    expect(shadow(element).querySelector('c-tightknit-error-panel')).not.toBeNull();
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
