import { CONFIGURE_LABELS } from './configureLabels';
import { RUN_LABELS } from './runLabels';
import { SETUP_LABELS } from './setupLabels';
import { SOURCE_LABELS } from './sourceLabels';

/**
 * Every string the console shows, in one place (the console's equivalent of custom labels), kept per
 * area in this folder (setupLabels, configureLabels, runLabels, sourceLabels).
 * Templates read them through a component's `labels` field; sentences with values use `fill`.
 */

/** Replaces `{name}` placeholders with the given values. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const ACTIVITY_TYPES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'message_sent', label: 'Message Sent' },
  { value: 'thread_reply', label: 'Thread Reply' },
  { value: 'reaction_added', label: 'Reaction Added' },
  { value: 'post_created', label: 'Post Created' },
  { value: 'comment_created', label: 'Comment Created' },
  { value: 'file_shared', label: 'File Shared' },
  { value: 'channel_joined', label: 'Channel Joined' },
  { value: 'member_joined', label: 'Joined Community' },
  { value: 'event_registered', label: 'Event Registered' },
  { value: 'event_attended', label: 'Event Attended' },
  { value: 'poll_voted', label: 'Poll Voted' },
  { value: 'award_received', label: 'Award Received' },
  { value: 'other', label: 'Other' },
];

export const LABELS = {
  ...SETUP_LABELS,
  ...CONFIGURE_LABELS,
  ...RUN_LABELS,
  ...SOURCE_LABELS,
};
