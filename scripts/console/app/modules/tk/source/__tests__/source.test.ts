import Source from 'tk/source';
import { checkSlack, connectSlack, disconnectSlack, saveConfig } from 'tk/api';
import type { CheckReportView } from 'tk/contract';
import { apiError, byId, cleanup, click, flush, mount, must, text, typeInto } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({
  connectSlack: jest.fn(),
  disconnectSlack: jest.fn(),
  checkSlack: jest.fn(),
  saveConfig: jest.fn(),
}));

const mocked = (fn: unknown) => fn as jest.Mock;
const BOT = 'xoxb-1111-2222-abcdef';

function input(el: HTMLElement, id: string): HTMLInputElement {
  return must<HTMLInputElement>(el, id);
}

function submit(el: HTMLElement): void {
  el.querySelector('form')!.dispatchEvent(new CustomEvent('submit', { cancelable: true }));
}

describe('tk-source, not connected', () => {
  afterEach(cleanup);

  it('asks for the bot token, signing secret and app-level token in password inputs never autocompleted', async () => {
    const el = mount('tk-source', Source, { source: fx.statusConnected().source, config: fx.config() });
    await flush();
    for (const id of ['slack-bot-token', 'slack-signing-secret', 'slack-app-token']) {
      expect(input(el, id).type).toBe('password');
      expect(input(el, id).getAttribute('autocomplete')).toBe('off');
    }
    expect(input(el, 'slack-bot-token').required).toBe(true);
    expect(text(el, 'source-intro')).toContain('manifest in the README');
    expect(el.textContent).toContain('OAuth & Permissions → Bot User OAuth Token');
    expect(el.textContent).toContain('Basic Information → App Credentials → Signing Secret');
    expect(el.textContent).toContain('App-Level Tokens, scope connections:write');
  });

  it('refuses a user token before sending it', async () => {
    const el = mount('tk-source', Source, { source: null, config: fx.config() });
    await flush();
    typeInto(input(el, 'slack-bot-token'), 'xoxp-user-token');
    typeInto(input(el, 'slack-app-token'), 'xoxb-not-an-app-token');
    submit(el);
    await flush();
    expect(text(el, 'error-botToken')).toContain('starts with xoxb-');
    expect(text(el, 'error-appToken')).toContain('starts with xapp-');
    expect(connectSlack).not.toHaveBeenCalled();
  });

  it('connects, names the workspace, clears the values and asks for a fresh status', async () => {
    mocked(connectSlack).mockResolvedValue({ slack: fx.sourceSlack().slack, scopes: [], kept: ['appToken'] });
    const el = mount('tk-source', Source, { source: null, config: fx.config() });
    const changed = jest.fn();
    el.addEventListener('sourcechange', changed);
    await flush();
    typeInto(input(el, 'slack-bot-token'), `  ${BOT} `);
    typeInto(input(el, 'slack-signing-secret'), 'abc123');
    submit(el);
    await flush();
    expect(connectSlack).toHaveBeenCalledWith({ botToken: BOT, signingSecret: 'abc123' });
    expect(text(el, 'source-notice')).toBe(
      'Connected to Acme Community. Kept from the previous connection: app-level token.',
    );
    expect(byId(el, 'slack-bot-token')).toBeNull();
    expect(text(el, 'source-summary')).toContain('Acme Community (acme-community.slack.com)');
    expect(changed).toHaveBeenCalledTimes(1);
    expect(el.textContent).not.toContain(BOT);
    expect([...el.querySelectorAll('input')].some((i) => i.value.includes(BOT))).toBe(false);
  });

  it('shows a refused token with its fix on the field, and forgets what was typed', async () => {
    mocked(connectSlack).mockRejectedValue(
      apiError(
        502,
        'SLACK_AUTH_FAILED',
        'Slack refused the bot token (auth.test: token_revoked).',
        ['Copy the Bot User OAuth Token again and connect again under Setup → Community source.'],
        [{ field: 'botToken', reason: 'Slack refused the bot token (auth.test: token_revoked).' }],
      ),
    );
    const el = mount('tk-source', Source, { source: null, config: fx.config() });
    await flush();
    typeInto(input(el, 'slack-bot-token'), BOT);
    submit(el);
    await flush();
    expect(text(el, 'slack-connect-error')).toContain('token_revoked');
    expect(text(el, 'slack-connect-error')).toContain('Copy the Bot User OAuth Token again');
    expect(text(el, 'error-botToken')).toContain('token_revoked');
    expect(input(el, 'slack-bot-token').value).toBe('');
  });
});

describe('tk-source, connected', () => {
  afterEach(cleanup);

  it('shows the workspace, its state, and each missing scope with its fix', async () => {
    const report: CheckReportView = {
      ok: false,
      checks: [
        { id: 'slack-token', label: 'Slack bot token', status: 'pass', blocking: true, detail: 'Valid.' },
        {
          id: 'slack-scope:users:read.email',
          label: 'Slack scope users:read.email',
          status: 'fail',
          blocking: true,
          detail: "Missing: the app cannot read members' email addresses.",
          fix: 'Add the bot token scope users:read.email: api.slack.com/apps → your app → OAuth & Permissions.',
        },
      ],
    };
    mocked(checkSlack).mockResolvedValue(report);
    const el = mount('tk-source', Source, {
      source: fx.sourceSlack({ events: 'http', pendingEvents: 3, lagSeconds: 125 }),
      config: fx.config(),
    });
    await flush();
    expect(text(el, 'source-status')).toBe('Slack Acme Community: 3 events waiting, 2 min 5 s behind');
    expect(text(el, 'source-summary')).toContain('app-level token');
    click(el, 'slack-check');
    await flush();
    expect(text(el, 'slack-check-list')).toContain('Slack scope users:read.email');
    const scope = must(el, 'check-slack-scope:users:read.email');
    expect(scope.getAttribute('data-status')).toBe('fail');
    expect(scope.textContent).toContain('Fix: Add the bot token scope users:read.email');
  });

  it('saves how events arrive and the private-channels switch through the configuration', async () => {
    const saved = {
      ...fx.config(),
      slack: { ...fx.config().slack, events: 'socket-mode' as const, includePrivate: true },
    };
    mocked(saveConfig).mockResolvedValue(saved);
    const el = mount('tk-source', Source, { source: fx.sourceSlack(), config: fx.config() });
    await flush();
    expect(input(el, 'slack-events-off').checked).toBe(true);
    expect(el.textContent).toContain('Polling: each run (every 5 minutes)');
    expect(must<HTMLButtonElement>(el, 'slack-save').disabled).toBe(true);

    // HTTP without a stored signing secret says what is missing.
    click(el, 'slack-events-http');
    await flush();
    expect(text(el, 'slack-events-help')).toContain('No signing secret is stored');

    click(el, 'slack-events-socket-mode');
    click(el, 'slack-include-private');
    await flush();
    expect(text(el, 'slack-events-help')).toContain('opens the connection while it runs');
    click(el, 'slack-save');
    await flush();
    expect(saveConfig).toHaveBeenCalledWith({ slack: { events: 'socket-mode', includePrivate: true } });
    expect(byId(el, 'slack-saved')).not.toBeNull();
    expect(input(el, 'slack-include-private').checked).toBe(true);
  });

  it('disconnects after confirmation', async () => {
    mocked(disconnectSlack).mockResolvedValue({ disconnected: true, teamId: 'T0EMULATE1', teamName: 'Acme Community' });
    const el = mount('tk-source', Source, { source: fx.sourceSlack(), config: fx.config() });
    const changed = jest.fn();
    el.addEventListener('sourcechange', changed);
    await flush();
    click(el, 'slack-disconnect');
    await flush();
    expect(byId(el, 'slack-disconnect-dialog')).not.toBeNull();
    click(el, 'slack-disconnect-confirm');
    await flush();
    expect(disconnectSlack).toHaveBeenCalled();
    expect(text(el, 'source-notice')).toBe('Disconnected from Acme Community.');
    expect(byId(el, 'slack-bot-token')).not.toBeNull();
    expect(changed.mock.calls[0][0].detail).toBeNull();
  });

  it('keeps the workspace and shows why when the disconnect fails', async () => {
    mocked(disconnectSlack).mockRejectedValue(apiError(409, 'SYNC_RUNNING', 'A sync is running.'));
    const el = mount('tk-source', Source, { source: fx.sourceSlack(), config: fx.config() });
    const changed = jest.fn();
    el.addEventListener('sourcechange', changed);
    await flush();
    click(el, 'slack-disconnect');
    await flush();
    click(el, 'slack-disconnect-confirm');
    await flush();
    expect(must(el, 'slack-disconnect-dialog').contains(must(el, 'slack-disconnect-error'))).toBe(true);
    expect(text(el, 'slack-disconnect-error')).toContain('A sync is running.');
    expect(byId(el, 'source-summary')).not.toBeNull();
    expect(changed).not.toHaveBeenCalled();
  });
});
