import { pad } from './random';
import { CHANNELS } from './vocabulary';

/** One channel of channels.json or groups.json. */
export interface ExportChannel {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** channels.json: more channels for a larger export, the first one #general. */
export function publicChannels(activities: number, userIds: string[]): ExportChannel[] {
  const channelCount = Math.max(3, Math.min(CHANNELS.length, Math.round(Math.sqrt(activities) / 12)));
  return CHANNELS.slice(0, channelCount).map((name, i) => ({
    id: `C${pad(i + 1, 8)}`,
    name,
    created: 1700000000,
    creator: userIds[0],
    is_archived: false,
    is_general: i === 0,
    members: userIds.slice(0, Math.min(5, userIds.length)),
    topic: { value: `All about ${name}`, creator: userIds[0], last_set: 1700000000 },
    purpose: { value: `Talk about ${name}, ask questions, share wins`, creator: userIds[0], last_set: 1700000000 },
  }));
}

/** groups.json's one private channel (the sync must not read it). */
export function privateChannel(userIds: string[]): ExportChannel {
  return {
    id: 'G00000001',
    name: 'leadership-private',
    created: 1700000000,
    creator: userIds[0],
    is_archived: false,
    members: userIds.slice(0, 3),
  };
}
