export {
  readSlackWorkspace,
  ACTIVE_DAYS,
  DIRECTORY_MAX_AGE_MS,
  type SlackReadOptions,
  type SlackReadSummary,
} from './reader';
export { applySlackEvents, type ApplyOptions, type InboxLike } from './events';
export { SlackAuthError, SlackScopeError, SlackApiError } from './errors';
export { SLACK_CLIENT_OPTIONS, SlackReadAborted } from './api';
export type { ChannelCursor, SlackCursors } from '../../store';
