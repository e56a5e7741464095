import { LightningElement, api } from 'lwc';
import { LABELS } from 'tk/labels';
import { MAX_RULES, RULE_OBJECTS, addRule, moveRule, removeRule, ruleRows, type RuleObject } from './matchRulesModel';

/**
 * The ordered match rules, editable: move a rule up or down within its object, remove it, add
 * Object.Field. The parent keeps the list and its errors; every edit fires `ruleschange` with the new list.
 */
export default class MatchRules extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  @api rules: string[] = [];
  /** The list's error (the server's reason, or the parent's own check). */
  @api error = '';
  newObject: RuleObject = 'Contact';
  newField = '';
  addError = '';

  get rows() {
    return ruleRows(this.rules ?? []);
  }

  get empty(): boolean {
    return (this.rules ?? []).length === 0;
  }

  get objects() {
    return RULE_OBJECTS.map((o) => ({ value: o, label: o, selected: o === this.newObject }));
  }

  get full(): boolean {
    return (this.rules ?? []).length >= MAX_RULES;
  }

  get listClass(): string {
    const base = 'slds-form-element slds-m-vertical_small';
    return this.error ? `${base} slds-has-error` : base;
  }

  get describedBy(): string {
    return ['tk-rules-help', this.error ? 'tk-rules-error' : ''].filter(Boolean).join(' ');
  }

  get fieldClass(): string {
    return this.addError ? 'slds-form-element slds-has-error tk-rules__field' : 'slds-form-element tk-rules__field';
  }

  get fieldDescribedBy(): string | null {
    return this.addError ? 'tk-rules-add-error' : null;
  }

  get fieldInvalid(): string | null {
    return this.addError ? 'true' : null;
  }

  private change(rules: string[]): void {
    this.dispatchEvent(new CustomEvent('ruleschange', { detail: rules }));
  }

  private indexOf(event: Event): number {
    return Number((event.currentTarget as HTMLElement).dataset.index);
  }

  handleUp(event: Event): void {
    this.change(moveRule(this.rules, this.indexOf(event), -1));
  }

  handleDown(event: Event): void {
    this.change(moveRule(this.rules, this.indexOf(event), 1));
  }

  handleRemove(event: Event): void {
    this.change(removeRule(this.rules, this.indexOf(event)));
  }

  handleObject(event: Event): void {
    this.newObject = (event.target as HTMLSelectElement).value as RuleObject;
  }

  handleField(event: Event): void {
    this.newField = (event.target as HTMLInputElement).value;
    this.addError = '';
  }

  /** Enter in the field adds the rule instead of submitting the settings form. */
  handleFieldKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    this.handleAdd();
  }

  handleAdd(): void {
    const result = addRule(this.rules ?? [], this.newObject, this.newField);
    if ('error' in result) {
      this.addError = result.error;
      return;
    }
    this.newField = '';
    this.addError = '';
    this.change(result.rules);
  }
}
