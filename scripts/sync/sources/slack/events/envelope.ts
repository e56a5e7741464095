import type { InboxEnvelope } from '../../../store';

/** The event types the Slack app subscribes to (README, "Slack app"); anything else is acknowledged and counted. */
const SUBSCRIBED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'message',
  'reaction_added',
  'reaction_removed',
  'member_joined_channel',
  'team_join',
  'user_change',
  'channel_created',
  'channel_rename',
]);

/** What one request body turned out to be. `malformed` carries the cause only, never the body. */
export type ParsedEnvelope =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'event'; envelope: InboxEnvelope; known: boolean }
  | { kind: 'rate_limited'; minuteRateLimited: number | null }
  | { kind: 'other'; type: string }
  | { kind: 'malformed'; cause: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Classifies an already-parsed Events API payload (HTTP body, or a Socket Mode `events_api` payload). */
export function classifyEnvelope(payload: unknown): ParsedEnvelope {
  if (!isObject(payload)) return { kind: 'malformed', cause: 'the body is not a JSON object' };
  const type = payload.type;
  if (typeof type !== 'string') return { kind: 'malformed', cause: 'the body has no "type"' };
  if (type === 'url_verification') {
    return typeof payload.challenge === 'string'
      ? { kind: 'url_verification', challenge: payload.challenge }
      : { kind: 'malformed', cause: 'url_verification without a "challenge"' };
  }
  if (type === 'app_rate_limited') {
    const n = payload.minute_rate_limited;
    return { kind: 'rate_limited', minuteRateLimited: typeof n === 'number' ? n : null };
  }
  if (type !== 'event_callback') return { kind: 'other', type };
  const { event_id: eventId, team_id: teamId, event_time: eventTime, event } = payload;
  if (typeof eventId !== 'string' || eventId === '')
    return { kind: 'malformed', cause: 'event_callback without "event_id"' };
  if (typeof teamId !== 'string') return { kind: 'malformed', cause: `event ${eventId} has no "team_id"` };
  if (typeof eventTime !== 'number')
    return { kind: 'malformed', cause: `event ${eventId} has no numeric "event_time"` };
  if (!isObject(event) || typeof event.type !== 'string') {
    return { kind: 'malformed', cause: `event ${eventId} has no "event.type"` };
  }
  return {
    kind: 'event',
    envelope: { event_id: eventId, team_id: teamId, event_time: eventTime, event: { type: event.type } },
    known: SUBSCRIBED_EVENT_TYPES.has(event.type),
  };
}

/** Parses a raw body; invalid JSON becomes `malformed`. */
export function parseEnvelope(rawBody: string): ParsedEnvelope {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    // The parser's message quotes the body; the cause alone is logged.
    return { kind: 'malformed', cause: 'the body is not valid JSON' };
  }
  return classifyEnvelope(payload);
}
