import TightknitLinkContact from 'c/tightknitLinkContact';
import getMemberLink from '@salesforce/apex/TightknitLinkContactController.getMemberLink';
import linkContact from '@salesforce/apex/TightknitLinkContactController.linkContact';
import unlockContactLink from '@salesforce/apex/TightknitLinkContactController.unlockContactLink';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import {
  accessibilityProblems,
  cleanupDom,
  flushPromises,
  mount,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import { hasChange } from '../linkContactModel';

jest.mock('@salesforce/apex/TightknitLinkContactController.getMemberLink', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitLinkContactController.linkContact', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitLinkContactController.unlockContactLink', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  'lightning/actions',
  () => ({
    CloseActionScreenEvent: class extends CustomEvent<unknown> {
      constructor() {
        super('close');
      }
    },
  }),
  { virtual: true },
);

const UNLINKED = require('./data/linkUnlinked.json');
const MANUAL = require('./data/linkManual.json');
const MEMBER_ID = UNLINKED.memberId;
const CONTACT_ID = MANUAL.contactId;
const APEX_ERROR = { body: { message: 'insufficient access rights on object id' }, status: 500 };

const mocked = (fn: unknown) => fn as jest.Mock;

type Listeners = { onClose: jest.Mock; toasted: jest.Mock };

async function render(): Promise<{ root: ShadowRoot; listeners: Listeners }> {
  const element = await mount('c-tightknit-link-contact', TightknitLinkContact, { recordId: MEMBER_ID });
  const listeners = { onClose: jest.fn(), toasted: jest.fn() };
  element.addEventListener('close', listeners.onClose);
  element.addEventListener('lightning__showtoast', (event) => listeners.toasted((event as CustomEvent).detail));
  await flushPromises();
  return { root: element.shadowRoot as ShadowRoot, listeners };
}

function byId(root: ShadowRoot, id: string): (HTMLElement & { disabled?: boolean; value?: unknown }) | null {
  return root.querySelector(`[data-id="${id}"]`);
}

function pick(root: ShadowRoot, recordId: string | null): void {
  byId(root, 'contact-picker')?.dispatchEvent(new CustomEvent('change', { detail: { recordId } }));
}

describe('c-tightknit-link-contact', () => {
  afterEach(cleanupDom);

  it('shows a spinner while the member loads', async () => {
    mocked(getMemberLink).mockReturnValue(new Promise(() => undefined));
    const element = await mount('c-tightknit-link-contact', TightknitLinkContact, { recordId: MEMBER_ID });
    const root = element.shadowRoot as ShadowRoot;

    expect(getMemberLink).toHaveBeenCalledWith({ memberId: MEMBER_ID });
    expect(byId(root, 'loading')).not.toBeNull();
    expect(byId(root, 'contact-picker')).toBeNull();
  });

  it('shows the error panel when the member cannot load', async () => {
    mocked(getMemberLink).mockRejectedValue(APEX_ERROR);
    const { root } = await render();

    const panel = byId(root, 'load-error') as HTMLElement & { errors: unknown };
    expect(panel.errors).toEqual(APEX_ERROR);
    expect(byId(root, 'contact-picker')).toBeNull();
    expect(byId(root, 'save-button')?.disabled).toBe(true);
    expect(accessibilityProblems(root.host)).toEqual([]);
  });

  it('shows an unlinked member with Save disabled until a Contact is picked', async () => {
    mocked(getMemberLink).mockResolvedValue({ ...UNLINKED });
    const { root } = await render();

    expect(byId(root, 'current')?.textContent).toBe('c.Setup_Link_Not_Linked');
    expect(byId(root, 'locked')).toBeNull();
    expect(byId(root, 'save-button')?.disabled).toBe(true);

    pick(root, CONTACT_ID);
    await flushPromises();
    expect(byId(root, 'save-button')?.disabled).toBe(false);
    expect(accessibilityProblems(root.host)).toEqual([]);
  });

  it('saves the picked Contact, refreshes the record, toasts and closes', async () => {
    mocked(getMemberLink).mockResolvedValue({ ...UNLINKED });
    mocked(linkContact).mockResolvedValue({ ...MANUAL });
    const { root, listeners } = await render();

    pick(root, CONTACT_ID);
    await flushPromises();
    byId(root, 'save-button')?.click();
    await flushPromises();

    expect(linkContact).toHaveBeenCalledWith({ memberId: MEMBER_ID, contactId: CONTACT_ID });
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: MEMBER_ID }]);
    expect(listeners.toasted).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'c.Setup_Link_Saved', variant: 'success' }),
    );
    expect(listeners.onClose).toHaveBeenCalledTimes(1);
  });

  it('keeps the panel open and shows why when saving fails', async () => {
    mocked(getMemberLink).mockResolvedValue({ ...UNLINKED });
    mocked(linkContact).mockRejectedValue(APEX_ERROR);
    const { root, listeners } = await render();

    pick(root, CONTACT_ID);
    await flushPromises();
    byId(root, 'save-button')?.click();
    await flushPromises();

    const panel = byId(root, 'save-error') as HTMLElement & { errors: unknown };
    expect(panel.errors).toEqual(APEX_ERROR);
    expect(listeners.onClose).not.toHaveBeenCalled();
    expect(byId(root, 'save-button')?.disabled).toBe(false);
  });

  it('shows a locked link and hands it back to the sync', async () => {
    mocked(getMemberLink).mockResolvedValue({ ...MANUAL });
    mocked(unlockContactLink).mockResolvedValue({ ...MANUAL, locked: false });
    const { root, listeners } = await render();

    expect(byId(root, 'current')?.textContent).toBe('c.Setup_Link_Current');
    expect(byId(root, 'locked')).not.toBeNull();
    expect(byId(root, 'contact-picker')?.value).toBe(CONTACT_ID);
    expect(byId(root, 'save-button')?.disabled).toBe(true);

    byId(root, 'unlock-button')?.click();
    await flushPromises();

    expect(unlockContactLink).toHaveBeenCalledWith({ memberId: MEMBER_ID });
    expect(listeners.toasted).toHaveBeenCalledWith(expect.objectContaining({ title: 'c.Setup_Link_Unlocked' }));
    expect(listeners.onClose).toHaveBeenCalledTimes(1);
  });

  it('lets a person clear the link on purpose', async () => {
    mocked(getMemberLink).mockResolvedValue({ ...MANUAL });
    mocked(linkContact).mockResolvedValue({ ...MANUAL, contactId: null, contactName: null });
    const { root } = await render();

    pick(root, null);
    await flushPromises();
    expect(byId(root, 'save-button')?.disabled).toBe(false);
    byId(root, 'save-button')?.click();
    await flushPromises();

    expect(linkContact).toHaveBeenCalledWith({ memberId: MEMBER_ID, contactId: null });
  });

  it('closes without saving on Cancel', async () => {
    mocked(getMemberLink).mockResolvedValue({ ...UNLINKED });
    const { root, listeners } = await render();

    byId(root, 'cancel-button')?.click();

    expect(listeners.onClose).toHaveBeenCalledTimes(1);
    expect(linkContact).not.toHaveBeenCalled();
  });
});

describe('linkContactModel.hasChange', () => {
  it('compares the picked Contact with the current link', () => {
    expect(hasChange(undefined, 'x')).toBe(false);
    expect(hasChange({ ...UNLINKED }, null)).toBe(false);
    expect(hasChange({ ...UNLINKED }, CONTACT_ID)).toBe(true);
    expect(hasChange({ ...MANUAL }, CONTACT_ID)).toBe(false);
    expect(hasChange({ ...MANUAL }, undefined)).toBe(true);
  });
});
