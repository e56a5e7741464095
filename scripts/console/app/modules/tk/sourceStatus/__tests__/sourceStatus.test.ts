import SourceStatus from 'tk/sourceStatus';
import { sourceLine } from '../sourceStatusModel';
import { byId, cleanup, flush, mount, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

describe('sourceLine', () => {
  it('says nothing is connected', () => {
    expect(sourceLine(null)).toMatchObject({ tone: 'none', text: 'No community source connected' });
    expect(sourceLine(fx.statusConnected().source).tone).toBe('none');
  });

  it('says up to date, or when a poll last read the workspace', () => {
    expect(sourceLine(fx.sourceSlack())).toMatchObject({ tone: 'success', text: 'Slack Acme Community: up to date' });
    expect(sourceLine(fx.sourceSlack({ lagSeconds: 45 })).text).toBe('Slack Acme Community: up to date');
    expect(sourceLine(fx.sourceSlack({ lagSeconds: 250 })).text).toBe('Slack Acme Community: last read 4 min 10 s ago');
    // With events, no event waiting means nothing is behind.
    expect(sourceLine(fx.sourceSlack({ events: 'socket-mode', lagSeconds: 0 })).text).toBe(
      'Slack Acme Community: up to date',
    );
  });

  it('counts the events waiting and how far behind the store is', () => {
    expect(sourceLine(fx.sourceSlack({ events: 'http', pendingEvents: 1250, lagSeconds: 420 }))).toMatchObject({
      tone: 'warning',
      text: 'Slack Acme Community: 1,250 events waiting, 7 min behind',
    });
    expect(sourceLine(fx.sourceSlack({ pendingEvents: 1, lagSeconds: 30 })).text).toBe(
      'Slack Acme Community: 1 event waiting, 30 s behind',
    );
  });

  it('says when events are on but no receiver runs (each run polls), with the fix', () => {
    const none = sourceLine(
      fx.sourceSlack({
        events: 'http',
        lagSeconds: 130,
        receiver: { state: 'none', mode: null, address: null, seenAt: null },
      }),
    );
    expect(none).toMatchObject({
      tone: 'warning',
      text: 'Slack Acme Community: no event receiver is running; each run reads the Web API (last 2 min 10 s ago)',
    });
    expect(none.fix).toContain('tightknit-sync listen --port PORT');
    const silent = sourceLine(
      fx.sourceSlack({
        events: 'http',
        lagSeconds: 30,
        receiver: {
          state: 'silent',
          mode: 'http',
          address: 'http://0.0.0.0:3000/slack/events',
          seenAt: '2026-03-04T15:00:00.000Z',
        },
      }),
    );
    expect(silent.tone).toBe('warning');
    const socket = fx.sourceSlack({
      events: 'socket-mode',
      receiver: { state: 'stopped', mode: 'socket-mode', address: 'Socket Mode', seenAt: '2026-03-04T15:00:00.000Z' },
    });
    expect(sourceLine(socket).fix).toContain('tightknit-sync start --socket-mode');
    expect(silent.text).toMatch(
      /^Slack Acme Community: the event receiver \(http:\/\/0\.0\.0\.0:3000\/slack\/events\) has not answered since .+; each run reads the Web API \(last 30 s ago\)$/,
    );
    // Polling on purpose: no receiver is expected.
    const off = fx.sourceSlack({ receiver: { state: 'none', mode: null, address: null, seenAt: null } });
    expect(sourceLine(off).text).toBe('Slack Acme Community: up to date');
  });

  it('says the first import is in progress', () => {
    expect(sourceLine(fx.sourceSlack({ firstImportDone: false, lagSeconds: null }))).toMatchObject({
      tone: 'info',
      text: 'Slack Acme Community: first import in progress',
    });
  });

  it('puts the last error first, with its fix', () => {
    const line = sourceLine(
      fx.sourceSlack({
        pendingEvents: 3,
        lastError: {
          at: '2026-03-04T15:00:00.000Z',
          code: 'SLACK_AUTH_FAILED',
          message: 'Slack refused the bot token (auth.test: token_revoked).',
          actions: ['Copy the Bot User OAuth Token again.', 'Connect again under Setup → Community source.'],
        },
      }),
    );
    expect(line).toMatchObject({
      tone: 'error',
      text: 'Slack Acme Community: Slack refused the bot token (auth.test: token_revoked).',
      fix: 'Copy the Bot User OAuth Token again. Connect again under Setup → Community source.',
      icon: 'error',
    });
  });
});

describe('tk-source-status', () => {
  afterEach(cleanup);

  it('renders the line and the fix, and nothing when no source is connected', async () => {
    const el = mount<HTMLElement & { source: unknown }>('tk-source-status', SourceStatus, {
      source: fx.statusConnected().source,
    });
    await flush();
    expect(byId(el, 'source-status')).toBeNull();

    el.source = fx.sourceSlack({
      lastError: {
        at: '2026-03-04T15:00:00.000Z',
        code: 'SLACK_API_ERROR',
        message: 'ratelimited',
        actions: ['Wait.'],
      },
    });
    await flush();
    expect(text(el, 'source-status')).toBe('Slack Acme Community: ratelimited');
    expect(text(el, 'source-status-fix')).toBe('Wait.');
    expect(el.querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('error');
  });
});
