/**
 * Plain logic of the Setup wizard: the DTO shapes TightknitSetupController returns and how each step's
 * status follows from them. No DOM, no Apex: the component stays a thin view over this module.
 */

export type UserOption = {
  id: string;
  name: string;
  username: string;
  profileName?: string;
  licenseName?: string;
  apiOnly: boolean;
};

export type ContactAccess = {
  checked: boolean;
  canRead: boolean;
  canCreate: boolean;
  grantedBy: string[];
};

export type SetupState = {
  integrationUser?: UserOption | null;
  storedUserInactive?: boolean;
  permissionSetAssigned: boolean;
  contactAccess: ContactAccess;
  ecaPoliciesConfirmed: boolean;
  newUserUrl: string;
  permissionSetsUrl: string;
  externalClientAppsUrl: string;
};

export type AssignmentResult = {
  alreadyAssigned: boolean;
  user: UserOption;
};

export type StepStatus = 'done' | 'attention';

export type StepStatuses = {
  user: StepStatus;
  permissionSet: StepStatus;
  contactAccess: StepStatus;
  externalClientApp: StepStatus;
};

export type ComboboxOption = { label: string; value: string };

export type Badge = { label: string; className: string };

/** Step 1 is done once a user that can log in to the UI is stored. */
export function stepStatuses(state: SetupState): StepStatuses {
  const user = state.integrationUser;
  return {
    user: user && !user.apiOnly ? 'done' : 'attention',
    permissionSet: user && state.permissionSetAssigned ? 'done' : 'attention',
    contactAccess: user && state.contactAccess.checked && state.contactAccess.canRead ? 'done' : 'attention',
    externalClientApp: state.ecaPoliciesConfirmed ? 'done' : 'attention',
  };
}

/** How many of the four steps are done. */
export function doneCount(statuses: StepStatuses): number {
  return Object.values(statuses).filter((status) => status === 'done').length;
}

/** "Name (username) · License" — enough to tell two people with the same name apart. */
export function userLabel(user: UserOption): string {
  const license = user.licenseName ? ` · ${user.licenseName}` : '';
  return `${user.name} (${user.username})${license}`;
}

/** Combobox options for the found users, with the stored user kept in the list even when the search misses it. */
export function userOptions(found: UserOption[], stored?: UserOption | null): ComboboxOption[] {
  const users = stored && !found.some((user) => user.id === stored.id) ? [stored, ...found] : found;
  return users.map((user) => ({ label: userLabel(user), value: user.id }));
}

/** The user behind a combobox value, among the found users and the stored one. */
export function findUser(
  id: string | undefined,
  found: UserOption[],
  stored?: UserOption | null,
): UserOption | undefined {
  if (!id) {
    return undefined;
  }
  if (stored && stored.id === id) {
    return stored;
  }
  return found.find((user) => user.id === id);
}
