import { LightningElement, api } from 'lwc';
import { checkConnection, connect, disconnect, verifyPackage } from 'tk/api';
import type { CheckReportView, ConnectionView, DisconnectView, StatusView, VerifyView } from 'tk/contract';
import { reduceError, fieldErrors, type ErrorInfo } from 'tk/errors';
import { LABELS, fill } from 'tk/labels';
import {
  buildConnectRequest,
  checkHeadline,
  emptyForm,
  fieldViews,
  isConnectStarted,
  methodOptions,
  summaryRows,
  validateConnect,
  verifyLines,
  type ConnectForm,
  type FormFieldName,
  type MethodName,
} from './connectionModel';

/** Connect (three sign-in methods), then the connection's summary, package verification, checks, disconnect. */
export default class Connection extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;

  form: ConnectForm = emptyForm();
  errors: Partial<Record<string, string>> = {};
  connecting = false;
  connectError: ErrorInfo | null = null;
  /** The answer of this page's own connect/disconnect, until the next status arrives. */
  private local: { connection: ConnectionView | null } | null = null;
  private statusConnection: ConnectionView | null = null;

  verifying = false;
  verifyResult: VerifyView | null = null;
  verifyError: ErrorInfo | null = null;
  checking = false;
  checkReport: CheckReportView | null = null;
  checkError: ErrorInfo | null = null;
  disconnected: DisconnectView | null = null;
  /** What tk-disconnect-dialog runs when the user confirms. */
  readonly disconnectAction = (): Promise<DisconnectView> => disconnect();

  @api pendingLogin: StatusView['pendingLogin'] = null;
  @api loginError: StatusView['loginError'] = null;

  @api
  get connection(): ConnectionView | null {
    return this.statusConnection;
  }
  set connection(value: ConnectionView | null) {
    this.statusConnection = value ?? null;
    this.local = null;
  }

  get current(): ConnectionView | null {
    return this.local ? this.local.connection : this.statusConnection;
  }

  get isConnected(): boolean {
    return !!this.current;
  }

  get methods() {
    return methodOptions(this.form.method);
  }

  get methodHelp(): string {
    return LABELS.connection.methodHelp[this.form.method] ?? '';
  }

  get fields() {
    return fieldViews(this.form, this.errors);
  }

  get summary() {
    return this.current ? summaryRows(this.current) : [];
  }

  get connectLabel(): string {
    return this.connecting ? LABELS.connection.connecting : LABELS.connection.connect;
  }

  get showPending(): boolean {
    return !!this.pendingLogin && !this.isConnected;
  }

  get loginFailure(): ErrorInfo | null {
    return this.connectError ? null : (this.loginError ?? null);
  }

  get verifyView() {
    return this.verifyResult ? verifyLines(this.verifyResult) : null;
  }

  get verifyClass(): string {
    return `slds-box slds-m-top_small ${this.verifyResult?.ok ? 'tk-box_success' : 'tk-box_error'}`;
  }

  get verifyIcon(): string {
    return this.verifyResult?.ok ? 'success' : 'error';
  }

  get verifyIconVariant(): string {
    return this.verifyResult?.ok
      ? 'slds-icon slds-icon_x-small slds-icon-text-success'
      : 'slds-icon slds-icon_x-small slds-icon-text-error';
  }

  get verifyStatusText(): string {
    return this.verifyResult?.ok ? LABELS.common.success : LABELS.common.error;
  }

  get checkHeadline(): string {
    return this.checkReport ? checkHeadline(this.checkReport) : '';
  }

  get verifyLabel(): string {
    return this.verifying ? LABELS.connection.verifying : LABELS.connection.verify;
  }

  get checkLabel(): string {
    return this.checking ? LABELS.connection.checking : LABELS.connection.check;
  }

  get disconnectedText(): string {
    const d = this.disconnected;
    if (!d) return '';
    const org = d.instanceUrl;
    return d.revoked
      ? fill(LABELS.connection.disconnected, { org })
      : fill(LABELS.connection.disconnectedNotRevoked, { org, note: d.note ?? '' });
  }

  handleMethod(event: CustomEvent<{ value: string }>): void {
    this.form = { ...this.form, method: event.detail.value as MethodName };
    this.errors = {};
    this.connectError = null;
  }

  handleInput(event: CustomEvent<{ name: FormFieldName; value: string }>): void {
    const { name, value } = event.detail;
    this.form = { ...this.form, [name]: value };
    if (this.errors[name]) this.errors = { ...this.errors, [name]: undefined };
  }

  async handleConnect(event: Event): Promise<void> {
    event.preventDefault();
    if (this.connecting) return;
    this.connectError = null;
    this.disconnected = null;
    this.errors = validateConnect(this.form);
    if (Object.keys(this.errors).length) {
      this.focusFirstError();
      return;
    }
    this.connecting = true;
    try {
      const answer = await connect(buildConnectRequest(this.form));
      if (isConnectStarted(answer)) {
        window.open(answer.authorizeUrl, '_blank', 'noopener');
      } else {
        this.local = { connection: answer.connection };
        this.form = emptyForm();
        this.dispatchEvent(new CustomEvent('connectionchange', { detail: answer.connection }));
      }
    } catch (err) {
      this.connectError = reduceError(err);
      this.errors = fieldErrors(err);
    } finally {
      this.connecting = false;
    }
  }

  async handleVerify(): Promise<void> {
    this.verifying = true;
    this.verifyError = null;
    try {
      this.verifyResult = await verifyPackage();
    } catch (err) {
      this.verifyResult = null;
      this.verifyError = reduceError(err);
    } finally {
      this.verifying = false;
    }
  }

  async handleCheck(): Promise<void> {
    this.checking = true;
    this.checkError = null;
    try {
      this.checkReport = await checkConnection();
    } catch (err) {
      this.checkReport = null;
      this.checkError = reduceError(err);
    } finally {
      this.checking = false;
    }
  }

  /** The dialog closed after `disconnect` answered: the connect form again, with what happened. */
  handleDisconnected(event: CustomEvent<DisconnectView>): void {
    this.disconnected = event.detail;
    this.local = { connection: null };
    this.verifyResult = null;
    this.checkReport = null;
    this.dispatchEvent(new CustomEvent('connectionchange', { detail: null }));
  }

  private focusFirstError(): void {
    const first = this.fields.find((f) => f.error);
    if (!first) return;
    // The error text renders on the next frame; the input is already there.
    this.querySelector<HTMLInputElement>(`[data-id="${first.dataId}"]`)?.focus();
  }
}
