/**
 * force/navigation for the gallery (lightning/navigation re-exports it): NavigationMixin adds
 * [Navigate] and [GenerateUrl]; CurrentPageReference is a wire adapter. The gallery has no other
 * pages to go to, so a navigation is announced to the page shell, which shows where it would lead.
 */

interface PageReference {
  type: string;
  attributes?: Record<string, unknown>;
  state?: Record<string, unknown>;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function urlOf(ref: PageReference): string {
  const a = ref.attributes ?? {};
  if (ref.type === 'standard__webPage') return String(a.url ?? '');
  if (ref.type === 'standard__recordPage')
    return `/lightning/r/${String(a.objectApiName ?? 'record')}/${String(a.recordId)}/${String(a.actionName ?? 'view')}`;
  return `/lightning/${ref.type}`;
}

// TypeScript's mixin rule requires any[].
type Constructor = new (...args: any[]) => object;

function mixin<T extends Constructor>(Base: T): T {
  return class extends Base {
    [Navigate](pageReference: PageReference, replace = false): void {
      window.dispatchEvent(
        new CustomEvent('gallery__navigate', { detail: { ...pageReference, replace, url: urlOf(pageReference) } }),
      );
    }
    [GenerateUrl](pageReference: PageReference): Promise<string> {
      return Promise.resolve(urlOf(pageReference));
    }
  };
}

export const NavigationMixin = Object.assign(mixin, { Navigate, GenerateUrl });

/** The current page: a record page of the gallery's record. */
export class CurrentPageReference {
  private readonly callback: (value: PageReference) => void;
  constructor(callback: (value: PageReference) => void) {
    this.callback = callback;
  }
  connect(): void {
    const params = new URLSearchParams(window.location.search);
    this.callback({
      type: 'standard__recordPage',
      attributes: { actionName: 'view' },
      state: { c__state: params.get('s') },
    });
  }
  disconnect(): void {}
  update(): void {}
}
