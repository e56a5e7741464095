import { createHash } from 'node:crypto';
import { UsageError } from '../../../errors';
import type { ExportFiles } from '../../export-files';
import { JsonArrayError, streamJsonArray } from '../../json-array-stream';
import { invalidInput, type SourceContext } from '../../report';
import { processMessages, type Author, type Conversation, type MessageContext } from './messages';
import { memberId, placeholderMember, readSlackUser, text, toMember, type SlackUser } from './users';

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

/**
 * Bump when the mapping from Slack JSON to activities changes: day files fingerprinted under an older
 * mapping are then read again instead of being skipped as unchanged.
 */
const MAPPING_VERSION = '1';

/** The conversation lists of an export, which folder each conversation's day files live in, and whether it is private. */
const CONVERSATION_FILES: Array<{ file: string; kind: Conversation['kind']; folderBy: 'name' | 'id' }> = [
  { file: 'channels.json', kind: 'public', folderBy: 'name' },
  { file: 'groups.json', kind: 'private', folderBy: 'name' },
  { file: 'mpims.json', kind: 'mpim', folderBy: 'name' },
  { file: 'dms.json', kind: 'dm', folderBy: 'id' },
];

function notAnExport(files: ExportFiles): UsageError {
  return new UsageError(
    'NOT_A_SLACK_EXPORT',
    `${files.label} is not a Slack workspace export: it has no users.json, org_users.json or channels.json.`,
    {
      actions: [
        'Pass the .zip Slack produced (Workspace settings → Import/Export Data → Export) or the folder it unpacks to.',
        'For an NDJSON event feed, pass the .ndjson file itself.',
      ],
    },
  );
}

function usersFile(files: ExportFiles): string {
  const file = files.has('users.json') ? 'users.json' : files.has('org_users.json') ? 'org_users.json' : null;
  if (file) return file;
  if (!files.has('channels.json')) throw notAnExport(files);
  throw new UsageError('MISSING_USERS_JSON', `${files.label} has no users.json (nor org_users.json).`, {
    actions: [
      'Export the workspace again: Slack always writes users.json at the top of the export. Do not remove it when trimming an export.',
    ],
  });
}

/**
 * Streams the users file, one user at a time (it can hold tens of thousands of users): read twice,
 * first for the team id and the file's hash, then to write the members, so no user list is held.
 */
async function readUsers(
  files: ExportFiles,
  file: string,
  onUser: (user: SlackUser | null, index: number) => void | Promise<void>,
  onChunk?: (chunk: Buffer) => void,
): Promise<void> {
  try {
    await streamJsonArray(await files.stream(file), (raw, i) => onUser(readSlackUser(raw), i), onChunk);
  } catch (err) {
    if (!(err instanceof JsonArrayError)) throw err;
    throw new UsageError('INVALID_USERS_JSON', `${files.label}: ${file} is not valid: ${err.message}.`, {
      actions: [
        `Export the workspace again, or repair ${file} (it must be a JSON array of user objects).`,
        `--skip-invalid cannot skip it: without ${file} no message can be attributed. Nothing was imported.`,
      ],
      cause: err,
    });
  }
}

/** The most common team id among users; else the `team` of the first messages. */
async function findTeamId(files: ExportFiles, counts: Map<string, number>, dayFiles: string[]): Promise<string | null> {
  let best: string | null = null;
  for (const [team, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = team;
  if (best) return best;
  for (const path of dayFiles.slice(0, 20)) {
    try {
      const messages = JSON.parse(await files.readText(path)) as unknown;
      if (!Array.isArray(messages)) continue;
      for (const m of messages as Array<Record<string, unknown>>) {
        const team = m && typeof m === 'object' ? (text(m.team) ?? text(m.user_team)) : null;
        if (team) return team;
      }
    } catch {
      // a broken day file is reported when it is read for real
    }
  }
  return null;
}

async function readConversations(files: ExportFiles, ctx: SourceContext): Promise<Conversation[]> {
  const conversations: Conversation[] = [];
  for (const spec of CONVERSATION_FILES) {
    if (!files.has(spec.file)) continue;
    let list: unknown;
    try {
      list = JSON.parse(await files.readText(spec.file));
    } catch (err) {
      invalidInput(
        ctx,
        { file: spec.file },
        `not valid JSON: ${(err as Error).message}`,
        `Export the workspace again or repair ${spec.file}.`,
      );
      continue;
    }
    if (!Array.isArray(list)) {
      invalidInput(ctx, { file: spec.file }, 'not a JSON array', `Export the workspace again or repair ${spec.file}.`);
      continue;
    }
    ctx.report.filesRead += 1;
    for (const raw of list as unknown[]) {
      const c = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
      const id = text(c.id);
      const name = text(c.name);
      const folder = spec.folderBy === 'id' ? id : name;
      if (!id || !folder) continue;
      conversations.push({ id, name: spec.kind === 'dm' ? null : name, folder, kind: spec.kind });
    }
  }
  return conversations;
}

/** The export's day files (`<folder>/YYYY-MM-DD.json`) by conversation folder. */
function dayFilesOf(files: ExportFiles): Map<string, string[]> {
  const dayFilesByFolder = new Map<string, string[]>();
  for (const path of files.list()) {
    const slash = path.indexOf('/');
    if (slash < 0 || !DAY_FILE.test(path.slice(slash + 1))) continue;
    const folder = path.slice(0, slash);
    const list = dayFilesByFolder.get(folder) ?? [];
    list.push(path);
    dayFilesByFolder.set(folder, list);
  }
  return dayFilesByFolder;
}

/** Folders of day files that no conversation list names are skipped, and reported with their day count. */
function noteUnlistedFolders(
  report: SourceContext['report'],
  conversations: Conversation[],
  dayFilesByFolder: Map<string, string[]>,
): void {
  const known = new Set(conversations.map((c) => c.folder));
  for (const folder of [...dayFilesByFolder.keys()].sort()) {
    if (!known.has(folder)) {
      report.skipped.push({
        file: `${folder}/`,
        reason: 'folder is not listed in channels.json, groups.json, mpims.json or dms.json',
        dayFiles: dayFilesByFolder.get(folder)!.length,
      });
    }
  }
}

/** Writes the workspace as its community, keeping what an earlier import or the operator set. */
async function putWorkspace(
  ctx: SourceContext,
  files: ExportFiles,
  teamId: string,
): Promise<{ communityId: string; domain: string | null }> {
  const { writer } = ctx;
  const communityId = `slack:${teamId}`;
  const existing = (await writer.getCommunity(communityId))?.row;
  const domain = ctx.workspace.domain ?? existing?.slackDomain ?? null;
  await writer.putCommunity({
    tightknitId: communityId,
    name: ctx.workspace.name ?? existing?.name ?? files.name,
    platform: 'Slack',
    slackTeamId: teamId,
    slackDomain: domain,
    slackUrl: domain ? `https://${domain}.slack.com` : (existing?.slackUrl ?? null),
    logoUrl: existing?.logoUrl ?? null,
    studioUrl: existing?.studioUrl ?? null,
    description: existing?.description ?? null,
  });
  return { communityId, domain };
}

/** What message processing needs: the community, and authors by Slack user or bot id (a placeholder member for an unknown one). */
function messageContext(
  ctx: SourceContext,
  teamId: string,
  communityId: string,
  domain: string | null,
  authors: Map<string, Author>,
  bots: Map<string, Author>,
): MessageContext {
  const { writer, report } = ctx;
  const placeholder = async (key: string, isBot: boolean, name?: string): Promise<Author> => {
    const author = { id: memberId(teamId, key), deleted: false };
    await writer.ensureMember(placeholderMember(teamId, communityId, key, isBot, name));
    return author;
  };
  return {
    teamId,
    communityId,
    domain,
    writer,
    report,
    resolveUser: async (userId) => {
      let a = authors.get(userId);
      if (!a) {
        a = await placeholder(userId, false);
        authors.set(userId, a);
      }
      return a;
    },
    knownUser: (userId) => authors.get(userId),
    knownBot: (botId) => bots.get(botId),
    resolveBot: async (botId, name) => {
      let a = bots.get(botId);
      if (!a) {
        a = await placeholder(botId, true, name ?? botId);
        bots.set(botId, a);
      }
      return a;
    },
  };
}

/** Imports one day file, or counts it unchanged when its fingerprint matches the last import's. */
async function importDayFile(
  ctx: SourceContext,
  files: ExportFiles,
  mctx: MessageContext,
  conv: Conversation,
  path: string,
  fingerprint: (conv: Conversation, content: string) => string,
  threadAuthors: Map<string, string>,
): Promise<void> {
  const { writer, report } = ctx;
  const { communityId } = mctx;
  const content = await files.readText(path);
  const print = fingerprint(conv, content);
  const previous = await writer.fingerprint(communityId, path);
  if (previous?.fingerprint === print) {
    await writer.countUnchangedActivities(previous.activities);
    report.filesUnchanged += 1;
    return;
  }
  let messages: unknown;
  try {
    messages = JSON.parse(content);
  } catch (err) {
    invalidInput(
      ctx,
      { file: path },
      `not valid JSON: ${(err as Error).message}`,
      'Export the workspace again, or repair or remove that day file.',
    );
    return;
  }
  if (!Array.isArray(messages)) {
    invalidInput(ctx, { file: path }, 'not a JSON array of messages', 'Repair or remove that day file.');
  } else {
    const before = writer.activitiesSeen;
    await processMessages(mctx, conv, messages as unknown[], threadAuthors);
    await writer.recordFingerprint(communityId, path, print, writer.activitiesSeen - before);
    report.filesRead += 1;
  }
}

/**
 * Imports a Slack workspace export (folder or zip): the workspace as a community, users as members,
 * then each conversation's day files in date order, one file in memory at a time.
 */
export async function ingestSlackExport(files: ExportFiles, ctx: SourceContext): Promise<void> {
  const { writer, report } = ctx;
  const userFile = usersFile(files);
  ctx.onProgress?.({ phase: 'members', done: 0, total: 2, detail: userFile });
  const teamCounts = new Map<string, number>();
  const usersHashing = createHash('sha1');
  await readUsers(
    files,
    userFile,
    (u) => {
      if (u?.teamId) teamCounts.set(u.teamId, (teamCounts.get(u.teamId) ?? 0) + 1);
    },
    (chunk) => usersHashing.update(chunk),
  );
  const usersHash = usersHashing.digest('hex');
  report.filesRead += 1;
  if (!files.has('channels.json')) {
    invalidInput(
      ctx,
      { file: 'channels.json' },
      `${files.label} has no channels.json, so no channel can be identified`,
      'Export the workspace again: Slack writes channels.json at the top of every export.',
    );
  }
  const conversations = await readConversations(files, ctx);

  const dayFilesByFolder = dayFilesOf(files);
  const included = conversations.filter((c) => ctx.includePrivate || c.kind === 'public');
  report.privateConversationsSkipped = conversations.length - included.length;
  noteUnlistedFolders(report, conversations, dayFilesByFolder);

  const teamId = await findTeamId(files, teamCounts, [...dayFilesByFolder.values()].flat());
  if (!teamId) {
    throw new UsageError('NO_TEAM_ID', `${files.label}: cannot tell the workspace's team id.`, {
      actions: [`Check that ${userFile} has "team_id" on its users (Slack writes it on every user).`],
    });
  }
  const { communityId, domain } = await putWorkspace(ctx, files, teamId);

  // A day file's activities depend on its bytes, the users (names → members, deleted, bots), the
  // conversation and the domain; when all of these match the last import, the file is skipped.
  const context = [MAPPING_VERSION, teamId, domain ?? '', usersHash].join('|');
  const fingerprint = (conv: Conversation, content: string): string =>
    createHash('sha1')
      .update(`${context}|${conv.id}|${conv.name ?? ''}|${conv.kind}|`)
      .update(content)
      .digest('hex');

  const authors = new Map<string, Author>();
  const bots = new Map<string, Author>();
  ctx.onProgress?.({ phase: 'members', done: 1, total: 2, detail: userFile });
  await readUsers(files, userFile, async (u, i) => {
    if (!u) {
      invalidInput(ctx, { file: userFile }, `user ${i + 1} has no "id"`, `Fix or remove that entry of ${userFile}.`);
      return;
    }
    const member = toMember(u, teamId, communityId);
    await writer.putMember(member);
    const author = { id: member.tightknitId, deleted: u.deleted };
    authors.set(u.id, author);
    if (u.botId) bots.set(u.botId, author);
  });

  const mctx = messageContext(ctx, teamId, communityId, domain, authors, bots);

  const work = included.map((c) => ({ conv: c, days: (dayFilesByFolder.get(c.folder) ?? []).sort() }));
  const total = work.reduce((n, w) => n + w.days.length, 0);
  let done = 0;
  for (const { conv, days } of work) {
    const threadAuthors = new Map<string, string>();
    for (const path of days) {
      ctx.onProgress?.({ phase: 'channels', done, total, detail: path });
      await importDayFile(ctx, files, mctx, conv, path, fingerprint, threadAuthors);
      done += 1;
    }
  }
  ctx.onProgress?.({ phase: 'channels', done, total });
  report.placeholders = await writer.placeholderCount(communityId);
}
