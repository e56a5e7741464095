// Ambient typings for the platform modules our TypeScript LWCs import. The Salesforce VS Code extension
// generates similar files under .sfdx/typings; CI has no extension, so the project keeps its own.
// Specific shapes (DTOs) are typed at the use site in each component's model module.

/** An imported @AuraEnabled method: callable imperatively, or usable as a wire adapter. */
type TightknitApexMethod = import('lwc').WireAdapterConstructor<
  Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  any
> &
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ((params?: Record<string, unknown>) => Promise<any>);

declare module '@salesforce/apex/*' {
  const apexMethod: TightknitApexMethod;
  export default apexMethod;
}

declare module '@salesforce/apex' {
  export function refreshApex(wiredValue: unknown): Promise<void>;
}

declare module '@salesforce/label/*' {
  const label: string;
  export default label;
}

declare module '@salesforce/schema/*' {
  const fieldOrObject: { fieldApiName: string; objectApiName: string };
  export default fieldOrObject;
}

declare module '@salesforce/i18n/*' {
  const value: string;
  export default value;
}

declare module 'lightning/navigation' {
  import type { LightningElement } from 'lwc';

  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
  }

  const Navigate: unique symbol;
  const GenerateUrl: unique symbol;

  /** What NavigationMixin adds to a component class. */
  export interface NavigationCapable {
    [Navigate](pageReference: PageReference, replace?: boolean): void;
    [GenerateUrl](pageReference: PageReference): Promise<string>;
  }

  export const NavigationMixin: {
    <T extends new (...args: never[]) => LightningElement>(
      base: T,
    ): new (...args: ConstructorParameters<T>) => InstanceType<T> & NavigationCapable;
    readonly Navigate: typeof Navigate;
    readonly GenerateUrl: typeof GenerateUrl;
  };

  export const CurrentPageReference: import('lwc').WireAdapterConstructor;
}

declare module 'lightning/platformShowToastEvent' {
  export class ShowToastEvent extends CustomEvent<unknown> {
    constructor(toast: {
      title: string;
      message?: string;
      variant?: 'info' | 'success' | 'warning' | 'error';
      mode?: 'dismissible' | 'pester' | 'sticky';
    });
  }
}
