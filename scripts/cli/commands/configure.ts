import type { Command } from 'commander';
import { loadConfig, SyncConfig, SyncConfigInput, updateConfig } from '../../sync/config';
import { ACTIVITY_TYPE_VALUES } from '../../sync/engagement';
import { UsageError } from '../../sync/errors';
import { GlobalOptions, printResult } from '../output';

interface ConfigureFlags {
  createContacts?: boolean;
  activityMetadata?: boolean;
  matchLeads?: boolean;
  matchingField?: string;
  interval?: string;
  weight: string[];
  threshold: string[];
}

const THRESHOLDS = ['champion', 'high', 'medium'] as const;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses flags into config changes; every malformed value is reported, not only the first. */
export function parseConfigureFlags(flags: ConfigureFlags): SyncConfigInput {
  const problems: string[] = [];
  const changes: SyncConfigInput = {};
  if (flags.createContacts !== undefined) changes.createContacts = flags.createContacts;
  if (flags.activityMetadata !== undefined) changes.activityMetadata = flags.activityMetadata;
  if (flags.matchLeads !== undefined) changes.matchLeads = flags.matchLeads;
  if (flags.matchingField !== undefined) changes.matchingField = flags.matchingField;
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
  [/^(\s*)matchingField:/gm, '$1--matching-field:'],
  [/^(\s*)engagement\.weights\.([a-z_]+):/gm, '$1--weight $2:'],
  [/^(\s*)engagement\.thresholds(\.[a-z]+)?:/gm, '$1--threshold$2:'],
];

/** updateConfig, with the config's field paths in its errors renamed to the flags the user typed. */
function saveWithFlagNames(stateDir: string, changes: SyncConfigInput): SyncConfig {
  try {
    return updateConfig(stateDir, changes);
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

export function formatConfig(c: SyncConfig): string {
  const w = Object.entries(c.engagement.weights)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const t = c.engagement.thresholds;
  return [
    `Create Contacts:    ${c.createContacts ? 'on' : 'off'}`,
    `Activity Metadata:  ${c.activityMetadata ? 'on' : 'off'}`,
    `Matching field:     Contact.${c.matchingField}`,
    `Lead matching:      ${c.matchLeads ? 'on' : 'off'}`,
    `Sync interval:      every ${c.intervalMinutes} minute(s)`,
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
    .option('--interval <minutes>', 'minutes between incremental syncs, 1–1440 (default 5)')
    .option('--weight <type=N>', 'engagement weight of an activity type (repeatable)', collect, [])
    .option('--threshold <level=N>', 'score threshold of champion, high or medium (repeatable)', collect, [])
    .action((flags: ConfigureFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const changes = parseConfigureFlags(flags);
      const config = Object.keys(changes).length
        ? saveWithFlagNames(opts.stateDir, changes)
        : loadConfig(opts.stateDir);
      printResult(opts, config, () => `${Object.keys(changes).length ? 'Saved.\n' : ''}${formatConfig(config)}`);
    });
}
