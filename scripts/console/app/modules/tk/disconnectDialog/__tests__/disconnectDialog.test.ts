import DisconnectDialog from 'tk/disconnectDialog';
import { LABELS } from 'tk/labels';
import { apiError, byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';

function mountDialog(props: Record<string, unknown> = {}): HTMLElement {
  return mount('tk-disconnect-dialog', DisconnectDialog, {
    texts: LABELS.connection,
    buttonId: 'disconnect-button',
    ...props,
  });
}

/** Mounts the dialog, opens it and confirms; `disconnected` records the events it fires. */
async function mountAndConfirm(action: jest.Mock): Promise<{ el: HTMLElement; disconnected: jest.Mock }> {
  const el = mountDialog({ action });
  const disconnected = jest.fn();
  el.addEventListener('disconnected', disconnected);
  await flush();
  click(el, 'disconnect-button');
  await flush();
  click(el, 'disconnect-confirm');
  await flush();
  return { el, disconnected };
}

function escape(el: HTMLElement, dialogId = 'disconnect-dialog'): void {
  must(el, dialogId).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
}

function cancelButton(el: HTMLElement, dialogId = 'disconnect-dialog'): HTMLButtonElement {
  return must(el, dialogId).querySelector<HTMLButtonElement>('.slds-modal__footer .slds-button_neutral')!;
}

describe('tk-disconnect-dialog', () => {
  afterEach(cleanup);

  it('closed: shows only the Disconnect button', async () => {
    const el = mountDialog();
    await flush();
    const button = must<HTMLButtonElement>(el, 'disconnect-button');
    expect(button.className).toBe('slds-button slds-button_text-destructive');
    expect(text(el, 'disconnect-button')).toBe('Disconnect');
    expect(byId(el, 'disconnect-dialog')).toBeNull();
    expect(el.querySelector('[role="dialog"]')).toBeNull();
  });

  it('open: asks first with the texts, focus in the dialog; Cancel and Escape close it without acting', async () => {
    const action = jest.fn();
    const el = mountDialog({ action });
    await flush();
    const opener = must<HTMLButtonElement>(el, 'disconnect-button');
    opener.focus();
    opener.click();
    await flush();
    const dialog = must(el, 'disconnect-dialog');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.querySelector('h1')?.textContent).toBe(LABELS.connection.disconnectTitle);
    const paragraphs = Array.from(dialog.querySelectorAll('.slds-modal__content > p')).map((p) => p.textContent);
    expect(paragraphs).toEqual([LABELS.connection.disconnectBody, LABELS.connection.disconnectKeeps]);
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(text(el, 'disconnect-confirm')).toBe('Disconnect');
    expect(cancelButton(el).textContent?.trim()).toBe('Cancel');
    expect(byId(el, 'disconnect-error')).toBeNull();

    cancelButton(el).click();
    await flush();
    expect(byId(el, 'disconnect-dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);

    opener.click();
    await flush();
    escape(el);
    await flush();
    expect(byId(el, 'disconnect-dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(action).not.toHaveBeenCalled();
  });

  it('names its parts with the id prefix and leaves out a second paragraph it has no text for', async () => {
    const el = mountDialog({ texts: LABELS.source, buttonId: 'slack-disconnect', idPrefix: 'slack-' });
    await flush();
    expect(text(el, 'slack-disconnect')).toBe('Disconnect Slack');
    click(el, 'slack-disconnect');
    await flush();
    const dialog = must(el, 'slack-disconnect-dialog');
    expect(dialog.querySelector('h1')?.textContent).toBe(LABELS.source.disconnectTitle);
    expect(Array.from(dialog.querySelectorAll('.slds-modal__content > p')).map((p) => p.textContent)).toEqual([
      LABELS.source.disconnectBody,
    ]);
    expect(byId(el, 'slack-disconnect-confirm')).not.toBeNull();
    expect(byId(el, 'disconnect-dialog')).toBeNull();
  });

  it('busy: while the action runs, the buttons are disabled, the confirm says so, and Escape does nothing', async () => {
    let resolve: (v: unknown) => void = () => undefined;
    const action = jest.fn(() => new Promise((r) => (resolve = r)));
    const { el, disconnected } = await mountAndConfirm(action);
    expect(action).toHaveBeenCalledTimes(1);
    const confirm = must<HTMLButtonElement>(el, 'disconnect-confirm');
    expect(confirm.disabled).toBe(true);
    expect(cancelButton(el).disabled).toBe(true);
    expect(text(el, 'disconnect-confirm')).toContain('Disconnecting…');
    expect(confirm.querySelector('.tk-spinner')).not.toBeNull();
    escape(el);
    await flush();
    expect(byId(el, 'disconnect-dialog')).not.toBeNull();
    expect(disconnected).not.toHaveBeenCalled();
    resolve({ revoked: true });
    await flush();
    expect(byId(el, 'disconnect-dialog')).toBeNull();
  });

  it('error: a failed action shows in the dialog, which stays open; opening again clears it', async () => {
    const action = jest
      .fn()
      .mockRejectedValue(
        apiError(409, 'SYNC_RUNNING', 'A sync is running.', ['Wait for it to finish.', 'Then disconnect again.']),
      );
    const { el, disconnected } = await mountAndConfirm(action);
    const dialog = must(el, 'disconnect-dialog');
    const error = must(el, 'disconnect-error');
    expect(dialog.contains(error)).toBe(true);
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(el, 'disconnect-error')).toContain('A sync is running.');
    expect(error.querySelectorAll('li')).toHaveLength(2);
    expect(must<HTMLButtonElement>(el, 'disconnect-confirm').disabled).toBe(false);
    expect(text(el, 'disconnect-confirm')).toBe('Disconnect');
    expect(disconnected).not.toHaveBeenCalled();

    cancelButton(el).click();
    await flush();
    click(el, 'disconnect-button');
    await flush();
    expect(byId(el, 'disconnect-dialog')).not.toBeNull();
    expect(byId(el, 'disconnect-error')).toBeNull();
  });

  it('success: closes and fires disconnected with what the action answered', async () => {
    const answer = { revoked: true, instanceUrl: 'https://acme.my.salesforce.com' };
    const action = jest.fn().mockResolvedValue(answer);
    const { el, disconnected } = await mountAndConfirm(action);
    expect(action).toHaveBeenCalledTimes(1);
    expect(byId(el, 'disconnect-dialog')).toBeNull();
    expect(disconnected).toHaveBeenCalledTimes(1);
    expect(disconnected.mock.calls[0][0].detail).toBe(answer);
    expect(byId(el, 'disconnect-button')).not.toBeNull();
  });
});
