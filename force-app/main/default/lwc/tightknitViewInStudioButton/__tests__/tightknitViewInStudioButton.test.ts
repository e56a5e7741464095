import TightknitViewInStudioButton from 'c/tightknitViewInStudioButton';
import getStudioLinks from '@salesforce/apex/TightknitViewInStudioController.getStudioLinks';
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
import links from './data/links.json';

jest.mock(
  '@salesforce/apex/TightknitViewInStudioController.getStudioLinks',
  () => ({ default: jest.requireActual('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
  { virtual: true },
);

const adapter = asTestAdapter(getStudioLinks);
const MEMBER_ID = 'a01000000000001AAA';

async function mountWith(data: unknown, props: Record<string, unknown> = {}) {
  const element = await mount('c-tightknit-view-in-studio-button', TightknitViewInStudioButton, {
    recordId: MEMBER_ID,
    ...props,
  });
  adapter.emit(data);
  await flushPromises();
  return element;
}

describe('c-tightknit-view-in-studio-button', () => {
  afterEach(() => {
    cleanupDom();
    resetNavigation();
  });

  it('shows a spinner while loading', async () => {
    const element = await mount('c-tightknit-view-in-studio-button', TightknitViewInStudioButton, {
      recordId: MEMBER_ID,
    });
    expect(shadow(element).querySelector('[data-id="loading"]')).not.toBeNull();
  });

  it('opens the member page in the studio', async () => {
    const element = await mountWith([links[0]], { variant: 'brand' });
    const button = shadow(element).querySelector('[data-id="studio-button"]') as HTMLElement;

    expect(adapter.getLastConfig()).toEqual({ recordId: MEMBER_ID });
    expect(prop(button, 'label')).toBe('c.Tightknit_View_In_Studio');
    expect(prop(button, 'variant')).toBe('brand');
    button.click();

    expect(getNavigateCalledWith()).toEqual({
      type: 'standard__webPage',
      attributes: { url: 'https://studio.tightknit.example/c/builders/members/U123ABC' },
    });
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('offers one button per community on a Contact with several members', async () => {
    const element = await mountWith(links, { recordId: '003000000000001AAA', buttonLabel: 'Open' });
    const buttons = shadow(element).querySelectorAll('[data-id="studio-button"]');
    expect(buttons).toHaveLength(2);
    (buttons[1] as HTMLElement).click();
    expect(getNavigateCalledWith()).toMatchObject({
      attributes: { url: 'https://studio.tightknit.example/custom/ada' },
    });
  });

  it('explains when no link can be built', async () => {
    const element = await mountWith([{ memberId: MEMBER_ID, memberName: 'Ada' }]);
    const text = shadow(element).querySelector('[data-id="unavailable"]')?.textContent;
    expect(text).toContain('c.Tightknit_Studio_Unavailable');
    expect(text).toContain('c.Tightknit_Studio_Unavailable_Reason');
    expect(shadow(element).querySelector('[data-id="studio-button"]')).toBeNull();
  });

  it('shows the error panel on failure', async () => {
    const element = await mount('c-tightknit-view-in-studio-button', TightknitViewInStudioButton, {
      recordId: MEMBER_ID,
    });
    adapter.error({ message: 'No access' });
    await flushPromises();
    expect(shadow(element).querySelector('c-tightknit-error-panel')).not.toBeNull();
    expect(accessibilityProblems(element)).toEqual([]);
  });
});
