import { TightknitError, UsageError } from '../../errors';
import { hasSlackCredentials } from '../../connection/slack-files';
import { catchUpLiveSource, type CatchUpOptions } from '../live-source';
import type { SourceCatchUp } from '../live-source-summary';
import { catchUpBeforePush } from '../run';

jest.mock('../live-source', () => ({ catchUpLiveSource: jest.fn() }));
jest.mock('../../connection/slack-files', () => ({ hasSlackCredentials: jest.fn() }));

const catchUp = catchUpLiveSource as jest.Mock;
const connected = hasSlackCredentials as jest.Mock;
const opts = { stateDir: '/nowhere' } as CatchUpOptions;
const result: SourceCatchUp = {
  source: 'slack',
  workspace: 'Acme',
  eventsApplied: 2,
  ignoredEvents: {},
  read: null,
  readIncomplete: false,
  receiverMissing: false,
  durationMs: 5,
};

describe('catchUpBeforePush (sync and the scheduler)', () => {
  beforeEach(() => {
    catchUp.mockReset();
    connected.mockReturnValue(true);
  });

  it('reads nothing when no Slack workspace is connected', async () => {
    connected.mockReturnValue(false);
    await catchUpBeforePush(opts, {});
    expect(catchUp).not.toHaveBeenCalled();
  });

  it('tells what the catch-up brought in', async () => {
    catchUp.mockResolvedValue(result);
    const told: SourceCatchUp[] = [];
    await catchUpBeforePush(opts, { onSourceCaughtUp: (c) => told.push(c) });
    expect(told).toEqual([result]);
  });

  it('tells a passing failure and lets the push go on: an outage, or a fault of ours', async () => {
    const errors: TightknitError[] = [];
    const hooks = { onSourceError: (e: TightknitError) => errors.push(e) };
    catchUp.mockRejectedValueOnce(new UsageError('SLACK_API_ERROR', 'Slack answered 503.'));
    await catchUpBeforePush(opts, hooks);
    catchUp.mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'ts')"));
    await catchUpBeforePush(opts, hooks);
    expect(errors.map((e) => e.code)).toEqual(['SLACK_API_ERROR', 'UNEXPECTED']);
    expect(errors[1].message).toBe("Reading Slack failed: Cannot read properties of undefined (reading 'ts')");
    expect(errors[1].actions).toHaveLength(1);
  });

  it('throws a refused token (exit 3): every read would fail until the workspace is connected again', async () => {
    const revoked = new TightknitError('SLACK_AUTH_FAILED', 'Slack refused the bot token.', 3);
    catchUp.mockRejectedValue(revoked);
    const onSourceError = jest.fn();
    await expect(catchUpBeforePush(opts, { onSourceError })).rejects.toBe(revoked);
    expect(onSourceError).not.toHaveBeenCalled();
  });
});
