import TightknitCommunityProfile from 'c/tightknitCommunityProfile';
import getProfiles from '@salesforce/apex/TightknitCommunityProfileController.getProfiles';
import { getNavigateCalledWith, resetNavigation } from 'lightning/navigation';
import {
  accessibilityProblems,
  asTestAdapter,
  cleanupDom,
  flushPromises,
  mount,
  prop,
  shadow,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import profiles from './data/profiles.json';

jest.mock(
  '@salesforce/apex/TightknitCommunityProfileController.getProfiles',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);

const adapter = asTestAdapter(getProfiles);
const CONTACT_ID = '003000000000001AAA';

async function mountWith(data: unknown, props: Record<string, unknown> = {}) {
  const element = await mount('c-tightknit-community-profile', TightknitCommunityProfile, {
    recordId: CONTACT_ID,
    ...props,
  });
  adapter.emit(data);
  await flushPromises();
  return element;
}

describe('c-tightknit-community-profile', () => {
  afterEach(() => {
    cleanupDom();
    resetNavigation();
  });

  it('shows a spinner while loading', async () => {
    const element = await mount('c-tightknit-community-profile', TightknitCommunityProfile, { recordId: CONTACT_ID });
    expect(shadow(element).querySelector('[data-id="loading"]')).not.toBeNull();
  });

  it('shows each profile, the linked one first, with avatar, title, community and level', async () => {
    const element = await mountWith(profiles);
    const root = shadow(element);

    expect(adapter.getLastConfig()).toEqual({ contactId: CONTACT_ID });
    const cards = root.querySelectorAll('[data-id="profile"]');
    expect(cards).toHaveLength(2);
    expect(cards[0].querySelector('[data-id="name"]')?.textContent?.trim()).toBe('Ada Lovelace');
    expect(cards[0].querySelector('[data-id="title"]')?.textContent).toBe('Principal Engineer');
    expect(cards[0].querySelector('[data-id="community"]')?.textContent).toBe('Builders');
    expect(prop(cards[0].querySelector('[data-id="level"]'), 'label')).toBe('Champion');
    expect(prop(cards[1].querySelector('[data-id="match"]'), 'label')).toBe('c.Tightknit_Linked_By_Email');
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('shows only linked members when email matches are hidden', async () => {
    const element = await mountWith(profiles, { hideEmailMatches: true });
    expect(shadow(element).querySelectorAll('[data-id="profile"]')).toHaveLength(1);
  });

  it('opens the member record from its name', async () => {
    const element = await mountWith(profiles);
    (shadow(element).querySelector('[data-id="name"]') as HTMLButtonElement).click();
    expect(getNavigateCalledWith()).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: 'a01000000000001AAA', actionName: 'view' },
    });
  });

  it('explains a Contact without a community profile', async () => {
    const element = await mountWith([]);
    const text = shadow(element).querySelector('[data-id="empty"]')?.textContent;
    expect(text).toContain('c.Tightknit_Profile_Empty');
    expect(text).toContain('c.Tightknit_Profile_Empty_Reason');
  });

  it('shows the error panel on failure', async () => {
    const element = await mount('c-tightknit-community-profile', TightknitCommunityProfile, { recordId: CONTACT_ID });
    adapter.error({ message: 'No access' });
    await flushPromises();
    expect(shadow(element).querySelector('c-tightknit-error-panel')).not.toBeNull();
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
