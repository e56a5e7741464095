/* eslint-disable @lwc/lwc/no-async-operation -- Babel-parsed TypeScript (types, require of JSON fixtures); the debounce test waits on a real timer. */
import TightknitSetupWizard from 'c/tightknitSetupWizard';
import getSetupState from '@salesforce/apex/TightknitSetupController.getSetupState';
import searchUsers from '@salesforce/apex/TightknitSetupController.searchUsers';
import assignIntegrationPermissionSet from '@salesforce/apex/TightknitSetupController.assignIntegrationPermissionSet';
import rememberIntegrationUser from '@salesforce/apex/TightknitSetupController.rememberIntegrationUser';
import checkContactAccess from '@salesforce/apex/TightknitSetupController.checkContactAccess';
import confirmEcaPolicies from '@salesforce/apex/TightknitSetupController.confirmEcaPolicies';
import {
  accessibilityProblems,
  cleanupDom,
  flushPromises,
  mount,
} from '../../../../../test/jest-mocks/tightknitTestUtils';

jest.mock('@salesforce/apex/TightknitSetupController.getSetupState', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitSetupController.searchUsers', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/TightknitSetupController.assignIntegrationPermissionSet', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitSetupController.rememberIntegrationUser', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitSetupController.checkContactAccess', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitSetupController.confirmEcaPolicies', () => ({ default: jest.fn() }), {
  virtual: true,
});

const STATE_EMPTY = require('./data/stateEmpty.json');
const STATE_DONE = require('./data/stateDone.json');
const STATE_NO_CONTACT = require('./data/stateNoContact.json');
const USERS = require('./data/users.json');

const mocked = (fn: unknown) => fn as jest.Mock;
const APEX_ERROR = { body: { message: 'Only Tightknit admins can run the Tightknit Setup app.' }, status: 500 };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

async function render(): Promise<ShadowRoot> {
  const element = await mount('c-tightknit-setup-wizard', TightknitSetupWizard);
  await flushPromises();
  return element.shadowRoot as ShadowRoot;
}

function byId(root: ShadowRoot, id: string): HTMLElement | null {
  return root.querySelector(`[data-id="${id}"]`);
}

function text(root: ShadowRoot, id: string): string {
  return (byId(root, id)?.textContent ?? '').trim();
}

function click(root: ShadowRoot, id: string): void {
  (byId(root, id) as HTMLElement).click();
}

function change(root: ShadowRoot, id: string, value: string): void {
  byId(root, id)?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-tightknit-setup-wizard', () => {
  beforeEach(() => {
    mocked(searchUsers).mockResolvedValue(clone(USERS));
  });
  afterEach(cleanupDom);

  it('shows a spinner while the state loads', async () => {
    mocked(getSetupState).mockReturnValue(new Promise(() => undefined));
    const element = await mount('c-tightknit-setup-wizard', TightknitSetupWizard);
    const root = element.shadowRoot as ShadowRoot;

    expect(byId(root, 'loading')).not.toBeNull();
    expect(byId(root, 'step-user')).toBeNull();
  });

  it('shows the error panel and a retry button when the state cannot load, and recovers on retry', async () => {
    mocked(getSetupState).mockRejectedValueOnce(APEX_ERROR).mockResolvedValueOnce(clone(STATE_EMPTY));
    const root = await render();

    const panel = byId(root, 'load-error') as HTMLElement & { errors: unknown; friendlyMessage: string };
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('c.Setup_Load_Error');
    expect(panel.errors).toEqual(APEX_ERROR);
    expect(byId(root, 'step-user')).toBeNull();
    expect(accessibilityProblems(root.host)).toEqual([]);

    click(root, 'retry-button');
    await flushPromises();

    expect(getSetupState).toHaveBeenCalledTimes(2);
    expect(byId(root, 'load-error')).toBeNull();
    expect(byId(root, 'step-user')).not.toBeNull();
  });

  it('marks every step as needing attention before anything is set up', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    const root = await render();

    for (const id of ['status-user', 'status-permission-set', 'status-contact', 'status-eca']) {
      expect(text(root, id)).toBe('c.Setup_Status_Attention');
    }
    expect(text(root, 'current-user')).toBe('c.Setup_Step1_None');
    expect(byId(root, 'permission-set-missing')).not.toBeNull();
    expect(byId(root, 'contact-needs-user')).not.toBeNull();
    expect((byId(root, 'check-again-button') as HTMLButtonElement & { disabled: boolean }).disabled).toBe(true);
    expect((byId(root, 'assign-button') as HTMLElement & { disabled: boolean }).disabled).toBe(true);
    expect(byId(root, 'eca-confirm-button')).not.toBeNull();
    expect(byId(root, 'new-user-link')?.getAttribute('href')).toBe(STATE_EMPTY.newUserUrl);
    expect(byId(root, 'new-user-link')?.getAttribute('target')).toBe('_blank');
    expect(byId(root, 'eca-link')?.getAttribute('href')).toBe(STATE_EMPTY.externalClientAppsUrl);
    expect(accessibilityProblems(root.host)).toEqual([]);
  });

  it('asks for a new integration user when the stored one became inactive', async () => {
    mocked(getSetupState).mockResolvedValue({ ...clone(STATE_EMPTY), storedUserInactive: true });
    const root = await render();

    expect(byId(root, 'inactive-user-warning')?.textContent?.trim()).toBe('c.Setup_Step1_Inactive');
    expect(text(root, 'status-user')).toBe('c.Setup_Status_Attention');
  });

  it('shows no inactive-user warning in the normal case', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_DONE));
    const root = await render();

    expect(byId(root, 'inactive-user-warning')).toBeNull();
  });

  it('marks every step done when the org is set up', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_DONE));
    const root = await render();

    for (const id of ['status-user', 'status-permission-set', 'status-contact', 'status-eca']) {
      expect(text(root, id)).toBe('c.Setup_Status_Done');
    }
    expect(byId(root, 'permission-set-done')).not.toBeNull();
    expect(byId(root, 'contact-can-read')).not.toBeNull();
    expect(byId(root, 'contact-no-create')).not.toBeNull();
    expect(byId(root, 'contact-missing')).toBeNull();
    expect(byId(root, 'eca-confirmed')).not.toBeNull();
    const picker = byId(root, 'user-picker') as HTMLElement & { value: string; options: { value: string }[] };
    expect(picker.value).toBe(STATE_DONE.integrationUser.id);
    expect(picker.options.map((option) => option.value)).toEqual(USERS.map((user: { id: string }) => user.id));
    expect(accessibilityProblems(root.host)).toEqual([]);
  });

  it('warns, with the reason, when the chosen user is API only, and clears the warning for another user', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    const root = await render();
    expect(byId(root, 'api-only-warning')).toBeNull();

    change(root, 'user-picker', USERS[1].id);
    await flushPromises();
    expect(byId(root, 'api-only-warning')).not.toBeNull();
    expect(byId(root, 'api-only-warning')?.getAttribute('role')).toBe('alert');

    change(root, 'user-picker', USERS[0].id);
    await flushPromises();
    expect(byId(root, 'api-only-warning')).toBeNull();
  });

  it('searches users after a pause in typing and says so when none match', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    const root = await render();
    mocked(searchUsers).mockResolvedValueOnce([]);

    change(root, 'user-search', 'nobody');
    await new Promise((resolve) => setTimeout(resolve, 350));
    await flushPromises();

    expect(searchUsers).toHaveBeenLastCalledWith({ searchTerm: 'nobody' });
    expect(byId(root, 'user-picker')).toBeNull();
    expect(byId(root, 'no-users')).not.toBeNull();
  });

  it('shows a search failure without losing the wizard', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    const root = await render();
    mocked(searchUsers).mockRejectedValueOnce(APEX_ERROR);

    change(root, 'user-search', 'x');
    await new Promise((resolve) => setTimeout(resolve, 350));
    await flushPromises();

    expect(byId(root, 'search-error')).not.toBeNull();
    expect(byId(root, 'step-permission-set')).not.toBeNull();
  });

  it('assigns the permission set, then remembers the user, and marks steps 1 and 2 done', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    mocked(assignIntegrationPermissionSet).mockResolvedValue({ alreadyAssigned: false, user: USERS[0] });
    mocked(rememberIntegrationUser).mockResolvedValue(clone(STATE_NO_CONTACT));
    const root = await render();

    change(root, 'user-picker', USERS[0].id);
    await flushPromises();
    click(root, 'assign-button');
    await flushPromises();

    expect(assignIntegrationPermissionSet).toHaveBeenCalledWith({ userId: USERS[0].id });
    expect(rememberIntegrationUser).toHaveBeenCalledWith({ userId: USERS[0].id });
    expect(text(root, 'assign-message')).toBe('c.Setup_Step2_Assigned');
    expect(text(root, 'status-user')).toBe('c.Setup_Status_Done');
    expect(text(root, 'status-permission-set')).toBe('c.Setup_Status_Done');
    expect(text(root, 'status-contact')).toBe('c.Setup_Status_Attention');
    expect(byId(root, 'contact-missing')).not.toBeNull();
  });

  it('says nothing changed when the permission set was already assigned', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_DONE));
    mocked(assignIntegrationPermissionSet).mockResolvedValue({ alreadyAssigned: true, user: USERS[0] });
    mocked(rememberIntegrationUser).mockResolvedValue(clone(STATE_DONE));
    const root = await render();

    click(root, 'assign-button');
    await flushPromises();

    expect(text(root, 'assign-message')).toBe('c.Setup_Step2_Already_Assigned');
  });

  it('shows the reason when the assignment is refused and does not remember the user', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    mocked(assignIntegrationPermissionSet).mockRejectedValue(APEX_ERROR);
    const root = await render();

    change(root, 'user-picker', USERS[0].id);
    await flushPromises();
    click(root, 'assign-button');
    await flushPromises();

    const panel = byId(root, 'assign-error') as HTMLElement & { errors: unknown };
    expect(panel.errors).toEqual(APEX_ERROR);
    expect(rememberIntegrationUser).not.toHaveBeenCalled();
    expect(byId(root, 'assign-message')).toBeNull();
    expect(text(root, 'status-permission-set')).toBe('c.Setup_Status_Attention');
  });

  it('explains missing Contact access and turns done on Check again', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_NO_CONTACT));
    mocked(checkContactAccess).mockResolvedValue({
      checked: true,
      canRead: true,
      canCreate: true,
      grantedBy: ['Tightknit Contact Access'],
    });
    const root = await render();

    expect(byId(root, 'contact-missing')).not.toBeNull();
    expect(byId(root, 'permission-sets-link')?.getAttribute('href')).toBe(STATE_NO_CONTACT.permissionSetsUrl);
    expect(accessibilityProblems(root.host)).toEqual([]);

    click(root, 'check-again-button');
    await flushPromises();

    expect(checkContactAccess).toHaveBeenCalledTimes(1);
    expect(byId(root, 'contact-missing')).toBeNull();
    expect(byId(root, 'contact-can-read')).not.toBeNull();
    expect(byId(root, 'contact-no-create')).toBeNull();
    expect(text(root, 'status-contact')).toBe('c.Setup_Status_Done');
  });

  it('keeps the step open and shows the error when Check again fails', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_NO_CONTACT));
    mocked(checkContactAccess).mockRejectedValue(APEX_ERROR);
    const root = await render();

    click(root, 'check-again-button');
    await flushPromises();

    expect(byId(root, 'contact-error')).not.toBeNull();
    expect(byId(root, 'contact-missing')).not.toBeNull();
  });

  it('records the External Client App confirmation and lets the admin withdraw it', async () => {
    const confirmed = { ...clone(STATE_NO_CONTACT), ecaPoliciesConfirmed: true };
    mocked(getSetupState).mockResolvedValue(clone(STATE_NO_CONTACT));
    mocked(confirmEcaPolicies).mockResolvedValueOnce(confirmed).mockResolvedValueOnce(clone(STATE_NO_CONTACT));
    const root = await render();

    expect(byId(root, 'eca-settings')?.querySelectorAll('li').length).toBe(4);
    click(root, 'eca-confirm-button');
    await flushPromises();
    expect(confirmEcaPolicies).toHaveBeenLastCalledWith({ confirmed: true });
    expect(text(root, 'status-eca')).toBe('c.Setup_Status_Done');

    click(root, 'eca-undo-button');
    await flushPromises();
    expect(confirmEcaPolicies).toHaveBeenLastCalledWith({ confirmed: false });
    expect(text(root, 'status-eca')).toBe('c.Setup_Status_Attention');
  });

  it('shows the error when the confirmation cannot be saved', async () => {
    mocked(getSetupState).mockResolvedValue(clone(STATE_EMPTY));
    mocked(confirmEcaPolicies).mockRejectedValue(APEX_ERROR);
    const root = await render();

    click(root, 'eca-confirm-button');
    await flushPromises();

    expect(byId(root, 'eca-error')).not.toBeNull();
    expect(text(root, 'status-eca')).toBe('c.Setup_Status_Attention');
  });

  it('re-checks every step from the org on Re-check all', async () => {
    mocked(getSetupState).mockResolvedValueOnce(clone(STATE_EMPTY)).mockResolvedValueOnce(clone(STATE_DONE));
    const root = await render();
    expect(text(root, 'status-user')).toBe('c.Setup_Status_Attention');

    click(root, 'recheck-button');
    await flushPromises();

    expect(getSetupState).toHaveBeenCalledTimes(2);
    expect(text(root, 'status-user')).toBe('c.Setup_Status_Done');
  });
});
