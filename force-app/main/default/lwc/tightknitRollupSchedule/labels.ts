/** Custom labels of the engagement roll-up control, in one object so the template reads `labels.x`. */
import title from '@salesforce/label/c.Rollup_Title';
import intro from '@salesforce/label/c.Rollup_Intro';
import loading from '@salesforce/label/c.Rollup_Loading';
import loadError from '@salesforce/label/c.Rollup_Load_Error';
import actionError from '@salesforce/label/c.Rollup_Action_Error';
import refresh from '@salesforce/label/c.Rollup_Refresh';
import scheduledAt from '@salesforce/label/c.Rollup_Scheduled_At';
import nextRun from '@salesforce/label/c.Rollup_Next_Run';
import notScheduled from '@salesforce/label/c.Rollup_Not_Scheduled';
import hour from '@salesforce/label/c.Rollup_Hour';
import hourHelp from '@salesforce/label/c.Rollup_Hour_Help';
import schedule from '@salesforce/label/c.Rollup_Schedule';
import updateSchedule from '@salesforce/label/c.Rollup_Update_Schedule';
import cancelSchedule from '@salesforce/label/c.Rollup_Cancel_Schedule';
import runNow from '@salesforce/label/c.Rollup_Run_Now';
import running from '@salesforce/label/c.Rollup_Running';
import lastRun from '@salesforce/label/c.Rollup_Last_Run';
import neverRun from '@salesforce/label/c.Rollup_Never_Run';
import startedAt from '@salesforce/label/c.Rollup_Started_At';
import finishedAt from '@salesforce/label/c.Rollup_Finished_At';
import chunks from '@salesforce/label/c.Rollup_Chunks';
import failedChunks from '@salesforce/label/c.Rollup_Failed_Chunks';
import outcomeRunning from '@salesforce/label/c.Rollup_Outcome_Running';
import outcomeCompleted from '@salesforce/label/c.Rollup_Outcome_Completed';
import outcomeCompletedWithErrors from '@salesforce/label/c.Rollup_Outcome_Completed_With_Errors';
import outcomeFailed from '@salesforce/label/c.Rollup_Outcome_Failed';
import scheduledToast from '@salesforce/label/c.Rollup_Scheduled_Toast';
import cancelledToast from '@salesforce/label/c.Rollup_Cancelled_Toast';
import startedToast from '@salesforce/label/c.Rollup_Started_Toast';

export const labels = {
  title,
  intro,
  loading,
  loadError,
  actionError,
  refresh,
  scheduledAt,
  nextRun,
  notScheduled,
  hour,
  hourHelp,
  schedule,
  updateSchedule,
  cancelSchedule,
  runNow,
  running,
  lastRun,
  neverRun,
  startedAt,
  finishedAt,
  chunks,
  failedChunks,
  outcomeRunning,
  outcomeCompleted,
  outcomeCompletedWithErrors,
  outcomeFailed,
  scheduledToast,
  cancelledToast,
  startedToast,
};
