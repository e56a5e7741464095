/**
 * Writes a synthetic Slack workspace export (the folder layout Slack produces) from a seed, so the same
 * arguments always give byte-identical files. Used for the demo sample (samples/community-export/) and
 * for the ingest benchmark.
 *
 *   npx tsx scripts/bench/generate-export.ts --out samples/community-export --members 300 --activities 4000 --seed 7 --pretty
 *   npx tsx scripts/bench/generate-export.ts --out .bench/export-1m --members 50000 --activities 1000000
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { privateChannel, publicChannels, type ExportChannel } from './export/channels';
import { prettyJson } from './export/json';
import { channelDay, type Conversation } from './export/messages';
import { seededRandom } from './export/random';
import { speakerPicker } from './export/speakers';
import { generateUsers } from './export/users';

export interface GenerateOptions {
  out: string;
  members: number;
  /** Approximate number of activities (messages, replies, reactions, joins) the export yields. */
  activities: number;
  days: number;
  seed: number;
  /** Prettier-formatted JSON (2-space, short arrays on one line) for files committed to the repository. */
  pretty: boolean;
  teamId: string;
  /** The last day of the export, YYYY-MM-DD. */
  endDate: string;
}

export interface GenerateResult {
  members: number;
  dayFiles: number;
  messages: number;
  activities: number;
  bytes: number;
}

/** Writes one file of the export (pretty or compact JSON); returns its size in bytes. */
type WriteFile = (path: string, value: unknown) => number;

function fileWriter(o: GenerateOptions): WriteFile {
  return (path, value) => {
    const text = o.pretty ? `${prettyJson(value)}\n` : JSON.stringify(value);
    mkdirSync(join(o.out, path, '..'), { recursive: true });
    writeFileSync(join(o.out, path), text);
    return Buffer.byteLength(text);
  };
}

/** The day files: per day and channel a share of the activities (the first channels busier), and a weekly private post. */
function writeDays(
  o: GenerateOptions,
  talk: Conversation,
  channels: ExportChannel[],
  hidden: ExportChannel,
  write: WriteFile,
): Omit<GenerateResult, 'members' | 'messages'> {
  const { rand } = talk.random;
  const end = Date.parse(`${o.endDate}T00:00:00Z`);
  const start = end - (o.days - 1) * 86_400_000;
  const perDay = o.activities / o.days;
  const channelWeights = channels.map((_, i) => 1 / (i + 1));
  const weightSum = channelWeights.reduce((a, b) => a + b, 0);
  const totals = { dayFiles: 0, activities: 0, bytes: 0 };
  const dayOut = (folder: string, date: string, list: unknown[]): void => {
    if (list.length === 0) return;
    totals.bytes += write(`${folder}/${date}.json`, list);
    totals.dayFiles += 1;
  };
  for (let d = 0; d < o.days; d++) {
    const dayStart = start + d * 86_400_000;
    const date = new Date(dayStart).toISOString().slice(0, 10);
    for (let c = 0; c < channels.length; c++) {
      const budget = Math.round(((perDay * channelWeights[c]) / weightSum) * (0.6 + rand() * 0.8));
      const { list, made } = channelDay(talk, d, c, dayStart, budget);
      totals.activities += made;
      dayOut(channels[c].name, date, list);
    }
    if (d % 7 === 0) {
      const ts = `${dayStart / 1000 + 3600}.000100`;
      const userId = hidden.creator as string;
      dayOut(hidden.name, date, [{ type: 'message', user: userId, text: 'Board prep, private', ts, team: o.teamId }]);
    }
  }
  return totals;
}

export function generateExport(o: GenerateOptions): GenerateResult {
  const random = seededRandom(o.seed);
  const write = fileWriter(o);
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  let bytes = 0;

  const users = generateUsers(random, o.members, o.teamId);
  const userIds = users.map((u) => u.id as string);
  bytes += write('users.json', users);
  const channels = publicChannels(o.activities, userIds);
  bytes += write('channels.json', channels);
  const hidden = privateChannel(userIds);
  bytes += write('groups.json', [hidden]);
  bytes += write('mpims.json', []);
  bytes += write('dms.json', []);

  const talk: Conversation = {
    random,
    speaker: speakerPicker(random, userIds, o.members),
    team: o.teamId,
    days: o.days,
    messages: 0,
    longDone: false,
    joined: new Set(),
  };
  const days = writeDays(o, talk, channels, hidden, write);
  return {
    members: o.members,
    dayFiles: days.dayFiles,
    messages: talk.messages,
    activities: days.activities,
    bytes: bytes + days.bytes,
  };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.bench/export' },
      members: { type: 'string', default: '50000' },
      activities: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '42' },
      team: { type: 'string', default: 'T0BENCH01' },
      end: { type: 'string', default: '2026-10-31' },
      pretty: { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  const result = generateExport({
    out: values.out,
    members: Number(values.members),
    activities: Number(values.activities),
    days: Number(values.days),
    seed: Number(values.seed),
    teamId: values.team,
    endDate: values.end,
    pretty: values.pretty,
  });
  process.stdout.write(
    `Wrote ${values.out}: ${result.members} users, ${result.dayFiles} day files, ${result.messages} messages, ~${result.activities} activities, ${(result.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
