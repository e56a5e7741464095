/** ShowToastEvent as the platform defines it: `lightning__showtoast`, its detail the toast. */
export class ShowToastEvent extends CustomEvent<{
  title: string;
  message?: string;
  variant?: string;
  mode?: string;
  messageData?: unknown[];
}> {
  constructor(toast: { title: string; message?: string; variant?: string; mode?: string; messageData?: unknown[] }) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}
