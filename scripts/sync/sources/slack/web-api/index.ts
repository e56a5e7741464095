export { readSlackWorkspace, ACTIVE_DAYS, type SlackReadSummary } from './reader';
export { applySlackEvents } from './events';
export { SlackAuthError, SlackScopeError } from './errors';
export { SLACK_CLIENT_OPTIONS, SlackReadAborted } from './api';
