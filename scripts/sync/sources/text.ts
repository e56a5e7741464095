import type { ActivityType } from '../engagement';

export const SUMMARY_MAX = 255;
export const EXCERPT_MAX = 500;

/** First `max` characters (code points, so an emoji is never cut in half). */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = text.slice(0, max);
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out;
}

/** "#general", or a neutral place name for conversations without a channel name. */
export function placeName(channelName: string | null, kind: 'channel' | 'dm' | 'mpim' = 'channel'): string {
  if (kind === 'dm') return 'a direct message';
  if (kind === 'mpim') return 'a group message';
  return channelName ? `#${channelName}` : 'a channel';
}

/**
 * The short human line of an activity (Summary__c). Built from the type and the place, never from
 * the message body.
 */
export function summaryLine(
  type: ActivityType,
  place: string | null,
  extra: { reaction?: string; eventName?: string; sourceType?: string } = {},
): string {
  const inPlace = place ? ` in ${place}` : '';
  let line: string;
  switch (type) {
    case 'message_sent':
      line = `Posted${inPlace}`;
      break;
    case 'thread_reply':
      line = `Replied in a thread${inPlace}`;
      break;
    case 'reaction_added':
      line = `Reacted${extra.reaction ? ` :${extra.reaction}:` : ''}${inPlace}`;
      break;
    case 'file_shared':
      line = `Shared a file${inPlace}`;
      break;
    case 'channel_joined':
      line = place ? `Joined ${place}` : 'Joined a channel';
      break;
    case 'post_created':
      line = `Created a post${inPlace}`;
      break;
    case 'comment_created':
      line = `Commented on a post${inPlace}`;
      break;
    case 'member_joined':
      line = 'Joined the community';
      break;
    case 'event_registered':
      line = extra.eventName ? `Registered for ${extra.eventName}` : 'Registered for an event';
      break;
    case 'event_attended':
      line = extra.eventName ? `Attended ${extra.eventName}` : 'Attended an event';
      break;
    case 'poll_voted':
      line = `Voted in a poll${inPlace}`;
      break;
    case 'award_received':
      line = 'Received an award';
      break;
    default:
      line = `Activity: ${extra.sourceType ?? 'other'}${inPlace}`;
  }
  return truncateChars(line, SUMMARY_MAX);
}

/** Slack's "1700000000.123456" to epoch milliseconds (microseconds dropped). */
export function slackTsToMs(ts: string): number {
  const dot = ts.indexOf('.');
  const secs = Number(dot < 0 ? ts : ts.slice(0, dot));
  const frac = dot < 0 ? '' : ts.slice(dot + 1);
  return secs * 1000 + Number((frac + '000').slice(0, 3));
}
