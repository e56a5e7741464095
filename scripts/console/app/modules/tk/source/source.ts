import { LightningElement, api } from 'lwc';
import { checkSlack, connectSlack, disconnectSlack, saveConfig } from 'tk/api';
import type {
  CheckReportView,
  ConfigView,
  SlackDisconnectView,
  SlackEventsName,
  SlackWorkspaceView,
  SourceView,
} from 'tk/contract';
import { fieldErrors, reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS, fill } from 'tk/labels';
import {
  buildSlackRequest,
  emptySlackForm,
  eventOptions,
  eventsHelp,
  keptText,
  receivingText,
  slackFieldViews,
  validateSlack,
  workspaceRows,
  type SlackFieldName,
  type SlackForm,
} from './sourceModel';

const L = LABELS.source;

/**
 * Setup → Community source: the Slack form (bot token, signing secret or app-level token), then the
 * workspace, its state and lag, the Slack checks, how events arrive, private channels, Disconnect.
 */
export default class Source extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;

  /** The source from the status (the workspace, its state and lag); replaces this page's own answer. */
  @api
  get source(): SourceView | null {
    return this.statusSource;
  }
  set source(value: SourceView | null) {
    this.statusSource = value ?? null;
    this.local = null;
  }

  /** The configuration from the status: the events mode and the private-channels switch. */
  @api
  get config(): ConfigView | null {
    return this.serverConfig;
  }
  set config(value: ConfigView | null) {
    this.takeConfig(value);
  }

  /** Replaces the settings only while they have no unsaved edits. */
  private takeConfig(value: ConfigView | null): void {
    this.serverConfig = value ?? null;
    if (value && !this.dirty) {
      this.settings = { events: value.slack.events, includePrivate: value.slack.includePrivate };
    }
  }

  private serverConfig: ConfigView | null = null;
  private statusSource: SourceView | null = null;
  /** This page's own connect/disconnect answer, until the status catches up. */
  private local: { slack: SlackWorkspaceView | null } | null = null;

  form: SlackForm = emptySlackForm();
  errors: Partial<Record<string, string>> = {};
  connecting = false;
  connectError: ErrorInfo | null = null;
  notice = '';

  checking = false;
  checkReport: CheckReportView | null = null;
  checkError: ErrorInfo | null = null;

  settings: { events: SlackEventsName; includePrivate: boolean } = { events: 'off', includePrivate: false };
  dirty = false;
  saving = false;
  saved = false;
  saveError: ErrorInfo | null = null;

  /** What tk-disconnect-dialog runs when the user confirms. */
  readonly disconnectAction = (): Promise<SlackDisconnectView> => disconnectSlack();

  get workspace(): SlackWorkspaceView | null {
    return this.local ? this.local.slack : (this.statusSource?.slack ?? null);
  }

  get isConnected(): boolean {
    return !!this.workspace;
  }

  get fields() {
    return slackFieldViews(this.form, this.errors);
  }

  get summary() {
    return this.workspace ? workspaceRows(this.workspace) : [];
  }

  get eventModes() {
    return eventOptions(this.settings.events, this.serverConfig?.intervalMinutes ?? 5);
  }

  get modeHelp() {
    return this.workspace ? eventsHelp(this.settings.events, this.workspace) : { text: '', missing: false };
  }

  get modeHelpClass(): string {
    return this.modeHelp.missing ? 'tk-help slds-text-color_error' : 'tk-help slds-text-color_weak';
  }

  get receiving(): string {
    return receivingText(this.source);
  }

  get connectLabel(): string {
    return this.connecting ? L.connecting : L.connect;
  }

  get checkLabel(): string {
    return this.checking ? L.checking : L.check;
  }

  get checkHeadline(): string {
    return this.checkReport?.ok ? L.checksOk : L.checksProblems;
  }

  get saveLabel(): string {
    return this.saving ? L.saving : L.save;
  }

  get saveDisabled(): boolean {
    return this.saving || !this.dirty;
  }

  handleInput(event: CustomEvent<{ name: SlackFieldName; value: string }>): void {
    const { name, value } = event.detail;
    this.form = { ...this.form, [name]: value };
    if (this.errors[name]) this.errors = { ...this.errors, [name]: undefined };
  }

  async handleConnect(event: Event): Promise<void> {
    event.preventDefault();
    if (this.connecting) return;
    this.connectError = null;
    this.notice = '';
    this.errors = validateSlack(this.form);
    const first = Object.keys(this.errors)[0];
    if (first) {
      this.querySelector<HTMLInputElement>(`[data-id="${this.fields.find((f) => f.name === first)?.dataId}"]`)?.focus();
      return;
    }
    this.connecting = true;
    try {
      const answer = await connectSlack(buildSlackRequest(this.form));
      this.local = { slack: answer.slack };
      this.notice = [fill(L.connected, { workspace: answer.slack.teamName }), keptText(answer.kept)]
        .filter(Boolean)
        .join(' ');
      this.checkReport = null;
      this.dispatchEvent(new CustomEvent('sourcechange', { detail: answer.slack }));
    } catch (err) {
      this.connectError = reduceError(err);
      this.errors = fieldErrors(err);
    } finally {
      // The values leave the page either way: a retry means pasting them again.
      this.form = emptySlackForm();
      this.connecting = false;
    }
  }

  async handleCheck(): Promise<void> {
    this.checking = true;
    this.checkError = null;
    try {
      this.checkReport = await checkSlack();
    } catch (err) {
      this.checkReport = null;
      this.checkError = reduceError(err);
    } finally {
      this.checking = false;
    }
  }

  handleMode(event: CustomEvent<{ value: string }>): void {
    this.settings = { ...this.settings, events: event.detail.value as SlackEventsName };
    this.markDirty();
  }

  handlePrivate(event: Event): void {
    this.settings = { ...this.settings, includePrivate: (event.target as HTMLInputElement).checked };
    this.markDirty();
  }

  private markDirty(): void {
    this.dirty = true;
    this.saved = false;
    this.saveError = null;
  }

  async handleSave(): Promise<void> {
    this.saving = true;
    this.saveError = null;
    try {
      const config = await saveConfig({ slack: { ...this.settings } });
      this.dirty = false;
      this.saved = true;
      this.takeConfig(config);
      this.dispatchEvent(new CustomEvent('sourcechange', { detail: this.workspace }));
    } catch (err) {
      this.saveError = reduceError(err);
    } finally {
      this.saving = false;
    }
  }

  /** The dialog closed after `disconnectSlack` answered: the Slack form again, with whom it left. */
  handleDisconnected(event: CustomEvent<SlackDisconnectView>): void {
    const answer = event.detail;
    this.local = { slack: null };
    this.notice = fill(L.disconnected, { workspace: answer.teamName ?? answer.teamId ?? '' });
    this.checkReport = null;
    this.dispatchEvent(new CustomEvent('sourcechange', { detail: null }));
  }
}
