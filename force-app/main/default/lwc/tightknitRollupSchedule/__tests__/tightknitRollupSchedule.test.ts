import TightknitRollupSchedule from 'c/tightknitRollupSchedule';
import getStatus from '@salesforce/apex/TightknitRollupController.getStatus';
import scheduleNightly from '@salesforce/apex/TightknitRollupController.scheduleNightly';
import cancelSchedule from '@salesforce/apex/TightknitRollupController.cancelSchedule';
import runNow from '@salesforce/apex/TightknitRollupController.runNow';
import {
  accessibilityProblems,
  cleanupDom,
  flushPromises,
  mount,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import { POLL_INTERVAL_MS, formatHour, hourOptions, outcomeOf, selectedHour } from '../rollupScheduleModel';

jest.mock('@salesforce/apex/TightknitRollupController.getStatus', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/TightknitRollupController.scheduleNightly', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitRollupController.cancelSchedule', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TightknitRollupController.runNow', () => ({ default: jest.fn() }), { virtual: true });

const NOT_SCHEDULED = require('./data/statusNotScheduled.json');
const SCHEDULED = require('./data/statusScheduled.json');
const RUNNING = require('./data/statusRunning.json');
const FAILED_CHUNKS = require('./data/statusFailedChunks.json');

const mocked = (fn: unknown) => fn as jest.Mock;
const NOT_ADMIN = {
  body: { message: 'Only Tightknit admins can run the Tightknit Setup app.' },
  status: 500,
};

type Button = HTMLElement & { disabled: boolean; label: string };

async function render(): Promise<ShadowRoot> {
  const element = await mount('c-tightknit-rollup-schedule', TightknitRollupSchedule);
  await flushPromises();
  return element.shadowRoot as ShadowRoot;
}

function byId(root: ShadowRoot, id: string): HTMLElement | null {
  return root.querySelector(`[data-id="${id}"]`);
}

function text(root: ShadowRoot, id: string): string {
  return byId(root, id)?.textContent?.trim() ?? '';
}

async function click(root: ShadowRoot, id: string): Promise<void> {
  (byId(root, id) as HTMLElement).click();
  await flushPromises();
}

describe('c-tightknit-rollup-schedule', () => {
  afterEach(cleanupDom);

  it('shows a spinner while the status loads', async () => {
    mocked(getStatus).mockReturnValue(new Promise(() => undefined));
    const element = await mount('c-tightknit-rollup-schedule', TightknitRollupSchedule);
    const root = element.shadowRoot as ShadowRoot;

    expect(byId(root, 'loading')).not.toBeNull();
    expect(byId(root, 'schedule-state')).toBeNull();
  });

  it('says when nothing is scheduled and the roll-up never ran', async () => {
    mocked(getStatus).mockResolvedValue(NOT_SCHEDULED);
    const root = await render();

    expect(text(root, 'schedule-state')).toBe('c.Rollup_Not_Scheduled');
    expect(text(root, 'never-run')).toBe('c.Rollup_Never_Run');
    expect((byId(root, 'schedule-button') as Button).label).toBe('c.Rollup_Schedule');
    expect(byId(root, 'cancel-button')).toBeNull();
    expect((byId(root, 'hour') as HTMLElement & { value: string }).value).toBe('2');
    expect((byId(root, 'run-now-button') as Button).disabled).toBe(false);
    expect(accessibilityProblems(root.host as Element)).toEqual([]);
  });

  it('shows the schedule, the next run and a completed last run', async () => {
    mocked(getStatus).mockResolvedValue(SCHEDULED);
    const root = await render();

    expect(text(root, 'schedule-state')).toBe('c.Rollup_Scheduled_At');
    expect(byId(root, 'next-run')).not.toBeNull();
    expect((byId(root, 'hour') as HTMLElement & { value: string }).value).toBe('3');
    expect((byId(root, 'schedule-button') as Button).label).toBe('c.Rollup_Update_Schedule');
    expect(byId(root, 'cancel-button')).not.toBeNull();
    const outcome = byId(root, 'last-run-outcome') as HTMLElement;
    expect(outcome.textContent?.trim()).toBe('c.Rollup_Outcome_Completed');
    expect(outcome.className).toContain('slds-theme_success');
    expect(byId(root, 'last-run-finished')).not.toBeNull();
    expect(byId(root, 'last-run-failures')).toBeNull();
    expect(accessibilityProblems(root.host as Element)).toEqual([]);
  });

  it('shows a running roll-up and disables Run now', async () => {
    mocked(getStatus).mockResolvedValue(RUNNING);
    const root = await render();

    expect(byId(root, 'running')).not.toBeNull();
    expect(text(root, 'last-run-outcome')).toBe('c.Rollup_Outcome_Running');
    expect(byId(root, 'last-run-finished')).toBeNull();
    expect((byId(root, 'run-now-button') as Button).disabled).toBe(true);
  });

  it('follows a running roll-up until it finishes, then stops polling', async () => {
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      mocked(getStatus).mockResolvedValueOnce(RUNNING).mockResolvedValueOnce(RUNNING).mockResolvedValue(SCHEDULED);
      const root = await render();
      expect(byId(root, 'running')).not.toBeNull();

      jest.advanceTimersByTime(POLL_INTERVAL_MS);
      await flushPromises();
      expect(mocked(getStatus)).toHaveBeenCalledTimes(2);
      expect(byId(root, 'running')).not.toBeNull();

      jest.advanceTimersByTime(POLL_INTERVAL_MS);
      await flushPromises();
      expect(mocked(getStatus)).toHaveBeenCalledTimes(3);
      expect(byId(root, 'running')).toBeNull();
      expect(text(root, 'last-run-outcome')).toBe('c.Rollup_Outcome_Completed');

      jest.advanceTimersByTime(POLL_INTERVAL_MS * 3);
      await flushPromises();
      expect(mocked(getStatus)).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops polling when the card is removed', async () => {
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      mocked(getStatus).mockResolvedValue(RUNNING);
      await render();
      cleanupDom();

      jest.advanceTimersByTime(POLL_INTERVAL_MS * 2);
      await flushPromises();
      expect(mocked(getStatus)).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows failed chunks with the platform message', async () => {
    mocked(getStatus).mockResolvedValue(FAILED_CHUNKS);
    const root = await render();

    const outcome = byId(root, 'last-run-outcome') as HTMLElement;
    expect(outcome.textContent?.trim()).toBe('c.Rollup_Outcome_Completed_With_Errors');
    expect(outcome.className).toContain('slds-theme_warning');
    expect(byId(root, 'last-run-failures')).not.toBeNull();
  });

  it('shows the error panel when the status cannot be loaded', async () => {
    mocked(getStatus).mockRejectedValue(NOT_ADMIN);
    const root = await render();

    const panel = byId(root, 'load-error') as HTMLElement & { friendlyMessage: string; errors: unknown };
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('c.Rollup_Load_Error');
    expect(panel.errors).toEqual(NOT_ADMIN);
    expect(byId(root, 'schedule-button')).toBeNull();
    expect(accessibilityProblems(root.host as Element)).toEqual([]);
  });

  it('Run now starts the roll-up and shows it running', async () => {
    mocked(getStatus).mockResolvedValue(SCHEDULED);
    mocked(runNow).mockResolvedValue(RUNNING);
    const root = await render();
    const toasts: string[] = [];
    root.host.addEventListener('lightning__showtoast', (event) => {
      toasts.push((event as CustomEvent<{ title: string }>).detail.title);
    });

    await click(root, 'run-now-button');

    expect(mocked(runNow)).toHaveBeenCalledTimes(1);
    expect(byId(root, 'running')).not.toBeNull();
    expect((byId(root, 'run-now-button') as Button).disabled).toBe(true);
    expect(toasts).toEqual(['c.Rollup_Started_Toast']);
  });

  it('Run now shows why it was refused', async () => {
    mocked(getStatus).mockResolvedValue(NOT_SCHEDULED);
    mocked(runNow).mockRejectedValue({ body: { message: 'The engagement roll-up is already running.' } });
    const root = await render();

    await click(root, 'run-now-button');

    const panel = byId(root, 'action-error') as HTMLElement & { friendlyMessage: string };
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('c.Rollup_Action_Error');
    expect(text(root, 'schedule-state')).toBe('c.Rollup_Not_Scheduled');
  });

  it('schedules at the chosen hour', async () => {
    mocked(getStatus).mockResolvedValue(NOT_SCHEDULED);
    mocked(scheduleNightly).mockResolvedValue({ ...SCHEDULED, hour: 5 });
    const root = await render();

    byId(root, 'hour')?.dispatchEvent(new CustomEvent('change', { detail: { value: '5' } }));
    await click(root, 'schedule-button');

    expect(mocked(scheduleNightly)).toHaveBeenCalledWith({ hour: 5 });
    expect(text(root, 'schedule-state')).toBe('c.Rollup_Scheduled_At');
    expect((byId(root, 'hour') as HTMLElement & { value: string }).value).toBe('5');
  });

  it('cancels the schedule', async () => {
    mocked(getStatus).mockResolvedValue(SCHEDULED);
    mocked(cancelSchedule).mockResolvedValue({ ...SCHEDULED, scheduled: false, hour: undefined });
    const root = await render();

    await click(root, 'cancel-button');

    expect(mocked(cancelSchedule)).toHaveBeenCalledTimes(1);
    expect(text(root, 'schedule-state')).toBe('c.Rollup_Not_Scheduled');
    expect(byId(root, 'cancel-button')).toBeNull();
  });

  it('Refresh reads the status again', async () => {
    mocked(getStatus).mockResolvedValueOnce(RUNNING).mockResolvedValueOnce(SCHEDULED);
    const root = await render();

    await click(root, 'refresh-button');

    expect(mocked(getStatus)).toHaveBeenCalledTimes(2);
    expect(byId(root, 'running')).toBeNull();
    expect(text(root, 'last-run-outcome')).toBe('c.Rollup_Outcome_Completed');
  });
});

describe('rollupScheduleModel', () => {
  it('offers every hour of the day', () => {
    const options = hourOptions();
    expect(options).toHaveLength(24);
    expect(options[0]).toEqual({ label: '00:00', value: '0' });
    expect(options[23]).toEqual({ label: '23:00', value: '23' });
    expect(formatHour(7)).toBe('07:00');
  });

  it('reads job statuses as outcomes', () => {
    expect(outcomeOf({ status: 'Queued' })).toBe('running');
    expect(outcomeOf({ status: 'Completed', errors: 0 })).toBe('completed');
    expect(outcomeOf({ status: 'Completed', errors: 1 })).toBe('completedWithErrors');
    expect(outcomeOf({ status: 'Aborted' })).toBe('failed');
  });

  it('preselects the scheduled hour, else 2', () => {
    expect(selectedHour(SCHEDULED)).toBe(3);
    expect(selectedHour(NOT_SCHEDULED)).toBe(2);
    expect(selectedHour(undefined)).toBe(2);
  });
});
