import type { Command } from 'commander';
import { ACTIVITY_TYPE_VALUES, matchRulesOf, rulesText, SyncConfig, SyncConfigInput, UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { withStateLocation } from '../server-mode';
import { configPlace, type ConfigPlace } from './configure-place';

interface ConfigureFlags {
  createContacts?: boolean;
  activityMetadata?: boolean;
  matchLeads?: boolean;
  matchingField?: string;
  matchRule: string[];
  slackEvents?: string;
  listenPort?: string;
  listenHost?: string;
  includePrivate?: boolean;
  interval?: string;
  weight: string[];
  threshold: string[];
}

const THRESHOLDS = ['champion', 'high', 'medium'] as const;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses flags into config changes; every malformed value is reported, not only the first. */
function parseConfigureFlags(flags: ConfigureFlags): SyncConfigInput {
  const problems: string[] = [];
  const changes: SyncConfigInput = {};
  if (flags.createContacts !== undefined) changes.createContacts = flags.createContacts;
  if (flags.activityMetadata !== undefined) changes.activityMetadata = flags.activityMetadata;
  if (flags.matchLeads !== undefined) changes.matchLeads = flags.matchLeads;
  if (flags.matchingField !== undefined) changes.matchingField = flags.matchingField;
  if (flags.matchRule.length > 0) {
    // The object part in its API spelling whatever the case typed: contact.email → Contact.email.
    changes.matchRules = flags.matchRule.map((r) =>
      r.trim().replace(/^(contact|lead)\./i, (_m, o: string) => `${o[0].toUpperCase()}${o.slice(1).toLowerCase()}.`),
    );
  }
  const slack: NonNullable<SyncConfigInput['slack']> = {};
  if (flags.slackEvents !== undefined) {
    if (['off', 'http', 'socket-mode'].includes(flags.slackEvents))
      slack.events = flags.slackEvents as 'off' | 'http' | 'socket-mode';
    else problems.push(`--slack-events ${flags.slackEvents}: one of off, http, socket-mode`);
  }
  if (flags.listenPort !== undefined) {
    if (flags.listenPort === 'none') slack.listenPort = null;
    else if (/^\d+$/.test(flags.listenPort.trim())) slack.listenPort = Number(flags.listenPort);
    else problems.push(`--listen-port ${flags.listenPort}: a port number from 0 to 65535, or none`);
  }
  if (flags.listenHost !== undefined) slack.listenHost = flags.listenHost;
  if (flags.includePrivate !== undefined) slack.includePrivate = flags.includePrivate;
  if (Object.keys(slack).length > 0) changes.slack = slack;
  if (flags.interval !== undefined) {
    if (/^\d+$/.test(flags.interval.trim())) changes.intervalMinutes = Number(flags.interval);
    else problems.push(`--interval ${flags.interval}: must be a whole number of minutes from 1 to 1440`);
  }
  const number = (flag: string, raw: string, key: string, text: string): number | undefined => {
    if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text);
    problems.push(`${flag} ${raw}: "${text}" is not a number for ${key}`);
    return undefined;
  };
  const weights: Record<string, number> = {};
  for (const raw of flags.weight) {
    const m = /^([a-z_]+)=(.*)$/.exec(raw.trim());
    if (!m) {
      problems.push(`--weight ${raw}: expected type=N, e.g. --weight post_created=5`);
      continue;
    }
    if (!(ACTIVITY_TYPE_VALUES as readonly string[]).includes(m[1])) {
      problems.push(`--weight ${raw}: unknown activity type "${m[1]}" (one of ${ACTIVITY_TYPE_VALUES.join(', ')})`);
      continue;
    }
    const n = number('--weight', raw, m[1], m[2]);
    if (n !== undefined) weights[m[1]] = n;
  }
  const thresholds: Record<string, number> = {};
  for (const raw of flags.threshold) {
    const m = /^([a-z]+)=(.*)$/.exec(raw.trim().toLowerCase());
    if (!m) {
      problems.push(`--threshold ${raw}: expected level=N, e.g. --threshold champion=40`);
      continue;
    }
    if (!(THRESHOLDS as readonly string[]).includes(m[1])) {
      problems.push(
        `--threshold ${raw}: unknown level "${m[1]}" (one of ${THRESHOLDS.join(', ')}; Low is any score above 0)`,
      );
      continue;
    }
    const n = number('--threshold', raw, m[1], m[2]);
    if (n !== undefined) thresholds[m[1]] = n;
  }
  if (problems.length > 0) {
    throw new UsageError('INVALID_OPTION', `Invalid configuration value(s):\n  ${problems.join('\n  ')}`, {
      actions: ['Nothing was changed. Fix the values above and run configure again.'],
    });
  }
  if (Object.keys(weights).length || Object.keys(thresholds).length) {
    changes.engagement = {
      ...(Object.keys(weights).length ? { weights } : {}),
      ...(Object.keys(thresholds).length ? { thresholds } : {}),
    };
  }
  return changes;
}

const FLAG_OF: Array<[RegExp, string]> = [
  [/^(\s*)intervalMinutes:/gm, '$1--interval:'],
  [/^(\s*)slack\.listenPort:/gm, '$1--listen-port:'],
  [/^(\s*)slack\.listenHost:/gm, '$1--listen-host:'],
  [/^(\s*)matchingField:/gm, '$1--matching-field:'],
  [/^(\s*)matchRules(\.\d+)?:/gm, '$1--match-rule:'],
  [/^(\s*)engagement\.weights\.([a-z_]+):/gm, '$1--weight $2:'],
  [/^(\s*)engagement\.thresholds(\.[a-z]+)?:/gm, '$1--threshold$2:'],
];

/** The place's preview (validates, writes nothing), with flag names in its errors. */
function previewWithFlagNames(place: ConfigPlace, changes: SyncConfigInput): SyncConfig {
  return withFlagNames(() => place.preview(changes));
}

/** The place's save, with the config's field paths in its errors renamed to the flags the user typed. */
async function saveWithFlagNames(place: ConfigPlace, changes: SyncConfigInput): Promise<SyncConfig> {
  try {
    return await place.save(changes);
  } catch (err) {
    // Another save came first: its own message (what changed, read again) says it better.
    if ((err as { code?: string }).code === 'CONFIG_CHANGED') throw err;
    return withFlagNames(() => {
      throw err;
    });
  }
}

function withFlagNames(save: () => SyncConfig): SyncConfig {
  try {
    return save();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    let message = err.message.replace(
      'Invalid configuration in the new configuration:',
      'Invalid configuration value(s):',
    );
    for (const [re, flag] of FLAG_OF) message = message.replace(re, flag);
    throw new UsageError(err.code, message, {
      actions: ['Nothing was changed. Fix the values above and run configure again.'],
      cause: err,
    });
  }
}

/** How new Slack activity arrives, in words. */
function slackEventsText(c: SyncConfig): string {
  switch (c.slack.events) {
    case 'off':
      return 'off (each run polls the Web API)';
    case 'http':
      return c.slack.listenPort === null
        ? 'HTTP, received by `tightknit-sync listen`'
        : `HTTP, received by \`start\` on ${c.slack.listenHost}:${c.slack.listenPort}`;
    case 'socket-mode':
      return 'Socket Mode, received by `start`';
  }
}

export function formatConfig(c: SyncConfig): string {
  const w = Object.entries(c.engagement.weights)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const t = c.engagement.thresholds;
  return [
    `Create Contacts:    ${c.createContacts ? 'on' : 'off'}`,
    `Activity Metadata:  ${c.activityMetadata ? 'on' : 'off'}`,
    `Match rules:        ${matchRulesOf(c)
      .map((r, n) => `${n + 1}. ${r.label}`)
      .join('  ')}`,
    `Sync interval:      every ${c.intervalMinutes} minute(s)`,
    `Slack events:       ${slackEventsText(c)}${c.slack.includePrivate ? '; private channels the bot is in too' : ''}`,
    `Weights:            ${w}`,
    `Levels:             Champion ≥ ${t.champion}, High ≥ ${t.high}, Medium ≥ ${t.medium}, Low > 0`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('configure')
    .description('set sync options (validated; shows the configuration when no option is given)')
    .option('--create-contacts', 'create a Contact for members no Contact matches')
    .option('--no-create-contacts', 'leave unmatched members unlinked (default)')
    .option('--activity-metadata', 'write Activity Metadata (JSON) on activities')
    .option('--no-activity-metadata', 'do not write activity metadata (default)')
    .option('--match-leads', 'also match members to Leads (default)')
    .option('--no-match-leads', 'do not match Leads')
    .option('--matching-field <field>', 'Contact field to match member emails on (default Email)')
    .option(
      '--match-rule <Object.Field>',
      'a match rule, in order (repeatable; replaces the rules): e.g. --match-rule Contact.Email --match-rule Contact.Work_Email__c --match-rule Lead.Email',
      collect,
      [],
    )
    .option('--interval <minutes>', 'minutes between incremental syncs, 1–1440 (default 5)')
    .option('--slack-events <mode>', 'how new Slack activity arrives: off (poll the Web API), http, socket-mode')
    .option(
      '--listen-port <port>',
      'with --slack-events http: `start` receives events on this port (none = `listen` does)',
    )
    .option('--listen-host <address>', 'address that receiver binds (default 127.0.0.1)')
    .option('--include-private', 'also read private channels the Slack bot is a member of')
    .option('--no-include-private', 'public channels only (default)')
    .option('--weight <type=N>', 'engagement weight of an activity type (repeatable)', collect, [])
    .option('--threshold <level=N>', 'score threshold of champion, high or medium (repeatable)', collect, [])
    .action(async (flags: ConfigureFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const changes = parseConfigureFlags(flags);
      await withStateLocation(cmd, async (where) => configureAt(await configPlace(where), flags, changes, opts));
    });
}

async function configureAt(
  place: ConfigPlace,
  flags: ConfigureFlags,
  changes: SyncConfigInput,
  opts: GlobalOptions,
): Promise<void> {
  const before = place.current;
  if (
    before.matchRules &&
    !changes.matchRules &&
    (flags.matchingField !== undefined || flags.matchLeads !== undefined)
  ) {
    throw new UsageError(
      'MATCH_RULES_IN_USE',
      `This configuration matches with rules (${rulesText(before)}): --matching-field and --match-leads do not apply to it.`,
      {
        actions: [
          'Set the rules instead, in order: `tightknit-sync configure --match-rule Contact.Email --match-rule Lead.Email`. Nothing was changed.',
        ],
      },
    );
  }
  const next = Object.keys(changes).length ? previewWithFlagNames(place, changes) : before;
  const rulesChanged = rulesText(next) !== rulesText(before);
  const checked = rulesChanged ? await place.checkRules(next) : null;
  const config = Object.keys(changes).length ? await saveWithFlagNames(place, changes) : before;
  const notes = [
    Object.keys(changes).length ? 'Saved.' : null,
    checked === 'org' ? `Match rules checked against the org: ${rulesText(config)}.` : null,
    checked === 'not-connected' ? 'Match rules not checked: no org is connected (`tightknit-sync check` will).' : null,
    checked === 'not-checked'
      ? 'Match rules not checked against the org here: `tightknit-sync check` checks them with the org.'
      : null,
    rulesChanged && (await place.backfilled())
      ? 'The match rules changed. Members already linked keep their links until you re-match them: `tightknit-sync rematch` (or Re-match in the console).'
      : null,
  ].filter((n): n is string => n !== null);
  printResult(opts, { ...config, rulesChanged }, () => [...notes, formatConfig(config)].join('\n'));
}
