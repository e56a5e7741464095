import { LightningElement, api } from 'lwc';
import { getConfig, saveConfig } from 'tk/api';
import type { ConfigView } from 'tk/contract';
import { fieldErrors, reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS } from 'tk/labels';
import type { FieldView } from 'tk/fieldList';
import {
  LEVELS,
  buildChange,
  formFromConfig,
  isDirty,
  rulesChanged,
  thresholdPath,
  validateConfig,
  weightPath,
  weightTypes,
  type ConfigForm,
  type ToggleName,
} from './configForm';

const L = LABELS.configure;

const inputIdFor = (path: string): string => `tk-cfg-${path.replace(/\./g, '-')}`;

function fieldState(path: string, errors: Record<string, string>, base: string) {
  const inputId = inputIdFor(path);
  const error = errors[path] ?? '';
  return {
    inputId,
    errorId: `${inputId}-error`,
    errorDataId: `error-${path}`,
    error,
    invalid: error ? 'true' : null,
    className: error ? `${base} slds-has-error` : base,
  };
}

/**
 * The sync's settings: toggles, match rules, interval, engagement weights and levels; Save; Review and
 * start. A save that changed the rules after members were pushed offers the re-match.
 */
export default class Configure extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  form: ConfigForm | null = null;
  errors: Record<string, string> = {};
  saving = false;
  saved = false;
  saveError: ErrorInfo | null = null;
  loadError: ErrorInfo | null = null;
  /** The last save changed the match rules of members already in the org. */
  offerRematch = false;
  private serverConfig: ConfigView | null = null;

  /** True when the org is connected (Review and start needs it). */
  @api connected = false;
  /** True while the sync runs (it was started already; Review and start is for starting it). */
  @api running = false;
  /** True once a backfill pushed the members (a re-match is then worth offering). */
  @api backfilled = false;

  /** The configuration from the status; replaces the form only while it has no unsaved edits. */
  @api
  get config(): ConfigView | null {
    return this.serverConfig;
  }
  set config(value: ConfigView | null) {
    this.takeConfig(value);
  }

  private takeConfig(value: ConfigView | null): void {
    if (!value) return;
    const keepEdits = this.form && this.dirty;
    this.serverConfig = value;
    if (!keepEdits) this.form = formFromConfig(value);
  }

  connectedCallback(): void {
    if (this.serverConfig) return;
    getConfig().then(
      (config) => {
        if (!this.serverConfig) this.takeConfig(config);
      },
      (err: unknown) => {
        this.loadError = reduceError(err);
      },
    );
  }

  get loadingConfig(): boolean {
    return !this.form && !this.loadError;
  }

  get dirty(): boolean {
    return !!this.form && isDirty(this.form, this.serverConfig);
  }

  get toggles() {
    const form = this.form;
    if (!form) return [];
    const items: Array<{ name: ToggleName; dataId: string; label: string; help: string }> = [
      { name: 'createContacts', dataId: 'create-contacts', label: L.createContacts, help: L.createContactsHelp },
      {
        name: 'activityMetadata',
        dataId: 'activity-metadata',
        label: L.activityMetadata,
        help: L.activityMetadataHelp,
      },
    ];
    return items.map((t) => {
      const state = fieldState(t.name, this.errors, 'slds-form-element slds-m-bottom_small');
      return {
        ...t,
        ...state,
        helpId: `${state.inputId}-help`,
        describedBy: [`${state.inputId}-help`, state.error ? state.errorId : ''].filter(Boolean).join(' '),
        checked: form[t.name],
      };
    });
  }

  get textFields(): FieldView[] {
    const form = this.form;
    if (!form) return [];
    return [
      { name: 'intervalMinutes', dataId: 'interval', type: 'number', label: L.interval, help: L.intervalHelp },
    ].map((f) => ({ ...f, ...this.field(f.name), value: form.intervalMinutes }));
  }

  /** The rules' error: on the list (`matchRules`) or on one rule (`matchRules.2`), as the server names it. */
  get rulesError(): string {
    return Object.entries(this.errors)
      .filter(([path]) => path === 'matchRules' || path.startsWith('matchRules.'))
      .map(([, reason]) => reason)
      .join(' ');
  }

  /** The weights and the level thresholds: a fieldset of number inputs each. */
  get numberGroups() {
    const form = this.form;
    if (!form) return [];
    const weights = weightTypes(this.serverConfig).map((t) => ({
      ...this.field(weightPath(t.value)),
      label: t.label,
      dataId: `weight-${t.value}`,
      value: form.weights[t.value] ?? '',
    }));
    const thresholds = LEVELS.map((level) => ({
      ...this.field(thresholdPath(level)),
      label: L[level],
      dataId: `threshold-${level}`,
      value: form.thresholds[level],
    }));
    return [
      {
        key: 'weights',
        legend: L.weightsLegend,
        help: L.weightsHelp,
        helpId: 'tk-cfg-weights-help',
        cellClass: 'slds-col slds-size_1-of-2 slds-medium-size_1-of-4 slds-large-size_1-of-5 slds-m-bottom_x-small',
        fields: weights,
      },
      {
        key: 'thresholds',
        legend: L.thresholdsLegend,
        help: '',
        helpId: null,
        cellClass: 'slds-col slds-size_1-of-3 slds-medium-size_1-of-5',
        fields: thresholds,
      },
    ];
  }

  /** The name (request path), input id and error of one tk-form-field. */
  private field(path: string) {
    return { name: path, inputId: inputIdFor(path), error: this.errors[path] ?? '' };
  }

  get hasErrors(): boolean {
    return Object.keys(this.errors).length > 0;
  }

  get saveLabel(): string {
    return this.saving ? L.saving : L.save;
  }

  get reviewDisabled(): boolean {
    return !this.connected || this.dirty || this.running || !this.form;
  }

  get reviewHint(): string {
    if (!this.connected) return L.reviewNeedsConnection;
    if (this.dirty) return L.reviewNeedsSave;
    if (this.running) return L.reviewRunning;
    return '';
  }

  private edit(change: Partial<ConfigForm>, path: string): void {
    if (!this.form) return;
    this.form = { ...this.form, ...change };
    this.saved = false;
    const stale = Object.keys(this.errors).filter((k) => k === path || k.startsWith(`${path}.`));
    if (stale.length > 0) {
      const rest = { ...this.errors };
      for (const k of stale) delete rest[k];
      this.errors = rest;
    }
  }

  handleRules(event: CustomEvent<string[]>): void {
    this.offerRematch = false;
    this.edit({ matchRules: event.detail }, 'matchRules');
  }

  /** The re-match started: the status it answered shows the run. */
  handleRematchStarted(event: CustomEvent): void {
    this.dispatchEvent(new CustomEvent('statuschange', { detail: event.detail }));
  }

  handleToggle(event: Event): void {
    const input = event.target as HTMLInputElement;
    const name = input.dataset.field as ToggleName;
    this.edit({ [name]: input.checked }, name);
  }

  handleText(event: CustomEvent<{ name: string; value: string }>): void {
    const { name, value } = event.detail;
    this.edit({ [name]: value }, name);
  }

  /** A weight or a threshold: the event names it by its request path. */
  handleNumber(event: CustomEvent<{ name: string; value: string }>): void {
    const { name, value } = event.detail;
    const form = this.form!;
    const type = Object.keys(form.weights).find((t) => weightPath(t) === name);
    if (type !== undefined) {
      this.edit({ weights: { ...form.weights, [type]: value } }, name);
      return;
    }
    const level = LEVELS.find((l) => thresholdPath(l) === name);
    if (level) this.edit({ thresholds: { ...form.thresholds, [level]: value } }, name);
  }

  async handleSave(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.form || this.saving) return;
    this.saved = false;
    this.saveError = null;
    this.errors = validateConfig(this.form);
    if (this.hasErrors) return;
    this.saving = true;
    try {
      const before = this.serverConfig;
      const config = await saveConfig(buildChange(this.form, before));
      this.offerRematch = this.backfilled && rulesChanged(before, config);
      this.serverConfig = config;
      this.form = formFromConfig(config);
      this.saved = true;
      this.dispatchEvent(new CustomEvent('configchange', { detail: config }));
    } catch (err) {
      this.errors = fieldErrors(err);
      this.saveError = reduceError(err);
    } finally {
      this.saving = false;
    }
  }

  handleReview(): void {
    if (!this.reviewDisabled) this.dispatchEvent(new CustomEvent('review'));
  }
}
