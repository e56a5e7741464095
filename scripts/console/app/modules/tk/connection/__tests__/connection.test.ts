import Connection from 'tk/connection';
import { checkConnection, connect, disconnect, verifyPackage } from 'tk/api';
import { apiError, cleanup, click, flush, must, byId, mount, text, typeInto } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({
  connect: jest.fn(),
  disconnect: jest.fn(),
  verifyPackage: jest.fn(),
  checkConnection: jest.fn(),
}));

const mocked = <T extends (...args: never[]) => unknown>(fn: T) => fn as unknown as jest.Mock;

function fillClientCredentials(el: HTMLElement): void {
  typeInto(must(el, 'login-url'), 'https://acme.my.salesforce.com/');
  typeInto(must(el, 'client-id'), '3MVG9-key');
  typeInto(must(el, 'client-secret'), 's3cret');
}

describe('tk-connection, not connected', () => {
  afterEach(cleanup);

  it('offers three methods with client credentials chosen and its three fields', () => {
    const el = mount('tk-connection', Connection, { connection: null });
    expect(must<HTMLInputElement>(el, 'method-client-credentials').checked).toBe(true);
    expect(must<HTMLInputElement>(el, 'method-jwt').checked).toBe(false);
    expect(must<HTMLInputElement>(el, 'method-web').checked).toBe(false);
    expect(must<HTMLInputElement>(el, 'login-url').placeholder).toBe('https://yourdomain.my.salesforce.com');
    expect(must<HTMLInputElement>(el, 'client-secret').type).toBe('password');
    expect(byId(el, 'username')).toBeNull();
    expect(byId(el, 'connection-summary')).toBeNull();
    // Every input has a label pointing at it.
    for (const input of Array.from(el.querySelectorAll('input'))) {
      expect(el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('switches to the JWT fields', async () => {
    const el = mount('tk-connection', Connection, { connection: null });
    const jwt = must<HTMLInputElement>(el, 'method-jwt');
    jwt.checked = true;
    jwt.dispatchEvent(new CustomEvent('change'));
    await flush();
    expect(byId(el, 'username')).not.toBeNull();
    expect(byId(el, 'key-file')).not.toBeNull();
    expect(byId(el, 'client-secret')).toBeNull();
  });

  it('shows required-field errors next to the inputs without calling the server', async () => {
    const el = mount('tk-connection', Connection, { connection: null });
    typeInto(must(el, 'login-url'), 'http://acme.my.salesforce.com');
    click(el, 'connect-button');
    await flush();
    expect(connect).not.toHaveBeenCalled();
    expect(text(el, 'error-loginUrl')).toContain('https');
    expect(text(el, 'error-clientId')).toBe('Enter a value.');
    const input = must<HTMLInputElement>(el, 'client-id');
    expect(input.getAttribute('aria-describedby')).toContain(must(el, 'error-clientId').id);
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('posts the client-credentials request and shows the summary', async () => {
    const connection = fx.statusConnected().connection;
    let resolve: (v: unknown) => void = () => undefined;
    mocked(connect).mockReturnValue(new Promise((r) => (resolve = r)));
    const el = mount('tk-connection', Connection, { connection: null });
    const changed = jest.fn();
    el.addEventListener('connectionchange', changed);
    fillClientCredentials(el);
    click(el, 'connect-button');
    await flush();
    // Connecting: the button is busy.
    expect(must<HTMLButtonElement>(el, 'connect-button').disabled).toBe(true);
    expect(text(el, 'connect-button')).toContain('Connecting');
    expect(connect).toHaveBeenCalledWith({
      method: 'client-credentials',
      loginUrl: 'https://acme.my.salesforce.com',
      clientId: '3MVG9-key',
      clientSecret: 's3cret',
    });
    resolve({ connection });
    await flush();
    expect(text(el, 'connection-summary')).toContain('https://acme.my.salesforce.com');
    expect(text(el, 'connection-summary')).toContain('sync@acme.example');
    expect(text(el, 'connection-summary')).toContain('Client credentials');
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('shows the server error with its actions and marks the field it names', async () => {
    mocked(connect).mockRejectedValue(
      apiError(
        400,
        'OAUTH_FAILED',
        'Salesforce refused the consumer key.',
        ['Copy the key from the External Client App.', 'Try again.'],
        [{ field: 'clientId', reason: 'Unknown consumer key.' }],
      ),
    );
    const el = mount('tk-connection', Connection, { connection: null });
    fillClientCredentials(el);
    click(el, 'connect-button');
    await flush();
    const panel = must(el, 'connect-error');
    expect(panel.getAttribute('role')).toBe('alert');
    expect(text(el, 'connect-error')).toContain('Salesforce refused the consumer key.');
    expect(panel.querySelectorAll('li')).toHaveLength(2);
    expect(text(el, 'error-clientId')).toBe('Unknown consumer key.');
    expect(must<HTMLButtonElement>(el, 'connect-button').disabled).toBe(false);
  });

  it('opens the Salesforce sign-in in a new tab for web login and shows the pending state', async () => {
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    mocked(connect).mockResolvedValue({ authorizeUrl: 'https://acme.my.salesforce.com/services/oauth2/authorize?x=1' });
    const el = mount('tk-connection', Connection, { connection: null });
    const web = must<HTMLInputElement>(el, 'method-web');
    web.checked = true;
    web.dispatchEvent(new CustomEvent('change'));
    await flush();
    typeInto(must(el, 'login-url'), 'https://acme.my.salesforce.com');
    typeInto(must(el, 'client-id'), 'key');
    click(el, 'connect-button');
    await flush();
    expect(connect).toHaveBeenCalledWith({
      method: 'web',
      loginUrl: 'https://acme.my.salesforce.com',
      clientId: 'key',
    });
    expect(open).toHaveBeenCalledWith(
      'https://acme.my.salesforce.com/services/oauth2/authorize?x=1',
      '_blank',
      'noopener',
    );
    Object.assign(el, { pendingLogin: { authorizeUrl: 'https://x/authorize', startedAt: '2026-03-04T14:00:00Z' } });
    await flush();
    expect(text(el, 'pending-login')).toContain('Waiting for the Salesforce sign-in');
    Object.assign(el, {
      pendingLogin: null,
      loginError: {
        code: 'OAUTH_APP_ACCESS_DENIED',
        message: 'user is not admin approved',
        actions: ['Add the permission set in External Client App Manager.'],
      },
    });
    await flush();
    expect(text(el, 'login-error')).toContain('user is not admin approved');
    expect(text(el, 'login-error')).toContain('External Client App Manager');
    open.mockRestore();
  });
});

describe('tk-connection, connected', () => {
  afterEach(cleanup);

  it('summarises the connection', () => {
    const el = mount('tk-connection', Connection, { connection: fx.statusConnected().connection });
    expect(byId(el, 'connect-button')).toBeNull();
    expect(text(el, 'connection-summary')).toContain('00D5g000004XyZaEAK');
  });

  it('verifies the package', async () => {
    mocked(verifyPackage).mockResolvedValue(fx.verify());
    const el = mount('tk-connection', Connection, { connection: fx.statusConnected().connection });
    click(el, 'verify-button');
    await flush();
    expect(text(el, 'verify-result')).toContain('Tightknit Analytics 1.3.0');
    expect(text(el, 'verify-result')).toContain('tightknit__Member__c: 24 fields');
  });

  it('renders each check with its status in words, and the fix of the failing one', async () => {
    mocked(checkConnection).mockResolvedValue(fx.checks());
    const el = mount('tk-connection', Connection, { connection: fx.statusConnected().connection });
    click(el, 'check-button');
    await flush();
    const items = must(el, 'check-list').querySelectorAll('li');
    expect(items).toHaveLength(4);
    const failing = must(el, 'check-contact-read');
    expect(failing.getAttribute('data-status')).toBe('fail');
    expect(text(el, 'check-contact-read')).toContain('Failed');
    expect(text(el, 'check-contact-read')).toContain('Blocks the sync');
    expect(text(el, 'check-contact-read')).toContain('Fix: Grant Read on Contact');
    expect(failing.querySelector('use')?.getAttribute('href')).toContain('#error');
    // A passing check shows no fix.
    expect(text(el, 'check-api-enabled')).toContain('Passed');
    expect(text(el, 'check-api-enabled')).not.toContain('Fix:');
    expect(text(el, 'check-contact-create')).toContain('Warning');
  });

  it('asks before disconnecting, closes on Escape, and disconnects on confirm', async () => {
    mocked(disconnect).mockResolvedValue({
      revoked: true,
      username: 'sync@acme.example',
      instanceUrl: 'https://acme.my.salesforce.com',
    });
    const el = mount('tk-connection', Connection, { connection: fx.statusConnected().connection });
    const opener = must<HTMLButtonElement>(el, 'disconnect-button');
    opener.focus();
    opener.click();
    await flush();
    const dialog = must(el, 'disconnect-dialog');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.textContent).toContain('revokes the OAuth token');
    expect(dialog.textContent).toContain('sync history');
    expect(dialog.contains(document.activeElement)).toBe(true);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flush();
    expect(byId(el, 'disconnect-dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(disconnect).not.toHaveBeenCalled();

    click(el, 'disconnect-button');
    await flush();
    click(el, 'disconnect-confirm');
    await flush();
    expect(disconnect).toHaveBeenCalledTimes(1);
    expect(byId(el, 'disconnect-dialog')).toBeNull();
    expect(byId(el, 'connect-button')).not.toBeNull();
    expect(text(el, 'disconnect-result')).toContain('token was revoked');
  });
});
