/**
 * Plain logic of the roll-up control: the controller's DTO types, the hour choices and how a batch
 * job's status reads. No DOM, so it is tested directly.
 */

/** AsyncApexJob.Status values. */
type JobStatus = 'Holding' | 'Queued' | 'Preparing' | 'Processing' | 'Completed' | 'Failed' | 'Aborted';

/** TightknitRollupController.LastRun */
export interface LastRun {
  status: JobStatus;
  submittedAt?: string;
  completedAt?: string;
  processed?: number;
  total?: number;
  errors?: number;
  message?: string;
}

/** TightknitRollupController.Status */
export interface RollupStatus {
  scheduled: boolean;
  hour?: number;
  nextRunAt?: string;
  running: boolean;
  lastRun?: LastRun;
}

/** How the last run reads: which label, which badge colour. */
export type RunOutcome = 'running' | 'completed' | 'completedWithErrors' | 'failed';

export interface HourOption {
  label: string;
  value: string;
}

/** While a run is in progress the card re-reads the status this often, so progress shows without Refresh. */
export const POLL_INTERVAL_MS = 10000;

/** The hour picked when nothing is scheduled yet: the middle of the night in most time zones. */
const DEFAULT_HOUR = 2;

const RUNNING: JobStatus[] = ['Holding', 'Queued', 'Preparing', 'Processing'];

/** "00:00" to "23:00", the values being the hour as a string (what lightning-combobox carries). */
export function hourOptions(): HourOption[] {
  return Array.from({ length: 24 }, (_unused, hour) => ({ label: formatHour(hour), value: String(hour) }));
}

export function formatHour(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** What a job status means for the person reading the panel. */
export function outcomeOf(run: LastRun): RunOutcome {
  if (RUNNING.includes(run.status)) {
    return 'running';
  }
  if (run.status === 'Completed') {
    return (run.errors ?? 0) > 0 ? 'completedWithErrors' : 'completed';
  }
  return 'failed';
}

const BADGE_CLASSES: Record<RunOutcome, string> = {
  running: 'slds-badge',
  completed: 'slds-badge slds-theme_success',
  completedWithErrors: 'slds-badge slds-theme_warning',
  failed: 'slds-badge slds-theme_error',
};

export function badgeClassOf(outcome: RunOutcome): string {
  return BADGE_CLASSES[outcome];
}

/** The hour to preselect: the scheduled one, else the default. */
export function selectedHour(status?: RollupStatus): number {
  return status?.scheduled && typeof status.hour === 'number' ? status.hour : DEFAULT_HOUR;
}
