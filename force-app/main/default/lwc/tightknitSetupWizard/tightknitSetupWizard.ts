import { LightningElement } from 'lwc';
import getSetupState from '@salesforce/apex/TightknitSetupController.getSetupState';
import searchUsers from '@salesforce/apex/TightknitSetupController.searchUsers';
import assignIntegrationPermissionSet from '@salesforce/apex/TightknitSetupController.assignIntegrationPermissionSet';
import rememberIntegrationUser from '@salesforce/apex/TightknitSetupController.rememberIntegrationUser';
import checkContactAccess from '@salesforce/apex/TightknitSetupController.checkContactAccess';
import confirmEcaPolicies from '@salesforce/apex/TightknitSetupController.confirmEcaPolicies';
import { formatLabel } from 'c/tightknitLdsUtils';
import { labels } from './labels';
import { doneCount, findUser, stepStatuses, userOptions } from './setupWizardModel';

import type {
  AssignmentResult,
  Badge,
  ComboboxOption,
  ContactAccess,
  SetupState,
  StepStatus,
  StepStatuses,
  UserOption,
} from './setupWizardModel';

const SEARCH_DELAY_MS = 300;

function badge(status: StepStatus): Badge {
  return status === 'done'
    ? { label: labels.statusDone, className: 'slds-badge slds-theme_success' }
    : { label: labels.statusAttention, className: 'slds-badge slds-theme_warning' };
}

/**
 * The Tightknit Setup wizard: four steps (integration user, its permission set, its Contact access, the
 * External Client App policies), each marked done or needing attention. Every step can be redone at any
 * time; "Re-check all" reloads the state from the org.
 */
export default class TightknitSetupWizard extends LightningElement {
  labels = labels;

  state?: SetupState;
  loading = true;
  loadError?: unknown;

  foundUsers: UserOption[] = [];
  searchTerm = '';
  selectedUserId?: string;
  searchError?: unknown;
  private searchTimer?: ReturnType<typeof setTimeout>;

  assigning = false;
  assignMessage?: string;
  assignError?: unknown;

  checkingContact = false;
  contactError?: unknown;

  savingEca = false;
  ecaError?: unknown;

  connectedCallback(): void {
    this.load();
  }

  disconnectedCallback(): void {
    clearTimeout(this.searchTimer);
  }

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = undefined;
    try {
      const [state, users] = (await Promise.all([getSetupState(), searchUsers({ searchTerm: '' })])) as [
        SetupState,
        UserOption[],
      ];
      this.applyState(state);
      this.foundUsers = users;
    } catch (error) {
      this.loadError = error;
    } finally {
      this.loading = false;
    }
  }

  private applyState(state: SetupState): void {
    this.state = state;
    if (!this.selectedUserId && state.integrationUser) {
      this.selectedUserId = state.integrationUser.id;
    }
  }

  // ---- overall -------------------------------------------------------------------------------------

  get isReady(): boolean {
    return !this.loading && !this.loadError && !!this.state;
  }

  get showLoadError(): boolean {
    return !this.loading && !!this.loadError;
  }

  get statuses(): StepStatuses | undefined {
    return this.state ? stepStatuses(this.state) : undefined;
  }

  get progressText(): string {
    return this.statuses ? formatLabel(labels.progress, doneCount(this.statuses), 4) : '';
  }

  get userBadge(): Badge {
    return badge(this.statuses?.user ?? 'attention');
  }

  get permissionSetBadge(): Badge {
    return badge(this.statuses?.permissionSet ?? 'attention');
  }

  get contactBadge(): Badge {
    return badge(this.statuses?.contactAccess ?? 'attention');
  }

  get ecaBadge(): Badge {
    return badge(this.statuses?.externalClientApp ?? 'attention');
  }

  handleRecheck(): void {
    this.assignMessage = undefined;
    this.load();
  }

  // ---- step 1: integration user --------------------------------------------------------------------

  get storedUser(): UserOption | null | undefined {
    return this.state?.integrationUser;
  }

  get storedUserInactive(): boolean {
    return this.state?.storedUserInactive === true;
  }

  get currentUserText(): string {
    const user = this.storedUser;
    return user ? formatLabel(labels.step1Current, user.name, user.username, user.licenseName ?? '') : labels.step1None;
  }

  get userOptions(): ComboboxOption[] {
    return userOptions(this.foundUsers, this.storedUser);
  }

  get hasUserOptions(): boolean {
    return this.userOptions.length > 0;
  }

  get selectedUser(): UserOption | undefined {
    return findUser(this.selectedUserId, this.foundUsers, this.storedUser);
  }

  get selectedIsApiOnly(): boolean {
    return this.selectedUser?.apiOnly === true;
  }

  get apiOnlyWarning(): string {
    const user = this.selectedUser;
    return user ? formatLabel(labels.step1ApiOnly, user.name, user.licenseName ?? '') : '';
  }

  handleSearchChange(event: CustomEvent<{ value: string }>): void {
    this.searchTerm = event.detail.value ?? '';
    clearTimeout(this.searchTimer);
    // Wait for a pause in typing before asking the server.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.searchTimer = setTimeout(() => this.search(), SEARCH_DELAY_MS);
  }

  async search(): Promise<void> {
    this.searchError = undefined;
    try {
      this.foundUsers = (await searchUsers({ searchTerm: this.searchTerm })) as UserOption[];
    } catch (error) {
      this.searchError = error;
    }
  }

  handleUserChange(event: CustomEvent<{ value: string }>): void {
    this.selectedUserId = event.detail.value;
    this.assignMessage = undefined;
    this.assignError = undefined;
  }

  // ---- step 2: permission set and remembered user --------------------------------------------------

  get assignDisabled(): boolean {
    return !this.selectedUserId || this.assigning;
  }

  get permissionSetDone(): boolean {
    return this.statuses?.permissionSet === 'done';
  }

  get permissionSetDoneText(): string {
    return formatLabel(labels.step2Done, this.storedUser?.name ?? '');
  }

  async handleAssign(): Promise<void> {
    const userId = this.selectedUserId;
    if (!userId) {
      return;
    }
    this.assigning = true;
    this.assignError = undefined;
    this.assignMessage = undefined;
    try {
      // Two calls on purpose: a permission set assignment and the settings record cannot share a transaction.
      const result = (await assignIntegrationPermissionSet({ userId })) as AssignmentResult;
      const state = (await rememberIntegrationUser({ userId })) as SetupState;
      this.applyState(state);
      this.assignMessage = formatLabel(
        result.alreadyAssigned ? labels.step2AlreadyAssigned : labels.step2Assigned,
        result.user.name,
      );
    } catch (error) {
      this.assignError = error;
    } finally {
      this.assigning = false;
    }
  }

  // ---- step 3: Contact access ----------------------------------------------------------------------

  get contactAccess(): ContactAccess | undefined {
    return this.state?.contactAccess;
  }

  get contactNeedsUser(): boolean {
    return !this.storedUser;
  }

  get contactCanRead(): boolean {
    return !!this.storedUser && this.contactAccess?.checked === true && this.contactAccess.canRead;
  }

  get contactMissing(): boolean {
    return !!this.storedUser && !this.contactCanRead;
  }

  get contactCanReadText(): string {
    return formatLabel(
      labels.step3CanRead,
      this.storedUser?.name ?? '',
      (this.contactAccess?.grantedBy ?? []).join(', '),
    );
  }

  get contactNoCreate(): boolean {
    return this.contactCanRead && this.contactAccess?.canCreate !== true;
  }

  get contactMissingText(): string {
    return formatLabel(labels.step3Missing, this.storedUser?.name ?? '');
  }

  get checkAgainDisabled(): boolean {
    return this.checkingContact || !this.storedUser;
  }

  async handleCheckAgain(): Promise<void> {
    if (!this.state) {
      return;
    }
    this.checkingContact = true;
    this.contactError = undefined;
    try {
      const access = (await checkContactAccess()) as ContactAccess;
      this.state = { ...this.state, contactAccess: access };
    } catch (error) {
      this.contactError = error;
    } finally {
      this.checkingContact = false;
    }
  }

  // ---- step 4: External Client App policies --------------------------------------------------------

  get ecaConfirmed(): boolean {
    return this.state?.ecaPoliciesConfirmed === true;
  }

  handleConfirmEca(): void {
    this.saveEca(true);
  }

  handleUndoEca(): void {
    this.saveEca(false);
  }

  private async saveEca(confirmed: boolean): Promise<void> {
    this.savingEca = true;
    this.ecaError = undefined;
    try {
      this.applyState((await confirmEcaPolicies({ confirmed })) as SetupState);
    } catch (error) {
      this.ecaError = error;
    } finally {
      this.savingEca = false;
    }
  }
}
