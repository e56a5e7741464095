import { SILENT_AFTER_MS } from '../../sources/slack/events/receivers';
import { openAsyncStore } from '../../store';
import { receiverCheck } from '../slack-check';
import { tempDir } from './fixtures';

describe('the Slack event receiver check', () => {
  it('warns (not blocking) with the fix when no receiver ran, passes while one runs, warns when it died', async () => {
    const dir = tempDir();
    const t0 = new Date('2026-12-02T10:00:00Z');
    expect(await receiverCheck(dir, 'http', t0)).toMatchObject({
      id: 'slack-receiver',
      status: 'warn',
      blocking: false,
      fix: expect.stringContaining('listen --port PORT'),
    });
    const store = openAsyncStore({ stateDir: dir });
    try {
      await store.receivers.started('socket-mode', 'Socket Mode', t0);
    } finally {
      await store.close();
    }
    expect(await receiverCheck(dir, 'socket-mode', t0)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('Receiving (socket-mode) at Socket Mode'),
    });
    const late = new Date(t0.getTime() + SILENT_AFTER_MS + 1000);
    expect(await receiverCheck(dir, 'socket-mode', late)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('it probably died'),
      fix: expect.stringContaining('start --socket-mode'),
    });
    // Slack sends events to one mode only: a Socket Mode receiver does nothing for an HTTP configuration.
    expect(await receiverCheck(dir, 'http', t0)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('A socket-mode receiver runs (Socket Mode'),
    });
  });
});
