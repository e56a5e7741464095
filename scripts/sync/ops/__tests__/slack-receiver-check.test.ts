import { EventInbox } from '../../sources/slack-events/inbox';
import { SILENT_AFTER_MS } from '../../sources/slack-events/upkeep';
import { openStore } from '../../store';
import { receiverCheck } from '../slack-check';
import { tempDir } from './fixtures';

describe('the Slack event receiver check', () => {
  it('warns (not blocking) with the fix when no receiver ran, passes while one runs, warns when it died', () => {
    const dir = tempDir();
    const t0 = new Date('2026-12-02T10:00:00Z');
    expect(receiverCheck(dir, 'http', t0)).toMatchObject({
      id: 'slack-receiver',
      status: 'warn',
      blocking: false,
      fix: expect.stringContaining('tightknit-sync listen'),
    });
    const store = openStore({ stateDir: dir });
    try {
      new EventInbox(store.db).receiverStarted('socket-mode', 'Socket Mode', t0);
    } finally {
      store.close();
    }
    expect(receiverCheck(dir, 'socket-mode', t0)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('Receiving (socket-mode) at Socket Mode'),
    });
    const late = new Date(t0.getTime() + SILENT_AFTER_MS + 1000);
    expect(receiverCheck(dir, 'socket-mode', late)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('it probably died'),
    });
  });
});
