// Ambient typings for the platform modules only the Setup app components use (tightknitLinkContact).

declare module 'lightning/actions' {
  /** Closes the quick action's screen. */
  export class CloseActionScreenEvent extends CustomEvent<unknown> {
    constructor();
  }
}

declare module 'lightning/uiRecordApi' {
  /** Tells Lightning Data Service that records changed outside it, so record pages refresh. */
  export function notifyRecordUpdateAvailable(records: { recordId: string }[]): Promise<void>;
}
