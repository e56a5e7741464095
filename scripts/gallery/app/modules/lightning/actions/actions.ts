/** CloseActionScreenEvent as the platform defines it: closes a screen quick action's dialog. */
export class CloseActionScreenEvent extends CustomEvent<undefined> {
  constructor() {
    super('lightning__actionsclosescreen', { bubbles: true, composed: true });
  }
}
