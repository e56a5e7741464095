import { LightningElement, api } from 'lwc';

interface Option {
  id: string;
  name: string;
  email: string | null;
}

/**
 * lightning-record-picker for the gallery (the open-source base components do not ship it): a lookup
 * with the platform's public surface — label, object-api-name, value, placeholder, disabled, required,
 * variant; a `change` event whose detail is `{ recordId }`; clearSelection(), checkValidity() and
 * reportValidity(). It searches Contacts through the gallery server instead of the GraphQL API.
 */
export default class RecordPicker extends LightningElement {
  @api label = '';
  @api objectApiName = '';
  @api placeholder = 'Search...';
  @api disabled = false;
  @api required = false;
  @api variant = 'standard';

  selectedName = '';
  options: Option[] = [];
  open = false;
  private current: string | null = null;

  @api
  get value(): string | null {
    return this.current;
  }
  set value(id: string | null) {
    this.current = id || null;
    this.selectedName = '';
    if (this.current) {
      this.loadName(this.current).catch(() => {
        // The picker still works without the name: the id stands in for it.
        this.selectedName = this.current ?? '';
      });
    }
  }

  @api clearSelection(): void {
    this.select(null, '');
  }
  @api checkValidity(): boolean {
    return !this.required || !!this.current;
  }
  @api reportValidity(): boolean {
    return this.checkValidity();
  }

  get hasSelection(): boolean {
    return !!this.current;
  }
  get labelClass(): string {
    return this.variant === 'label-hidden'
      ? 'slds-form-element__label slds-assistive-text'
      : 'slds-form-element__label';
  }
  get comboboxClass(): string {
    return `slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${this.open ? ' slds-is-open' : ''}`;
  }
  get expanded(): string {
    return String(this.open);
  }

  private async loadName(id: string): Promise<void> {
    const found = (await (await fetch(`/api/contacts?id=${encodeURIComponent(id)}`)).json()) as Option[];
    if (this.current === id) this.selectedName = found[0]?.name ?? id;
  }

  async handleInput(event: Event): Promise<void> {
    const term = (event.target as HTMLInputElement).value;
    this.options = (await (await fetch(`/api/contacts?q=${encodeURIComponent(term)}`)).json()) as Option[];
    this.open = this.options.length > 0;
  }

  handlePick(event: Event): void {
    const id = (event.currentTarget as HTMLElement).dataset.recordId ?? '';
    const option = this.options.find((o) => o.id === id);
    this.select(id, option?.name ?? '');
  }

  handleRemove(): void {
    this.select(null, '');
  }

  private select(id: string | null, name: string): void {
    this.current = id;
    this.selectedName = name;
    this.open = false;
    this.dispatchEvent(new CustomEvent('change', { detail: { recordId: id } }));
  }
}
