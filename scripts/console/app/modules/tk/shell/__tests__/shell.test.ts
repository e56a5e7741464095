import { currentStep, headerView, isOlder, stepStates, tabAfterKey, tabViews } from 'tk/shell';
import * as fx from '../../../../__tests__/fixtures';

describe('shell', () => {
  it('tells a status built before the one shown (same server) from a newer or equal one', () => {
    const shown = fx.statusWaiting();
    shown.revision.seq = 5;
    const at = (seq: number, server = shown.revision.server) => ({ ...shown, revision: { server, seq } });
    expect(isOlder(at(4), shown)).toBe(true);
    expect(isOlder(at(5), shown)).toBe(false);
    expect(isOlder(at(6), shown)).toBe(false);
    expect(isOlder(at(1, 'restarted'), shown)).toBe(false);
    expect(isOlder(at(1), null)).toBe(false);
  });

  it('derives the current step from the status', () => {
    expect(currentStep(fx.statusDisconnected())).toBe('connect');
    expect(currentStep(fx.statusConnected())).toBe('configure');
    expect(currentStep(fx.statusRunning())).toBe('backfill');
    expect(currentStep(fx.statusWaiting())).toBe('backfill');
    // Backfilled but stopped still counts as started.
    const stopped = fx.statusWaiting();
    stopped.scheduler.state = 'stopped';
    expect(currentStep(stopped)).toBe('backfill');
  });

  it('completes every step once the backfill is done; the community source is optional', () => {
    expect(stepStates(fx.statusRunning())).toEqual({
      connect: 'complete',
      source: 'upcoming',
      configure: 'complete',
      backfill: 'current',
    });
    expect(stepStates({ ...fx.statusWaiting(), source: fx.sourceSlack() })).toEqual({
      connect: 'complete',
      source: 'complete',
      configure: 'complete',
      backfill: 'complete',
    });
    expect(stepStates(fx.statusDisconnected())).toEqual({
      connect: 'current',
      source: 'upcoming',
      configure: 'upcoming',
      backfill: 'upcoming',
    });
    // A Slack workspace without an org: the org is still the step to take.
    expect(currentStep({ ...fx.statusDisconnected(), source: fx.sourceSlack() })).toBe('connect');
  });

  it('writes the header line', () => {
    expect(headerView(fx.statusDisconnected()).orgText).toBe('Not connected to Salesforce');
    const noUser = fx.statusConnected();
    delete noUser.connection!.username;
    expect(headerView(noUser).orgText).toBe('Connected to https://acme.my.salesforce.com');
    expect(headerView(fx.statusPaused())).toMatchObject({ badgeText: 'Schedule: Paused', badgeIcon: 'pause' });
  });

  it('selects the tab of the route', () => {
    expect(tabViews({ page: 'run', runId: 3 }).map((t) => t.ariaSelected)).toEqual(['false', 'true']);
    expect(tabViews({ page: 'setup' })[0].tabIndex).toBe('0');
  });

  it('moves with arrow keys, wrapping, and jumps with Home and End', () => {
    expect(tabAfterKey('ArrowRight', 1, 2)).toBe(0);
    expect(tabAfterKey('ArrowLeft', 0, 2)).toBe(1);
    expect(tabAfterKey('End', 0, 2)).toBe(1);
    expect(tabAfterKey('Home', 1, 2)).toBe(0);
    expect(tabAfterKey('Enter', 0, 2)).toBeNull();
  });
});
