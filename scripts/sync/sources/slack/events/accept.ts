import type { ParsedEnvelope } from './envelope';
import type { AsyncEventInbox } from '../../../store';

/** What became of one delivery, for counters and logs (no payload content beyond ids and types). */
export type Delivery =
  | { outcome: 'stored'; eventId: string; type: string }
  | { outcome: 'duplicate'; eventId: string; type: string }
  | { outcome: 'unknown-type'; eventId?: string; type: string }
  | { outcome: 'url-verification' }
  | { outcome: 'rate-limited'; minuteRateLimited: number | null }
  | { outcome: 'malformed'; cause: string };

/**
 * Records one verified delivery: subscribed events go to the inbox (committed when this returns),
 * other types are counted and not stored. Throws only when the database does (the caller then
 * answers with an error so Slack retries).
 */
export async function acceptDelivery(
  inbox: AsyncEventInbox,
  parsed: ParsedEnvelope,
  rawBody: string,
): Promise<Delivery> {
  switch (parsed.kind) {
    case 'url_verification':
      return { outcome: 'url-verification' };
    case 'rate_limited':
      return { outcome: 'rate-limited', minuteRateLimited: parsed.minuteRateLimited };
    case 'malformed':
      return { outcome: 'malformed', cause: parsed.cause };
    case 'other':
      await inbox.noteUnknownType(`envelope:${parsed.type}`);
      return { outcome: 'unknown-type', type: parsed.type };
    case 'event': {
      const { envelope } = parsed;
      if (!parsed.known) {
        await inbox.noteUnknownType(envelope.event.type);
        return { outcome: 'unknown-type', eventId: envelope.event_id, type: envelope.event.type };
      }
      const stored = await inbox.add(envelope, rawBody);
      return { outcome: stored ? 'stored' : 'duplicate', eventId: envelope.event_id, type: envelope.event.type };
    }
  }
}

/** Running totals of a receiver, by outcome (plus signature rejections and store errors). */
export interface ReceiverStats {
  stored: number;
  duplicates: number;
  unknownTypes: number;
  urlVerifications: number;
  rateLimited: number;
  malformed: number;
  rejected: number;
  errors: number;
}

export function emptyStats(): ReceiverStats {
  return {
    stored: 0,
    duplicates: 0,
    unknownTypes: 0,
    urlVerifications: 0,
    rateLimited: 0,
    malformed: 0,
    rejected: 0,
    errors: 0,
  };
}

export function countDelivery(stats: ReceiverStats, d: Delivery): void {
  const key: Record<Delivery['outcome'], keyof ReceiverStats> = {
    stored: 'stored',
    duplicate: 'duplicates',
    'unknown-type': 'unknownTypes',
    'url-verification': 'urlVerifications',
    'rate-limited': 'rateLimited',
    malformed: 'malformed',
  };
  stats[key[d.outcome]] += 1;
}
